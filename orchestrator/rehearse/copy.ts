// I/O: copy a source database into a throwaway local cluster, read-only on the source.
// pg_dump takes one snapshot (its workers share it: -j) and only ACCESS SHARE locks, in a session
// that is read-only by default_transaction_read_only and named gonogo; the directory format is
// written uncompressed (-Z0: on two cores, compression costs more than the disk it saves) and
// restored with pg_restore -j into a cluster tuned for loading (wal_level minimal, no fsync).
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, statfsSync, statSync } from "node:fs";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import pg from "pg";
import { type Cluster, clusterConnection, clusterUrl } from "../cluster.js";
import { redact } from "../connection.js";
import { GonogoError } from "../errors.js";

export interface Tools {
  pgDump: string;
  pgRestore: string;
  major: number;
}

function majorOf(binary: string): number | undefined {
  try {
    const out = execFileSync(binary, ["--version"], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
    });
    const m = /\(PostgreSQL\)\s+(\d+)/.exec(out) ?? /\s(\d+)(?:\.\d+)?/.exec(out);
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

/** pg_dump/pg_restore of the source's major or newer: /usr/lib/postgresql/N/bin, then PATH. */
export function findTools(sourceMajor: number): Tools {
  const dirs = existsSync("/usr/lib/postgresql")
    ? readdirSync("/usr/lib/postgresql")
        .filter((d) => /^\d+$/.test(d))
        .sort((a, b) => Number(b) - Number(a))
        .map((d) => join("/usr/lib/postgresql", d, "bin"))
    : [];
  const found: string[] = [];
  for (const pgDump of [...dirs.map((d) => join(d, "pg_dump")), "pg_dump"]) {
    const pgRestore = pgDump.replace(/pg_dump$/, "pg_restore");
    const major = majorOf(pgDump);
    if (major === undefined || majorOf(pgRestore) !== major) continue;
    found.push(`${pgDump} ${major}`);
    if (major >= sourceMajor) return { pgDump, pgRestore, major };
  }
  throw new GonogoError(
    found.length === 0
      ? "pg_dump and pg_restore not found (needed to copy the source)"
      : `pg_dump ${found.map((f) => f.replace(/^.* /, "")).join(", ")} is older than the source server (PostgreSQL ${sourceMajor}): it cannot dump it`,
    `install the package postgresql-client-${sourceMajor} (apt-get install postgresql-client-${sourceMajor})`,
  );
}

/** The local server must be able to hold what the source's major dumps. */
export function assertServerMajor(binDir: string, sourceMajor: number): void {
  const major = majorOf(join(binDir, "postgres"));
  if (major !== undefined && major < sourceMajor) {
    throw new GonogoError(
      `the local server (${binDir}, PostgreSQL ${major}) is older than the source (PostgreSQL ${sourceMajor})`,
      `install the package postgresql-${sourceMajor} and set PG_BIN=/usr/lib/postgresql/${sourceMajor}/bin`,
    );
  }
}

/** Room for the uncompressed dump and the restored cluster, each about the source's size. */
export function requiredBytes(sourceBytes: number): number {
  return 2 * sourceBytes + 256 * 1024 * 1024;
}

export function assertDiskSpace(dir: string, sourceBytes: number): { freeBytes: number; needBytes: number } {
  const fs = statfsSync(dir);
  const freeBytes = Number(fs.bavail) * Number(fs.bsize);
  const needBytes = requiredBytes(sourceBytes);
  if (freeBytes < needBytes) {
    const gb = (b: number) => `${(b / 1024 ** 3).toFixed(1)} GB`;
    throw new GonogoError(
      `not enough disk for the copy in ${dir}: about ${gb(needBytes)} needed (the dump and the restored database, each about the source's ${gb(sourceBytes)}), ${gb(freeBytes)} free`,
      "free space there, or point --work-dir (or TMPDIR) at a larger file system, or rehearse on a clone you made with --target",
    );
  }
  return { freeBytes, needBytes };
}

/** Settings for the throwaway cluster that receives the copy: fast to load, nothing durable. */
export const COPY_SETTINGS: Record<string, string> = {
  wal_level: "minimal",
  max_wal_senders: "0",
  max_wal_size: "8GB",
  checkpoint_timeout: "30min",
  shared_buffers: "256MB",
  maintenance_work_mem: "256MB",
  autovacuum: "off",
  max_parallel_maintenance_workers: "1",
};

function du(path: string): number {
  let total = 0;
  try {
    const st = statSync(path);
    if (!st.isDirectory()) return st.size;
    for (const e of readdirSync(path)) total += du(join(path, e));
  } catch {
    // a file removed while we walk
  }
  return total;
}

async function runTool(
  bin: string,
  args: string[],
  env: Record<string, string>,
  secrets: readonly string[],
  progress: () => string | Promise<string>,
  onProgress?: (line: string) => void,
): Promise<void> {
  const { execa } = await import("execa");
  const child = execa(bin, args, { reject: false, stdin: "ignore", env, extendEnv: true });
  const timer = setInterval(async () => {
    try {
      onProgress?.(await progress());
    } catch {
      // progress is best effort
    }
  }, 1_000);
  const r = await child.finally(() => clearInterval(timer));
  if (r.exitCode !== 0) {
    const lines = String(r.stderr).split("\n").filter(Boolean);
    const first = lines.find((l) => /error/i.test(l)) ?? lines[0] ?? `exit ${r.exitCode}`;
    throw new GonogoError(
      `${bin.replace(/^.*\//, "")} failed: ${redact(first, secrets)}${lines.length > 1 ? ` (${lines.length} lines of errors)` : ""}`,
      bin.endsWith("pg_dump")
        ? "check that the role can read every table of the source (or rehearse on a clone with --target)"
        : "the copy could not be restored locally (an extension the local server lacks?); install it, or rehearse on a clone with --target",
    );
  }
}

export interface CopyOptions {
  tools: Tools;
  /** libpq URL of the source. */
  sourceUrl: string;
  secrets: readonly string[];
  cluster: Cluster;
  database: string;
  dumpDir: string;
  jobs: number;
  lockTimeoutMs: number;
  onProgress?: (line: string) => void;
}

export interface CopyResult {
  dumpMs: number;
  restoreMs: number;
  analyzeMs: number;
  totalMs: number;
  jobs: number;
  dumpBytes: number;
}

async function rowsRestored(cluster: Cluster, database: string): Promise<number> {
  const c = new pg.Client(clusterConnection(cluster, database));
  await c.connect();
  try {
    const { rows } = await c.query<{ n: string }>(
      `select (coalesce((select sum(n_tup_ins) from pg_stat_user_tables), 0)
             + coalesce((select sum(tuples_processed) from pg_stat_progress_copy), 0))::text as n`,
    );
    return Number(rows[0]?.n ?? 0);
  } finally {
    await c.end();
  }
}

/** Dump the source (one snapshot, -j workers) and restore it into `database` on the cluster. */
export async function copyDatabase(opts: CopyOptions): Promise<CopyResult> {
  const t0 = performance.now();
  const mb = (b: number) => `${(b / 1024 / 1024).toFixed(0)} MB`;
  const elapsed = () => `${((performance.now() - t0) / 1000).toFixed(0)} s`;
  // read-only by default for every session pg_dump opens (its -j workers too)
  const sourceEnv = { PGAPPNAME: "gonogo", PGOPTIONS: "-c default_transaction_read_only=on" };
  await runTool(
    opts.tools.pgDump,
    [
      "--format=directory",
      `--jobs=${opts.jobs}`,
      "--compress=0",
      "--no-sync",
      `--lock-wait-timeout=${opts.lockTimeoutMs}`,
      `--file=${opts.dumpDir}`,
      `--dbname=${opts.sourceUrl}`,
    ],
    sourceEnv,
    opts.secrets,
    () => `copy: dumping the source, ${mb(du(opts.dumpDir))} written, ${elapsed()}`,
    opts.onProgress,
  );
  const dumpMs = performance.now() - t0;
  const dumpBytes = du(opts.dumpDir);
  await runTool(
    opts.tools.pgRestore,
    [
      `--jobs=${opts.jobs}`,
      "--no-owner",
      "--no-privileges",
      "--no-tablespaces",
      `--dbname=${clusterUrl(opts.cluster, opts.database)}`,
      opts.dumpDir,
    ],
    { PGAPPNAME: "gonogo" },
    [],
    async () =>
      `copy: restoring, ${await rowsRestored(opts.cluster, opts.database)} rows loaded, ${elapsed()}`,
    opts.onProgress,
  );
  const restoreMs = performance.now() - t0 - dumpMs;
  const c = new pg.Client(clusterConnection(opts.cluster, opts.database));
  await c.connect();
  try {
    // production has statistics; the migration's planner and the suite's plan checks need them too
    opts.onProgress?.(`copy: analyze, ${elapsed()}`);
    await c.query("analyze");
  } finally {
    await c.end();
  }
  const totalMs = performance.now() - t0;
  return {
    dumpMs: Math.round(dumpMs),
    restoreMs: Math.round(restoreMs),
    analyzeMs: Math.round(totalMs - dumpMs - restoreMs),
    totalMs: Math.round(totalMs),
    jobs: opts.jobs,
    dumpBytes,
  };
}
