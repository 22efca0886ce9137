// The one applier: every path that puts the migration on a database goes through here (the
// throwaway cluster, the integration tests, `gonogo migrate`, `verify --migrate`, rehearse).
//
// API
//   applyMigrations(client, opts?) -> MigrateResult
//     db/migrations (versioned: once each, recorded in gonogo.schema_migrations with its sha256,
//     refused if an applied file changed since; one applier at a time per database through an
//     advisory lock), then db/functions (repeatable: every time, each file in one transaction,
//     retried when a lock is busy). A migration file runs online, statement by statement in
//     autocommit exactly as `psql -f` (without -1) would, `\gexec` included. Its statements before
//     the first `-- gonogo:phase` after `preflight` (the ZD001/ZD002 refusals) run in one
//     transaction together with:
//       the data pre-check (precheck.ts; skipped with opts.precheckDone when the caller just
//       ran it on this database) and opts.beforeFirstChange(client): either throws to
//                                       refuse; the transaction is rolled back, nothing is
//                                       committed, no ledger is created;
//       the ledger row, state 'running'. Only then does the first change run. A run that stops
//     half-way (client killed, server crash) leaves that row 'running'; the next run resumes it by
//     running the file again (every statement is idempotent) and marks it 'completed'.
//     opts.onStatement({ file, phase, line, text, ms })  after each statement (rehearse: timings,
//                                       pg_locks sampled from another session meanwhile)
//     opts.onProgress({ phase, batch?, done?, total? })  phase changes and backfill batches
//     opts.log(line)                    one line per file applied, lock retries
//   prepareDatabase(client, opts?)  a fresh database as `verify` prepares its throwaway one.
//   applyFile(client, file)         one file in one transaction (baselines, fixtures).
import { createHash } from "node:crypto";
import type { ClientBase, DatabaseError } from "pg";
import { MIGRATION_TABLES } from "../migration.js";
import { GonogoError, SqlFileError } from "../program/errors.js";
import { assertPrecheckClean } from "./precheck.js";
import { readPrismaLedger, recordPrismaApplication } from "./prisma-ledger.js";
import { lexPsql, positionToLine, type Statement } from "./psql-script.js";
import {
  baselineFile,
  fixtureFiles,
  functionFiles,
  migrationFiles,
  precheckFileOf,
  type SqlFile,
} from "./sql-files.js";

/** Where applied migrations are recorded; its own schema keeps the application's schema clean. */
export const LEDGER = "gonogo.schema_migrations";
const LOCK_KEY = 7_476_616_763; // pg_advisory_lock key: one applier at a time per database
/** Lock timeout of one attempt of a repeatable file (db/functions) before it backs off and retries. */
const FUNCTION_LOCK_TIMEOUT = "500ms";
const FUNCTION_ATTEMPTS = 30;

export interface StatementEvent {
  file: string;
  phase: string;
  /** 1-based line of the statement's first character. */
  line: number;
  text: string;
  ms: number;
}

export interface ProgressEvent {
  file: string;
  phase: string;
  /** Set on backfill notices: batch number, rows done so far and rows to do in total. */
  batch?: number;
  done?: number;
  total?: number;
}

export interface ApplyOptions {
  /** The data pre-check: runs after the pre-flight, before the ledger and the first change. Throw to refuse. */
  beforeFirstChange?: (client: ClientBase) => Promise<void>;
  /**
   * The caller has just run the data pre-check on this database and reported it (rehearse, on its
   * disposable copy): not run a second time inside the apply, whose duration it would inflate.
   */
  precheckDone?: boolean;
  onStatement?: (e: StatementEvent) => void;
  onProgress?: (e: ProgressEvent) => void;
  log?: (line: string) => void;
}

export interface MigrateResult {
  applied: string[];
  alreadyApplied: string[];
  /** Versions found half-applied by an interrupted run and completed by this one. */
  resumed: string[];
  functions: number;
}

export function sha256(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("hex");
}

