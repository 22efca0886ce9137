// I/O: copy a source database into a throwaway local cluster, read-only on the source.
// One snapshot for everything: a read-only session on the source exports it
// (pg_export_snapshot) and every pg_dump runs with --snapshot, taking only ACCESS SHARE locks, in
// sessions read-only by default_transaction_read_only and named gonogo. Three steps:
//   1. the schema (pg_dump --schema-only -Fd) and its pre-data section restored (tables, no
//      indexes, constraints or triggers yet);
//   2. the table data streamed, pg_dump --data-only piped into psql (one transaction that
//      truncates its tables first: no WAL under wal_level minimal), in `jobs` pipelines at once
//      (the biggest tables spread over them), so reading the source and loading the copy overlap
//      instead of following each other through a dump on disk;
//   3. the post-data section (indexes, constraints, triggers) restored with pg_restore -j,
//      then ANALYZE. The cluster is tuned for loading (wal_level minimal, no fsync).
import { spawn } from "node:child_process";
import { statfsSync } from "node:fs";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import pg from "pg";
import { installedBinDirs, majorOf } from "../cluster/binaries.js";
import { type Cluster, clusterConnection, clusterUrl } from "../cluster/server.js";
import { GonogoError } from "../program/errors.js";
import { redact, splitPassword, targetFromUrl } from "../target/connection.js";

export interface Tools {
  pgDump: string;
  pgRestore: string;
  /** psql of the same installation: loads the streamed data (see dataPipelines). */
  psql: string;
  major: number;
}

