// The kept cluster: a throwaway cluster left running after its process (`cluster up`,
// `verify --keep`), recorded in .gonogo/cluster.json for a later `cluster down`. One at a time:
// `cluster up` and `verify --keep` refuse while the recorded one still runs, naming its URL and how
// to stop it, instead of replacing it.
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { DEFAULT_BASELINE, ROOT } from "../apply/sql-files.js";
import { GonogoError } from "../program/errors.js";
import {
  type Cluster,
  clusterUrl,
  detachCluster,
  readClusterState,
  stopClusterSync,
  writeClusterState,
} from "./server.js";
import { DATABASE, startThrowaway, type Throwaway } from "./throwaway.js";

export const STATE_FILE = join(ROOT, ".gonogo", "cluster.json");

/** The postmaster of a recorded cluster is alive (its pid file names a running process). */
export function clusterRunning(c: Cluster): boolean {
  try {
    const pid = Number(readFileSync(join(c.dataDir, "postmaster.pid"), "utf8").split("\n")[0]);
    if (!(pid > 0)) return false;
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Refuse (exit 3) when the cluster recorded in stateFile is still running; a stale record is ignored. */
export function assertNoClusterUp(stateFile = STATE_FILE, database = DATABASE): void {
  if (!existsSync(stateFile)) return;
  let c: Cluster;
  try {
    c = readClusterState(stateFile);
  } catch {
    return;
  }
  if (!clusterRunning(c)) return;
  throw new GonogoError(
    `a cluster is already up (DATABASE_URL=${clusterUrl(c, database)})`,
    "use it, or stop it with `gonogo cluster down` (make cluster-down) and run this again",
  );
}

/** The cluster a previous `cluster up` / `verify --keep` left running, if any. */
export function keptCluster(): Cluster | undefined {
  if (!existsSync(STATE_FILE)) return undefined;
  return readClusterState(STATE_FILE);
}

/** Leave the cluster running after this process and remember it for `cluster down`. */
export function keepThrowaway(t: Throwaway): void {
  const old = keptCluster();
  if (old && existsSync(join(old.dataDir, "postmaster.pid"))) stopClusterSync(old);
  detachCluster(t.cluster);
  mkdirSync(join(ROOT, ".gonogo"), { recursive: true });
  writeClusterState(STATE_FILE, t.cluster);
}

/** Stop and remove the kept cluster; undefined when there is none. */
export function dropKeptCluster(): Cluster | undefined {
  const c = keptCluster();
  if (!c) return undefined;
  stopClusterSync(c);
  rmSync(STATE_FILE, { force: true });
  return c;
}

/** `gonogo cluster up`: a cluster prepared exactly as `verify` prepares it, kept; returns its URL. */
export async function clusterUp(opts: {
  baseline?: string;
  tcp?: boolean;
  /** The prepared-cluster cache (cache.ts); undefined: prepare from scratch. */
  cacheDir?: string;
  stdout?: NodeJS.WritableStream;
}): Promise<string> {
  const out = opts.stdout ?? process.stdout;
  const baseline = opts.baseline ?? DEFAULT_BASELINE;
  assertNoClusterUp();
  const t = await startThrowaway({ baseline, tcp: opts.tcp, cacheDir: opts.cacheDir });
  keepThrowaway(t);
  out.write(
    `cluster up: baseline ${baseline}${t.cache === "off" ? "" : ` (cache ${t.cache})`}, data in ${t.cluster.dir}; stop it with \`gonogo cluster down\`\n`,
  );
  out.write(`DATABASE_URL=${t.url}\n`);
  return t.url;
}

/** `gonogo cluster down`: stop and remove the kept cluster; false when none was up. */
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
