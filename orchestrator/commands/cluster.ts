// `gonogo cluster up|down`: a local cluster that outlives one run, holding a database prepared
// exactly as `verify` prepares it. State lives in .gonogo/cluster.json (cluster/kept.ts).

import { DEFAULT_BASELINE } from "../apply/sql-files.js";
import { assertNoClusterUp } from "../cluster/kept.js";
import {
  DATABASE,
  dropKeptCluster,
  keepThrowaway,
  STATE_FILE,
  startThrowaway,
} from "../cluster/throwaway.js";

export async function clusterUp(opts: {
  baseline?: string;
  tcp?: boolean;
  /** The prepared-cluster cache (cluster/kept.ts); undefined: prepare from scratch. */
  cacheDir?: string;
  stdout?: NodeJS.WritableStream;
}): Promise<string> {
  const out = opts.stdout ?? process.stdout;
  const baseline = opts.baseline ?? DEFAULT_BASELINE;
  assertNoClusterUp(STATE_FILE, DATABASE);
  const t = await startThrowaway({ baseline, tcp: opts.tcp, cacheDir: opts.cacheDir });
  keepThrowaway(t);
  out.write(
    `cluster up: baseline ${baseline}${t.cache === "off" ? "" : ` (cache ${t.cache})`}, data in ${t.cluster.dir}; stop it with \`gonogo cluster down\`\n`,
  );
  out.write(`DATABASE_URL=${t.url}\n`);
  return t.url;
}

export async function clusterDown(opts: { stdout?: NodeJS.WritableStream } = {}): Promise<boolean> {
  const out = opts.stdout ?? process.stdout;
  const c = dropKeptCluster();
  out.write(
    c
      ? `cluster down: stopped and removed ${c.dir}\n`
      : "cluster down: no cluster is up (no .gonogo/cluster.json)\n",
  );
  return !!c;
}