/** `db/migrations/<version>/migration.sql` -> `<version>`. */
export function versionOf(file: SqlFile): string {
  return file.path.split("/").at(-2) ?? file.path;
}

function sqlError(file: SqlFile, e: unknown, offset = 0): Error {
  const err = e as DatabaseError;
  if (!err || typeof err !== "object" || !("severity" in err)) return e as Error;
  const at = err.position ? Number(err.position) + offset : offset > 0 ? offset + 1 : undefined;
  const { line, column } = at ? positionToLine(file.text, at) : { line: undefined, column: undefined };
  const where = line ? `${file.path}:${line}:${column}` : file.path;
  const detail = [err.detail, err.hint ? `hint: ${err.hint}` : "", err.where ? `context: ${err.where}` : ""]
    .filter(Boolean)
    .join("; ");
  return new SqlFileError(
    `${where}: ${err.code ? `${err.code} ` : ""}${err.message}${detail ? ` (${detail})` : ""}`,
    file.path,
    line,
    column,
    err.code,
  );
}

/** Run one file's text in a transaction of its own (unless it manages its own). */
export async function applyFile(
  client: ClientBase,
  file: SqlFile,
  opts: { transaction?: boolean; lockTimeout?: string } = {},
) {
  const wrap = opts.transaction ?? true;
  try {
    if (wrap) await client.query("begin");
    if (wrap && opts.lockTimeout) await client.query(`set local lock_timeout = '${opts.lockTimeout}'`);
    await client.query(file.text);
    if (wrap) await client.query("commit");
  } catch (e) {
    if (wrap) await client.query("rollback").catch(() => undefined);
    throw sqlError(file, e);
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A repeatable file under live traffic: a short lock timeout, and on a busy lock back off and retry. */
async function applyRepeatable(client: ClientBase, file: SqlFile, log: (l: string) => void) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await applyFile(client, file, { lockTimeout: FUNCTION_LOCK_TIMEOUT });
    } catch (e) {
      const state = (e as SqlFileError).sqlstate;
      if ((state !== "55P03" && state !== "40P01") || attempt >= FUNCTION_ATTEMPTS) throw e;
      log(`${file.path}: lock busy, retry ${attempt}`);
      await sleep(Math.min(5000, 100 * 2 ** Math.min(attempt - 1, 6)) * (0.5 + Math.random()));
    }
  }
}

export interface Phase {
  name: string;
  statements: Statement[];
}

/** A migration file cut at its `-- gonogo:phase <name>` lines; text before the first is `preflight`. */
export function phasesOf(text: string): Phase[] {
  const marks = [...text.matchAll(/^-- gonogo:phase (.+)$/gm)].map((m) => ({
    at: m.index ?? 0,
    name: (m[1] ?? "").trim(),
  }));
  const phases: Phase[] = [];
  for (const s of lexPsql(text).statements) {
    const name = marks.filter((m) => m.at <= s.start).at(-1)?.name ?? "preflight";
    const last = phases.at(-1);
    if (last && last.name === name) last.statements.push(s);
    else phases.push({ name, statements: [s] });
  }
  return phases;
}

const BACKFILL = /^backfill (\S+): batch (\d+), (\d+) of (\d+) rows/;

