// The throwaway database: a local cluster (server.ts) holding one database prepared exactly as
// every verify prepares it (baseline, pgTAP, migrations, functions, dev fixtures), or a copy of
// that cluster from the prepared-cluster cache (cache.ts). Used by `verify`, `cluster up`
// and the tests; kept.ts keeps one running for a later `cluster down`.
import { accessSync, constants, statfsSync, statSync } from "node:fs";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { baselineNames } from "../apply/sql-files.js";
import { GonogoError } from "../program/errors.js";
import { resolveBinDir } from "./binaries.js";
import {
  cacheKey,
  checkEntry,
  currentKeyInputs,
  discardEntry,
  findEntry,
  storeEntry,
  touchEntry,
} from "./cache.js";
import {
  type Cluster,
  clusterConnection,
  clusterUrl,
  dropSpareWal,
  serverOwner,
  startCluster,
  startClusterFromCopy,
  startServer,
  stopClusterSync,
  stopServer,
} from "./server.js";

export const DATABASE = "gonogo";

export function checkBaseline(name: string): void {
  const names = baselineNames();
  if (!names.includes(name)) {
    throw new GonogoError(`unknown baseline '${name}'`, `use --baseline with one of: ${names.join(", ")}`);
  }
}

/** Free space a memory file system must have to hold a throwaway cluster (it is ~40 MB, grows in use). */
const MIN_FREE_BYTES = 1024 ** 3;
const TMPFS_MAGIC = 0x01021994;

/**
 * Where throwaway clusters go: $GONOGO_CLUSTER_DIR; else $TMPDIR when set; else /dev/shm when it
 * is a writable tmpfs with 1 GiB free (a data directory is ~1,400 files: creating them costs ~1 s
 * on this machine's ext4 and ~0.1 s in memory, and a throwaway database needs no durability);
 * else the system temp directory. Undefined means the system temp directory.
 */
export function throwawayParent(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.GONOGO_CLUSTER_DIR) return env.GONOGO_CLUSTER_DIR;
  if (env.TMPDIR) return undefined;
  return memoryDir("/dev/shm");
}

/** dir when it is a writable tmpfs with room for a cluster, else undefined. */
export function memoryDir(dir: string): string | undefined {
  try {
    if (!statSync(dir).isDirectory()) return undefined;
    accessSync(dir, constants.W_OK | constants.X_OK);
    const fs = statfsSync(dir);
    if (fs.type !== TMPFS_MAGIC || fs.bavail * fs.bsize < MIN_FREE_BYTES) return undefined;
    return dir;
  } catch {
    return undefined;
  }
}

/** What the prepared-cluster cache did for this run. */
export type CacheUse = "off" | "hit" | "built" | "rebuilt";

export interface Throwaway {
  cluster: Cluster;
  database: string;
  url: string;
  cache: CacheUse;
  timings: { clusterStartMs: number; prepareMs: number; [phase: string]: number };
}

export interface ThrowawayOptions {
  baseline: string;
  tcp?: boolean;
  /** Directory of the prepared-cluster cache (cache.ts); undefined: no cache. */
  cacheDir?: string;
}

/**
 * A running cluster holding one prepared database: baseline, pgcrypto/pgTAP, migrations,
 * functions, fixtures. With a cache directory, a copy of the entry for the current inputs when
 * there is an intact one; otherwise it is prepared here and, with a cache, stored for next time.
 */
export async function startThrowaway(opts: ThrowawayOptions): Promise<Throwaway> {
  checkBaseline(opts.baseline);
  if (opts.cacheDir === undefined) return prepareThrowaway(opts, "off");
  const t0 = performance.now();
  const binDir = resolveBinDir();
  const inputs = currentKeyInputs({
    baseline: opts.baseline,
    binDir,
    owner: serverOwner(),
    versionMemo: join(opts.cacheDir, "postgres-version.json"),
  });
  const key = cacheKey(inputs);
  const entry = findEntry(opts.cacheDir, opts.baseline, key);
  let use: CacheUse = "built";
  if (entry) {
    try {
      const keyed = performance.now();
      let copied = keyed;
      const cluster = await startClusterFromCopy(entry.dataDir, {
        ...THROWAWAY,
        parentDir: throwawayParent(),
        tcp: opts.tcp,
        binDir,
        check: () => checkEntry(entry),
        onCopied: () => {
          copied = performance.now();
        },
      });
      touchEntry(entry);
      const timings = {
        // key (hash the inputs), copy, check the copy against the manifest; then the server start
        cacheKeyMs: keyed - t0,
        cacheCopyMs: copied - keyed,
        clusterStartMs: performance.now() - copied,
        prepareMs: 0,
      };
      return { ...ready(cluster), cache: "hit", timings };
    } catch {
      // A damaged entry (missing or resized files, a server that will not start on it): never
      // trusted, rebuilt from the sources.
      discardEntry(entry.dir);
      use = "rebuilt";
    }
  }
  const tw = await prepareThrowaway(opts, use);
  const t1 = performance.now();
  await stopServer(tw.cluster);
  dropSpareWal(tw.cluster);
  storeEntry(opts.cacheDir, inputs, key, tw.cluster.dataDir);
  await startServer(tw.cluster);
  tw.timings.cacheMs = performance.now() - t1;
  return tw;
}

function ready(cluster: Cluster) {
  return { cluster, database: DATABASE, url: clusterUrl(cluster, DATABASE) };
}

/**
 * How a throwaway cluster differs from the defaults (besides server.ts's fsync off):
 * - 1 MB WAL segments, at most two kept: the stopped cluster's pg_wal is ~2 MB instead of one 16 MB
 *   segment, a third less to copy on every cached run (a throwaway database never needs more);
 * - jit off: the suite's statements are short, and JIT-compiling the few whose estimated cost
 *   passes jit_above_cost (pgTAP's own queries under `enable_seqscan = off`, the I1 bulk inserts)
 *   cost 0.3-0.5 s of server time per run, 50-60 ms a statement. JIT changes no plan or result.
 */
const THROWAWAY = { walSegmentMb: 1, settings: { min_wal_size: "'2MB'", jit: "off" } };

/**
 * The databases initdb made that nothing here uses: `postgres` and `template0`. A throwaway cluster
 * holds template1 (what CREATE DATABASE copies by default; mutate's admin connections use it) and
 * the prepared database. Each database is ~300 files: without these two, a cached run copies 44%
 * fewer files (measured: cp of the entry ~135 -> ~75 ms alone, more under load), and the cached and
 * uncached clusters stay identical.
 */
const DROP_SPARE_DATABASES = [
  "drop database postgres",
  "alter database template0 is_template false",
  "drop database template0",
];

/** initdb, start, create the database and prepare it. */
async function prepareThrowaway(opts: ThrowawayOptions, cache: CacheUse): Promise<Throwaway> {
  const t0 = performance.now();
  const cluster = await startCluster({ tcp: opts.tcp, parentDir: throwawayParent(), ...THROWAWAY });
  const t1 = performance.now();
  try {
    // node-postgres and the applier load here, on a cache miss only: a cached run starts its copy first
    const [{ default: pg }, { prepareDatabase }] = await Promise.all([
      import("pg"),
      import("../apply/applier.js"),
    ]);
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
      for (const sql of DROP_SPARE_DATABASES) await client.query(sql);
    } finally {
      await client.end();
    }
  } catch (e) {
    stopClusterSync(cluster);
    throw e;
  }
  return {
    ...ready(cluster),
    cache,
    timings: { clusterStartMs: t1 - t0, prepareMs: performance.now() - t1 },
  };
}