/** pg_dump/pg_restore of the source's major or newer: /usr/lib/postgresql/N/bin, then PATH. */
export function findTools(sourceMajor: number): Tools {
  const dirs = installedBinDirs();
  const found: string[] = [];
  for (const pgDump of [...dirs.map((d) => join(d, "pg_dump")), "pg_dump"]) {
    const pgRestore = pgDump.replace(/pg_dump$/, "pg_restore");
    const major = majorOf(pgDump);
    if (major === undefined || majorOf(pgRestore) !== major) continue;
    found.push(`${pgDump} ${major}`);
    if (major >= sourceMajor) return { pgDump, pgRestore, psql: pgDump.replace(/pg_dump$/, "psql"), major };
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

/**
 * Room for the restored cluster (about the source's size) and the WAL its load writes before a
 * checkpoint recycles it (up to as much again: max_wal_size is 8GB); the schema dump is small.
 */
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
      `not enough disk for the copy in ${dir}: about ${gb(needBytes)} needed (the restored database and the WAL of its load, each up to the source's ${gb(sourceBytes)}), ${gb(freeBytes)} free`,
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
  if (r.exitCode !== 0) throw toolError(bin, String(r.stderr), r.exitCode ?? null, secrets);
}

export interface CopyOptions {
  tools: Tools;
  /** libpq URL of the source. */
  sourceUrl: string;
  secrets: readonly string[];
  cluster: Cluster;
  database: string;
  /** Where the schema dump goes (a directory that does not exist yet). */
  dumpDir: string;
  jobs: number;
  lockTimeoutMs: number;
  onProgress?: (line: string) => void;
}

export interface CopyResult {
  /** Schema dumped and its pre-data section restored. */
  schemaMs: number;
  /** Table data streamed from the source into the copy (dump and restore overlapping). */
  dataMs: number;
  /** Indexes, constraints and triggers built on the copy (pg_restore -j). */
  postDataMs: number;
  analyzeMs: number;
  totalMs: number;
  jobs: number;
  /** Bytes of table data that went through the pipelines (pg_dump's custom format, uncompressed). */
  streamedBytes: number;
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

interface SourceTable {
  /** pg_dump --table pattern naming exactly this table. */
  pattern: string;
  bytes: number;
}

/** A name as an exact pg_dump pattern: double-quoted, so no character is a wildcard. */
function exactPattern(schema: string, name: string): string {
  const q = (x: string) => `"${x.replace(/"/g, '""')}"`;
  return `${q(schema)}.${q(name)}`;
}

export interface DataPipeline {
  /** pg_dump options choosing this pipeline's table data. */
  select: string[];
  /** The tables it loads: truncated in the load's own transaction first (see below). */
  tables: string[];
}

/**
 * Pure: spread tables over `jobs` pipelines, biggest first onto the least loaded. Pipeline 0 takes
 * everything not named elsewhere (small tables, sequences, large objects) by excluding the
 * others' tables' data; pipelines 1.. take their tables by name. Each pipeline's load truncates its
 * tables in the same transaction as its COPYs: with wal_level=minimal the server then skips WAL
 * for them (as pg_restore -j does for tables it created itself).
 */
export function dataPipelines(tables: readonly SourceTable[], jobs: number): DataPipeline[] {
  const n = Math.max(1, jobs);
  const load = new Array<number>(n).fill(0);
  const named: string[][] = Array.from({ length: n }, () => []);
  for (const t of [...tables].sort((a, b) => b.bytes - a.bytes)) {
    // least loaded, ties to the named pipelines, so the biggest tables are named, the rest not
    const i = load.lastIndexOf(Math.min(...load));
    load[i] = (load[i] ?? 0) + t.bytes;
    named[i]?.push(t.pattern);
  }
  const others = named.slice(1).flat();
  const rest: DataPipeline = {
    select: others.map((p) => `--exclude-table-data=${p}`),
    tables: tables.map((t) => t.pattern).filter((p) => !others.includes(p)),
  };
  return [
    rest,
    ...named
      .slice(1)
      .filter((g) => g.length > 0)
      .map((g) => ({ select: g.map((p) => `--table=${p}`), tables: g })),
  ];
}

/** Ordinary tables pg_dump would copy rows of, with their size (system and extension tables aside). */
async function sourceTables(c: pg.Client): Promise<SourceTable[]> {
  const { rows } = await c.query<{ nspname: string; relname: string; bytes: string }>(
    `select n.nspname, c.relname, pg_catalog.pg_table_size(c.oid)::text as bytes
       from pg_catalog.pg_class c join pg_catalog.pg_namespace n on n.oid = c.relnamespace
      where c.relkind = 'r' and n.nspname not in ('pg_catalog', 'information_schema')
        and n.nspname !~ '^pg_toast' and n.nspname !~ '^pg_temp'
        and not exists (select from pg_catalog.pg_depend d
                         where d.classid = 'pg_catalog.pg_class'::regclass and d.objid = c.oid and d.deptype = 'e')`,
  );
  return rows.map((r) => ({ pattern: exactPattern(r.nspname, r.relname), bytes: Number(r.bytes) }));
}

/** pg_dump | pg_restore, the dump's stdout piped into the restore; bytes that went through. */
function pipeline(
  dump: { bin: string; args: string[]; env: Record<string, string>; secrets: readonly string[] },
  restore: { bin: string; args: string[] },
): Promise<number> {
  return new Promise((resolve, reject) => {
    const env = (extra: Record<string, string>) => ({ ...process.env, ...extra });
    const d = spawn(dump.bin, dump.args, { env: env(dump.env), stdio: ["ignore", "pipe", "pipe"] });
    const r = spawn(restore.bin, restore.args, {
      env: env({ PGAPPNAME: "gonogo" }),
      stdio: ["pipe", "ignore", "pipe"],
    });
    let bytes = 0;
    let dumpErr = "";
    let restoreErr = "";
    d.stdout.on("data", (b: Buffer) => {
      bytes += b.length;
    });
    d.stdout.pipe(r.stdin);
    r.stdin.on("error", () => undefined); // the restore died: its exit status says why
    d.stderr.on("data", (b: Buffer) => {
      dumpErr += b;
    });
    r.stderr.on("data", (b: Buffer) => {
      restoreErr += b;
    });
    let dumpCode: number | null | undefined;
    let restoreCode: number | null | undefined;
    const settle = () => {
      if (dumpCode === undefined || restoreCode === undefined) return;
      if (dumpCode !== 0) return reject(toolError(dump.bin, dumpErr, dumpCode, dump.secrets));
      if (restoreCode !== 0) return reject(toolError(restore.bin, restoreErr, restoreCode, []));
      resolve(bytes);
    };
    d.on("error", (e) => {
      dumpErr += e.message;
      dumpCode = -1;
      r.kill("SIGKILL");
      settle();
    });
    r.on("error", (e) => {
      restoreErr += e.message;
      restoreCode = -1;
      d.kill("SIGKILL");
      settle();
    });
    d.on("close", (code) => {
      dumpCode = code;
      if (code !== 0) r.kill("SIGKILL");
      settle();
    });
    r.on("close", (code) => {
      restoreCode = code;
      if (code !== 0) d.kill("SIGKILL");
      settle();
    });
  });
}

function toolError(
  bin: string,
  stderr: string,
  code: number | null,
  secrets: readonly string[],
): GonogoError {
  const lines = stderr.split("\n").filter(Boolean);
  const first = lines.find((l) => /error/i.test(l)) ?? lines[0] ?? `exit ${code}`;
  return new GonogoError(
    `${bin.replace(/^.*\//, "")} failed: ${redact(first, secrets)}${lines.length > 1 ? ` (${lines.length} lines of errors)` : ""}`,
    bin.endsWith("pg_dump")
      ? "check that the role can read every table of the source (or rehearse on a clone with --target)"
      : "the copy could not be restored locally (an extension the local server lacks?); install it, or rehearse on a clone with --target",
  );
}

/** Copy the source into `database` on the cluster: one snapshot, data streamed (see the top). */
export async function copyDatabase(opts: CopyOptions): Promise<CopyResult> {
  const t0 = performance.now();
  const elapsed = () => `${((performance.now() - t0) / 1000).toFixed(0)} s`;
  // read-only by default for every session pg_dump opens; the password in the environment, not
  // on pg_dump's command line, which every local user can read in the process list
  const source = splitPassword(opts.sourceUrl);
  const sourceEnv: Record<string, string> = {
    PGAPPNAME: "gonogo",
    PGOPTIONS: "-c default_transaction_read_only=on",
    ...(source.password !== undefined ? { PGPASSWORD: source.password } : {}),
  };
  const target = clusterUrl(opts.cluster, opts.database);
  const restoreFlags = ["--no-owner", "--no-privileges", "--no-tablespaces", `--dbname=${target}`];
  const exporter = new pg.Client({ ...targetFromUrl(opts.sourceUrl).config, application_name: "gonogo" });
  await exporter.connect();
  try {
    // the session that exports the snapshot idles in its transaction while the data streams (as
    // pg_dump's own leader does): the server's idle-in-transaction limit must not end it
    await exporter.query("set idle_in_transaction_session_timeout = 0");
    await exporter.query("begin transaction isolation level repeatable read, read only");
    const snapshot = (await exporter.query<{ s: string }>("select pg_catalog.pg_export_snapshot() as s"))
      .rows[0]?.s;
    const tables = await sourceTables(exporter);
    const dumpArgs = [
      `--snapshot=${snapshot}`,
      "--no-sync",
      `--lock-wait-timeout=${opts.lockTimeoutMs}`,
      `--dbname=${source.url}`,
    ];

    opts.onProgress?.(`copy: schema, ${elapsed()}`);
    await runTool(
      opts.tools.pgDump,
      ["--schema-only", "--format=directory", `--file=${opts.dumpDir}`, ...dumpArgs],
      sourceEnv,
      opts.secrets,
      () => `copy: dumping the schema, ${elapsed()}`,
      opts.onProgress,
    );
    await runTool(
      opts.tools.pgRestore,
      ["--section=pre-data", ...restoreFlags, opts.dumpDir],
      { PGAPPNAME: "gonogo" },
      [],
      () => `copy: creating the tables, ${elapsed()}`,
      opts.onProgress,
    );
    const schemaMs = performance.now() - t0;

    const timer = setInterval(async () => {
      try {
        opts.onProgress?.(
          `copy: streaming the data, ${await rowsRestored(opts.cluster, opts.database)} rows loaded, ${elapsed()}`,
        );
      } catch {
        // progress is best effort
      }
    }, 1_000);
    let streamedBytes = 0;
    try {
      const sizes = await Promise.all(
        dataPipelines(tables, opts.jobs).map((p) =>
          pipeline(
            {
              bin: opts.tools.pgDump,
              args: ["--data-only", "--format=plain", ...p.select, ...dumpArgs],
              env: sourceEnv,
              secrets: opts.secrets,
            },
            {
              // one transaction: TRUNCATE, then the dump's COPYs (pg_dump's plain format, read
              // from the pipe); the tables are empty, the TRUNCATE only lets the server skip WAL
              bin: opts.tools.psql,
              args: [
                "-X",
                "-q",
                "-v",
                "ON_ERROR_STOP=1",
                "--single-transaction",
                ...(p.tables.length > 0 ? ["-c", `truncate only ${p.tables.join(", ")}`] : []),
                "-f",
                "-",
                `--dbname=${target}`,
              ],
            },
          ),
        ),
      );
      streamedBytes = sizes.reduce((a, b) => a + b, 0);
    } finally {
      clearInterval(timer);
    }
    const dataMs = performance.now() - t0 - schemaMs;
    await exporter.query("commit");

    await runTool(
      opts.tools.pgRestore,
      ["--section=post-data", `--jobs=${opts.jobs}`, ...restoreFlags, opts.dumpDir],
      { PGAPPNAME: "gonogo" },
      [],
      () => `copy: indexes and constraints, ${elapsed()}`,
      opts.onProgress,
    );
    const postDataMs = performance.now() - t0 - schemaMs - dataMs;
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
      schemaMs: Math.round(schemaMs),
      dataMs: Math.round(dataMs),
      postDataMs: Math.round(postDataMs),
      analyzeMs: Math.round(totalMs - schemaMs - dataMs - postDataMs),
      totalMs: Math.round(totalMs),
      jobs: opts.jobs,
      streamedBytes,
    };
  } finally {
    await exporter.end().catch(() => undefined);
  }
}
