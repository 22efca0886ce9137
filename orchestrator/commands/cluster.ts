// `gonogo cluster up|down`: a local cluster that outlives one run, holding a database prepared
// exactly as `verify` prepares its throwaway one. State lives in .gonogo/cluster.json.
import { existsSync, mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import pg from "pg";
import { prepareDatabase } from "../apply.js";
import {
  type Cluster,
  clusterConnection,
  clusterUrl,
  detachCluster,
  readClusterState,
  startCluster,
  stopClusterSync,
  writeClusterState,
} from "../cluster.js";
import { assertNoClusterUp } from "../cluster-guard.js";
import { GonogoError } from "../errors.js";
import { baselineNames, DEFAULT_BASELINE, ROOT } from "../sql-files.js";

export const DATABASE = "gonogo";
export const STATE_FILE = join(ROOT, ".gonogo", "cluster.json");

export function checkBaseline(name: string): void {
  const names = baselineNames();
  if (!names.includes(name)) {
    throw new GonogoError(`unknown baseline '${name}'`, `use --baseline with one of: ${names.join(", ")}`);
  }
}

export interface Throwaway {
  cluster: Cluster;
  database: string;
  url: string;
  timings: { clusterStartMs: number; prepareMs: number };
}

/** Start a cluster and prepare one database: baseline, pgcrypto/pgTAP, migrations, functions, fixtures. */
export async function startThrowaway(opts: { baseline: string; tcp?: boolean }): Promise<Throwaway> {
  checkBaseline(opts.baseline);
  const t0 = performance.now();
  const cluster = await startCluster({ tcp: opts.tcp });
  const t1 = performance.now();
  try {
    const admin = new pg.Client(clusterConnection(cluster, "postgres"));
    await admin.connect();
    try {
      await admin.query(`create database ${DATABASE}`);
    } finally {
      await admin.end();
    }
    const client = new pg.Client(clusterConnection(cluster, DATABASE));
    await client.connect();
    try {
      await prepareDatabase(client, { baseline: opts.baseline, pgtap: true, fixtures: true });
    } finally {
      await client.end();
    }
  } catch (e) {
    stopClusterSync(cluster);
    throw e;
  }
  return {
    cluster,
    database: DATABASE,
    url: clusterUrl(cluster, DATABASE),
    timings: { clusterStartMs: t1 - t0, prepareMs: performance.now() - t1 },
  };
}

/** Leave the cluster running after this process and remember it for `cluster down`. */
export function keepCluster(t: Throwaway): void {
  if (existsSync(STATE_FILE)) {
    const old = readClusterState(STATE_FILE);
    if (existsSync(join(old.dataDir, "postmaster.pid"))) stopClusterSync(old);
  }
  detachCluster(t.cluster);
  mkdirSync(join(ROOT, ".gonogo"), { recursive: true });
  writeClusterState(STATE_FILE, t.cluster);
}

export async function clusterUp(opts: {
  baseline?: string;
  tcp?: boolean;
  stdout?: NodeJS.WritableStream;
}): Promise<string> {
  const out = opts.stdout ?? process.stdout;
  const baseline = opts.baseline ?? DEFAULT_BASELINE;
  assertNoClusterUp(STATE_FILE, DATABASE);
  const t = await startThrowaway({ baseline, tcp: opts.tcp });
  keepCluster(t);
  out.write(
    `cluster up: baseline ${baseline}, data in ${t.cluster.dir}; stop it with \`gonogo cluster down\`\n`,
  );
  out.write(`DATABASE_URL=${t.url}\n`);
  return t.url;
}

export async function clusterDown(opts: { stdout?: NodeJS.WritableStream } = {}): Promise<boolean> {
  const out = opts.stdout ?? process.stdout;
  if (!existsSync(STATE_FILE)) {
    out.write("cluster down: no cluster is up (no .gonogo/cluster.json)\n");
    return false;
  }
  const c = readClusterState(STATE_FILE);
  stopClusterSync(c);
  rmSync(STATE_FILE, { force: true });
  out.write(`cluster down: stopped and removed ${c.dir}\n`);
  return true;
}