/** Run one migration file online: pre-flight + hook + `onCommitted` in one transaction, the rest in autocommit. */
export async function runMigrationFile(
  client: ClientBase,
  file: SqlFile,
  opts: ApplyOptions & { onPreflightDone?: (client: ClientBase) => Promise<void> } = {},
): Promise<void> {
  const phases = phasesOf(file.text);
  let phase = "preflight";
  const onNotice = (n: { message?: string }) => {
    const msg = n.message ?? "";
    const m = BACKFILL.exec(msg);
    if (m) {
      opts.onProgress?.({
        file: file.path,
        phase: `backfill ${m[1]}`,
        batch: Number(m[2]),
        done: Number(m[3]),
        total: Number(m[4]),
      });
    } else if (/^lock busy/.test(msg)) opts.log?.(`${file.path}: ${msg}`);
  };
  const run = async (s: Statement) => {
    const text = file.text.slice(s.start, s.end);
    const t0 = performance.now();
    try {
      if (s.gexec) {
        const r = await client.query<Record<string, unknown>>(text);
        for (const row of r.rows)
          for (const v of Object.values(row)) if (v !== null) await client.query(String(v));
      } else await client.query(text);
    } catch (e) {
      throw sqlError(file, e, s.start);
    }
    const { line } = positionToLine(file.text, s.start + 1);
    opts.onStatement?.({ file: file.path, phase, line, text, ms: performance.now() - t0 });
  };
  client.on("notice", onNotice);
  const settings = await client.query<{ cmm: string }>(
    "select current_setting('client_min_messages') as cmm",
  );
  try {
    await client.query("set client_min_messages = notice");
    const [first, ...rest] = phases;
    await client.query("begin");
    try {
      if (first?.name === "preflight") {
        opts.onProgress?.({ file: file.path, phase });
        for (const s of first.statements) await run(s);
      } else if (first) rest.unshift(first);
      await opts.beforeFirstChange?.(client);
      await opts.onPreflightDone?.(client);
      await client.query("commit");
    } catch (e) {
      await client.query("rollback").catch(() => undefined);
      throw e;
    }
    for (const p of rest) {
      phase = p.name;
      opts.onProgress?.({ file: file.path, phase });
      for (const s of p.statements) await run(s);
    }
  } finally {
    client.off("notice", onNotice);
    await client
      .query(`set client_min_messages = ${settings.rows[0]?.cmm ?? "warning"}`)
      .catch(() => undefined);
  }
}

/** Does the database already hold any of the migration's tables? */
async function migrationTablesPresent(client: ClientBase): Promise<number> {
  const { rows } = await client.query<{ n: number }>(
    "select count(*)::int as n from unnest($1::text[]) t where to_regclass('public.' || t) is not null",
    [MIGRATION_TABLES],
  );
  return rows[0]?.n ?? 0;
}

interface LedgerRow {
  version: string;
  checksum: string;
  state: string;
}

async function readLedger(client: ClientBase): Promise<Map<string, LedgerRow>> {
  const { rows } = await client.query<{ present: boolean }>(
    `select to_regclass('${LEDGER}') is not null as present`,
  );
  if (!rows[0]?.present) return new Map();
  // Ledgers written before resumable applies have no state: their rows were one transaction each.
  const r = await client.query<LedgerRow>(
    `select version, checksum, coalesce(to_jsonb(l) ->> 'state', 'completed') as state from ${LEDGER} l`,
  );
  return new Map(r.rows.map((row) => [row.version, row]));
}

/** Inside the pre-flight transaction: the ledger (created on first use) and this run's row. */
async function recordStart(client: ClientBase, file: SqlFile, checksum: string) {
  await ensureLedger(client);
  await client.query(
    `insert into ${LEDGER} (version, file, checksum, state) values ($1, $2, $3, 'running')
     on conflict (version) do update set runs = ${LEDGER}.runs + 1, applied_at = now()`,
    [versionOf(file), file.path, checksum],
  );
}

/** The ledger, created on first use (and given the columns of resumable applies). */
async function ensureLedger(client: ClientBase) {
  await client.query(`create schema if not exists gonogo;
    create table if not exists ${LEDGER} (
      version text primary key,
      file text not null,
      checksum text not null,
      applied_at timestamptz not null default now(),
      applied_by text not null default current_user);
    alter table ${LEDGER} add column if not exists state text not null default 'completed',
      add column if not exists runs integer not null default 1`);
}

