// The throwaway database: a local cluster (cluster.ts) holding one database prepared exactly as
// every verify prepares it (baseline, pgTAP, migrations, functions, dev fixtures). Used by
// `verify`, `cluster up` and the tests; `keepThrowaway` hands it to a later `cluster down`.
import { existsSync, mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import pg from "pg";
import { prepareDatabase } from "./apply.js";
import {
  type Cluster,
  clusterConnection,
  clusterUrl,
  detachCluster,
  readClusterState,
  startCluster,
  stopClusterSync,
  writeClusterState,
} from "./cluster.js";
import { GonogoError } from "./errors.js";
import { baselineNames, ROOT } from "./sql-files.js";

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

/** Stop and remove the kept cluster; false when there is none. */
export function dropKeptCluster(): Cluster | undefined {
  const c = keptCluster();
  if (!c) return undefined;
  stopClusterSync(c);
  rmSync(STATE_FILE, { force: true });
  return c;
}