/** Migrations then functions: what `gonogo migrate` applies. */
export async function applyMigrations(client: ClientBase, opts: ApplyOptions = {}): Promise<MigrateResult> {
  const log = opts.log ?? (() => {});
  const result: MigrateResult = { applied: [], alreadyApplied: [], resumed: [], functions: 0 };
  // The backfill and CONCURRENTLY builds outlast any per-statement limit; a killed client must
  // stop its server-side work promptly instead of running on unseen.
  await client.query("set statement_timeout = 0; set client_connection_check_interval = '1s'");
  await client.query("select pg_advisory_lock($1)", [LOCK_KEY]);
  try {
    const recorded = await readLedger(client);
    for (const file of migrationFiles()) {
      const version = versionOf(file);
      const checksum = sha256(file.text);
      const before = recorded.get(version);
      if (before && before.checksum !== checksum) {
        throw new GonogoError(
          `${file.path} changed since it was applied (sha256 ${before.checksum.slice(0, 12)}... recorded, ${checksum.slice(0, 12)}... now)`,
          "migrations are immutable once applied: restore the applied file and put the change in a new migration",
        );
      }
      if (before?.state === "completed") {
        result.alreadyApplied.push(version);
        continue;
      }
      if (!before && recorded.size === 0) {
        const present = await migrationTablesPresent(client);
        if (present > 0) {
          if ((await readPrismaLedger(client, version)).status === "applied") {
            // Applied by hand (psql -f) and recorded with `prisma migrate resolve --applied`, or
            // deployed by Prisma: its ledger holds this very file, finished. Taken into ours as is.
            await ensureLedger(client);
            await client.query(
              `insert into ${LEDGER} (version, file, checksum, state, runs) values ($1, $2, $3, 'completed', 0)`,
              [version, file.path, checksum],
            );
            result.alreadyApplied.push(version);
            log(
              `${file.path} is recorded as applied in _prisma_migrations (same checksum): recorded in ${LEDGER}, not run again`,
            );
            continue;
          }
          throw new GonogoError(
            `${file.path} looks applied already (${present} of its ${MIGRATION_TABLES.length} tables exist) but ${LEDGER} has no record of it`,
            "the database was migrated by hand: verify it without --migrate",
          );
        }
      }
      await runMigrationFile(client, file, {
        ...opts,
        onPreflightDone: async (c) => {
          // The data pre-check: rows the new constraints would reject refuse the apply here, before
          // the ledger row and the first change (exit 3, rule, count, sample keys, fix).
          if (!opts.precheckDone) await assertPrecheckClean(c, [precheckFileOf(file) ?? []].flat());
          await recordStart(c, file, checksum);
        },
      });
      await client.query(`update ${LEDGER} set state = 'completed', applied_at = now() where version = $1`, [
        version,
      ]);
      // A database deployed with Prisma learns of it too, so `prisma migrate deploy` skips it.
      await recordPrismaApplication(client, version, file.text);
      (before ? result.resumed : result.applied).push(version);
      log(`${before ? "completed the interrupted application of" : "applied"} ${file.path}`);
    }
    opts.onProgress?.({ file: "db/functions", phase: "functions" });
    for (const file of functionFiles()) {
      await applyRepeatable(client, file, log);
      result.functions++;
    }
    log(`applied ${result.functions} repeatable file(s) from db/functions`);
    return result;
  } finally {
    await client.query("select pg_advisory_unlock($1)", [LOCK_KEY]).catch(() => undefined);
    await client.query("reset statement_timeout; reset lock_timeout").catch(() => undefined);
  }
}

export interface PrepareOptions {
  /** Baseline to load first (a fresh database only). */
  baseline?: string;
  /** Load db/fixtures (throwaway databases only). */
  fixtures?: boolean;
  /** `create extension pgtap` (throwaway databases only; staging gets it per test transaction). */
  pgtap?: boolean;
}

/** A fresh database prepared exactly as `verify` prepares its throwaway one. */
export async function prepareDatabase(client: ClientBase, opts: PrepareOptions = {}): Promise<void> {
  await client.query("set client_min_messages = warning");
  if (opts.baseline) await applyFile(client, baselineFile(opts.baseline));
  if (opts.pgtap ?? true) await client.query("create extension if not exists pgtap");
  await applyMigrations(client);
  if (opts.fixtures ?? true) for (const f of fixtureFiles()) await applyFile(client, f);
}
