// I/O: runs pgTAP test files like pg_prove does (psql -X -v ON_ERROR_STOP=1 -tA per file), but over a
// pool of node-pg connections: each file's text goes as one simple-query string (with the runner's
// begin before it and a rollback after it: one round trip a file), every returned row becomes TAP
// lines in order, the first SQL error stops the file (and fails it), then the connection is rolled
// back. A connection's next file is read and expanded while the server runs the current one.
// Section 0 files start first, the rest follow on --jobs connections, then the files that take
// ACCESS EXCLUSIVE locks run one at a time. A file that met interference
// (lock contention, a timeout, a deadlock) is retried; if it never runs undisturbed the run is
// inconclusive (exit 3), never a verdict.
import { existsSync, readFileSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import pg from "pg";
import { expandScript, locate, type Script, type Shaped, shapeTransaction } from "../apply/psql-script.js";
import { listSql } from "../apply/sql-files.js";
import { ALL_TABLES } from "../migration.js";
import { GonogoError, Inconclusive } from "../program/errors.js";
import { APPLICATION_NAME } from "../target/connection.js";
import { checkForFile, isSection0 } from "./checks.js";
import {
  DEFAULT_RETRY,
  type Interference,
  interferenceOf,
  type LockHolder,
  type RetryPolicy,
  retryDelay,
  takesStrongLocks,
} from "./interference.js";
import { type FileResult, parseFileTap, type SqlErrorInfo } from "./tap-results.js";

export interface RunOptions {
  /** Test files, relative to root. */
  files: readonly string[];
  root: string;
  /** Opens one configured connection (session settings, workspace). */
  connect: () => Promise<pg.Client>;
  jobs: number;
  /**
   * `url`: a database we must leave as found: every file must be `begin ... rollback` and runs in
   * a transaction the runner opens and rolls back. `cluster`: a throwaway database, psql semantics.
   */
  mode: "cluster" | "url";
  /** Create pgTAP inside each file's transaction (a staging database without it installed). */
  createPgtap?: boolean;
  /** How long a file that met interference is retried (default DEFAULT_RETRY.budgetMs, 30 s). */
  retryBudgetMs?: number;
  /** Start no further file once one has failed (mutation testing: one failure decides). */
  stopAfterFailure?: boolean;
  /**
   * Cluster mode: a psql file (relative to root) each connection runs once, committed, before its
   * first test file: the suite's helper functions, created in pg_temp for the session's lifetime.
   * Test files then see the psql variable SESSION_HELPERS defined and skip creating them (their
   * `\if :{?gonogo_session_helpers}`), so they are created and compiled once per connection, not
   * once per file. Never on a URL target: nothing is committed there, not even for a session.
   */
  sessionHelpers?: string;
  /**
   * Cluster mode: pgTAP's own temp tables (plan()'s __tcache__ and its test-number sequence) are
   * created once per connection and reset before each file (emptied, counter back to 1), instead
   * of created by every file's plan() and dropped by its rollback: ~2 ms of server time a file
   * plus the relation files, -10% of a cached run's suite (measured). pgTAP sees what a fresh
   * session shows it: no plan yet, test 1 next. Never on a URL target.
   */
  reusePgtapTables?: boolean;
  /** Files with a higher priority start first (default: all equal, biggest first). */
  priority?: (path: string) => number;
  onFileStart?: (path: string) => void;
  onFileDone?: (result: FileResult, done: number, total: number) => void;
  /** A file met interference and runs again after delayMs. */
  onRetry?: (path: string, interference: Interference, attempt: number, delayMs: number) => void;
}

/** The connection itself failed (not a SQL error in a file): the run cannot complete. */
export class ConnectionLost extends Error {
  override name = "ConnectionLost";
}

const RAW_TYPES = { getTypeParser: () => (value: string) => value };

interface Output {
  lines: string[];
  error?: pg.DatabaseError | Error;
}

/** Send text as one simple query; collect each row as psql -tA prints it, even if a statement fails. */
function streamRows(client: pg.Client, text: string): Promise<Output> {
  return new Promise((resolvePromise) => {
    const lines: string[] = [];
    const query = new pg.Query({ text, rowMode: "array", types: RAW_TYPES } as pg.QueryConfig);
    query.on("row", (row: unknown[]) => {
      const line = row.map((v) => (v === null || v === undefined ? "" : String(v))).join("|");
      for (const l of line.split("\n")) lines.push(l);
    });
    // node-pg settles a failed query with 'error' only ('end' follows success).
    query.on("error", (e: Error) => resolvePromise({ lines, error: e }));
    query.on("end", () => resolvePromise({ lines }));
    client.query(query);
  });
}

/** The error of a file's text, its position mapped back to the file (the text sent had `lead` before it). */
function toSqlError(script: Script, e: pg.DatabaseError | Error, lead = 0): SqlErrorInfo {
  const db = e as pg.DatabaseError;
  const info: SqlErrorInfo = { sqlstate: db.code, message: e.message, file: script.path };
  if (db.position && Number(db.position) > lead)
    Object.assign(info, locate(script, Number(db.position) - lead));
  if (db.detail) info.detail = db.detail;
  if (db.hint) info.hint = db.hint;
  if (db.where) info.where = db.where;
  if (db.table) info.table = db.table;
  if (db.schema) info.schema = db.schema;
  return info;
}

/** The psql variable a test file sees defined once its connection holds the session helpers. */
export const SESSION_HELPERS = "gonogo_session_helpers";

/** sql in a transaction of its own, committed; false (rolled back, connection clean) when it fails. */
async function commitsCleanly(client: pg.Client, sql: string): Promise<boolean> {
  try {
    await client.query(`begin;\n${sql}\n;commit`);
    return true;
  } catch {
    await client.query("rollback").catch(() => undefined);
    return false;
  }
}

/**
 * Create the session helpers on a fresh connection (cluster mode). False when they could not be
 * created: the connection is left clean and its files create the helpers themselves, failing
 * with the error and its line as they would under psql.
 */
async function installSessionHelpers(client: pg.Client, root: string, path: string): Promise<boolean> {
  const { script } = prepareFile(path, root);
  return script.errors.length === 0 && (await commitsCleanly(client, script.text));
}

/** pgTAP's temp tables, made by its own plan() and left empty, for the session (reusePgtapTables). */
const keepPgtapTables = (client: pg.Client) =>
  commitsCleanly(client, "select plan(1); delete from pg_temp.__tcache__");

/**
 * What plan() finds in a fresh session: no rows, and the next test is number 1. Statements that
 * return no row (the setval runs, its one row is filtered out), so they can lead a file's text.
 */
const RESET_PGTAP =
  "delete from pg_temp.__tcache__;\n" +
  "select from pg_catalog.setval('pg_temp.__tresults___numb_seq', 1, false) as n(v) where v is null;\n";

/** Created inside the file's transaction, so its rollback removes pgTAP again (a URL without it). */
const CREATE_PGTAP = "set local client_min_messages = warning;\ncreate extension if not exists pgtap;\n";

/** A test file read, expanded and shaped for the psql variables its connection defines. */
export interface PreparedFile {
  path: string;
  script: Script;
  shaped: Shaped;
  /** The psql variables it was expanded with (a connection replaced mid-run may define others). */
  variables: string;
}

const variablesKey = (variables?: ReadonlySet<string>) => [...(variables ?? [])].sort().join(",");

/** Read and expand a file (psql's \ir, \set, \if): node's share of a file, done before its turn. */
export function prepareFile(path: string, root: string, variables?: ReadonlySet<string>): PreparedFile {
  const script = expandScript(resolve(root, path), {
    root,
    readFile: (p) => readFileSync(p, "utf8"),
    variables,
  });
  return { path, script, shaped: shapeTransaction(script.text), variables: variablesKey(variables) };
}

/**
 * Run one file on one connection; never throws for SQL errors, only for a lost connection.
 * A `begin ... rollback` file goes as one simple query: the runner's begin (and pgTAP's reset,
 * pgTAP's creation on a URL without it), the file's body, and a final rollback, so a file costs
 * one round trip; when it fails, the statements after the error are skipped (psql's ON_ERROR_STOP)
 * and a separate rollback ends the aborted transaction.
 */
export async function runFile(
  client: pg.Client,
  file: string | PreparedFile,
  opts: Pick<RunOptions, "root" | "mode" | "createPgtap"> & {
    variables?: ReadonlySet<string>;
    /** The connection keeps pgTAP's temp tables: reset them first. */
    resetPgtap?: boolean;
  },
): Promise<FileResult> {
  const started = performance.now();
  const prepared =
    typeof file === "string" || file.variables !== variablesKey(opts.variables)
      ? prepareFile(typeof file === "string" ? file : file.path, opts.root, opts.variables)
      : file;
  const { path, script, shaped } = prepared;
  const done = (tap: string, error?: SqlErrorInfo) =>
    parseFileTap(path, tap, { error, durationMs: performance.now() - started });
  if (script.errors.length > 0) return done("", { message: script.errors.join("; ") });
  if (opts.mode === "url" && !shaped.transactional) {
    return done("", {
      message: `not run against a database URL because ${shaped.reason}: nothing may be committed there`,
      file: path,
    });
  }
  // The text before the file's own (offsets kept: its begin is blanked, not removed).
  const lead = shaped.transactional
    ? `begin;\n${opts.resetPgtap ? RESET_PGTAP : ""}${opts.createPgtap ? CREATE_PGTAP : ""}`
    : opts.resetPgtap
      ? `begin;\n${RESET_PGTAP}commit;\n`
      : "";
  const text = `${lead}${shaped.text}${shaped.transactional ? "\n;rollback" : ""}`;
  const out = await streamRows(client, text);
  let error: SqlErrorInfo | undefined;
  if (out.error) {
    if (!(out.error as pg.DatabaseError).code) throw new ConnectionLost(out.error.message);
    error = toSqlError(script, out.error, lead.length);
  }
  if (out.error || !shaped.transactional) {
    // Roll back whatever may be open: the file's aborted transaction, or one a file left behind.
    // A rollback outside a transaction only warns.
    await client.query("rollback").catch(() => undefined);
  }
  return done(out.lines.length > 0 ? `${out.lines.join("\n")}\n` : "", error);
}

function sizeOf(root: string, path: string): number {
  try {
    return statSync(resolve(root, path)).size;
  } catch {
    return 0;
  }
}

function takesStrongLocksAt(root: string, path: string): boolean {
  try {
    return takesStrongLocks(readFileSync(resolve(root, path), "utf8"));
  } catch {
    return false;
  }
}

// Who holds a lock on the contended tables right now, other sessions than gonogo's first, the
// oldest transaction first: pg_locks joined to pg_stat_activity at the moment of failure.
const LOCK_HOLDERS = `
select l.relation::regclass::text as table, a.pid, coalesce(a.application_name, '') as application_name,
  a.state, l.mode,
  round(extract(epoch from pg_catalog.clock_timestamp() - coalesce(a.xact_start, a.query_start))::numeric, 1)::float8 as seconds
from pg_catalog.pg_locks l
join pg_catalog.pg_stat_activity a on a.pid = l.pid
where l.locktype = 'relation' and l.granted and l.pid <> pg_catalog.pg_backend_pid()
  and l.database = (select d.oid from pg_catalog.pg_database d where d.datname = pg_catalog.current_database())
  and l.relation = any (array(select pg_catalog.to_regclass(t)::oid from unnest($1::text[]) t))
order by a.application_name = $2, a.xact_start nulls last, a.pid, l.mode
limit 5`;

async function lockHolders(client: pg.Client, table: string | undefined): Promise<LockHolder[]> {
  const tables = table ? [table] : ALL_TABLES.map((t) => `public.${t}`);
  const { rows } = await client.query(LOCK_HOLDERS, [tables, APPLICATION_NAME]);
  return rows.map((r) => ({
    table: r.table,
    pid: r.pid,
    applicationName: r.application_name,
    state: r.state,
    mode: r.mode,
    seconds: r.seconds,
  }));
}

/** One connection of the pool; replaced when the server ended its session (25P03). */
interface Slot {
  client: pg.Client;
  /** psql variables its files see defined (SESSION_HELPERS once the helpers exist on it). */
  variables: Set<string>;
  /** It keeps pgTAP's temp tables (reusePgtapTables). */
  pgtapTables: boolean;
}

/** A connection of the pool, with the session helpers created on it when asked for. */
async function openSlot(opts: RunOptions): Promise<Slot> {
  const client = await opts.connect();
  const variables = new Set<string>();
  const cluster = opts.mode === "cluster";
  if (opts.sessionHelpers && cluster) {
    if (await installSessionHelpers(client, opts.root, opts.sessionHelpers)) variables.add(SESSION_HELPERS);
  }
  const pgtapTables =
    cluster && !!opts.reusePgtapTables && !opts.createPgtap && (await keepPgtapTables(client));
  return { client, variables, pgtapTables };
}

/**
 * Run a file until it runs undisturbed: interference (contention, timeouts, deadlocks) is retried
 * in a fresh transaction with backoff; when the budget is spent, the run is inconclusive.
 */
async function runUndisturbed(slot: Slot, file: PreparedFile, opts: RunOptions): Promise<FileResult> {
  const policy: RetryPolicy = { ...DEFAULT_RETRY, budgetMs: opts.retryBudgetMs ?? DEFAULT_RETRY.budgetMs };
  const path = file.path;
  let firstHit: number | undefined;
  for (let attempt = 1; ; attempt++) {
    const r = await runFile(slot.client, file, {
      ...opts,
      variables: slot.variables,
      resetPgtap: slot.pgtapTables,
    });
    const hit = interferenceOf(r);
    if (!hit) return r;
    firstHit ??= performance.now();
    if (hit.sqlstate === "25P03") {
      // the server closed that session: continue on a new one
      await slot.client.end().catch(() => undefined);
      Object.assign(slot, await openSlot(opts));
    }
    const elapsedMs = performance.now() - firstHit;
    const delay = retryDelay(attempt, elapsedMs, policy);
    if (delay === undefined) {
      const holders = await lockHolders(slot.client, hit.table).catch(() => []);
      throw new Inconclusive({
        check: r.check,
        file: path,
        interference: hit,
        attempts: attempt,
        elapsedMs,
        holders,
      });
    }
    opts.onRetry?.(path, hit, attempt, delay);
    await sleep(delay);
  }
}

/**
 * Run the suite: Section 0 files start first, the rest spread over `jobs` connections, then the
 * files that take ACCESS EXCLUSIVE locks one at a time (no other file of ours holds a lock then,
 * so only the application can be in their way). Throws Inconclusive when a file cannot run
 * undisturbed within the retry budget.
 */
export async function runSuite(opts: RunOptions): Promise<FileResult[]> {
  const jobs = Math.max(1, Math.floor(opts.jobs));
  const results = new Map<string, FileResult>();
  const total = opts.files.length;
  const strong = new Set(opts.files.filter((f) => !isSection0(f) && takesStrongLocksAt(opts.root, f)));
  // Section 0 starts first, the rest follows on each connection as soon as it is free (no barrier:
  // a connection idled ~10 ms waiting for the other's last Section 0 file); strong locks last.
  const phases = [opts.files.filter((f) => !strong.has(f)), [...strong]];
  const slots: Slot[] = [];
  let anyFailed = false;
  const width = Math.min(jobs, Math.max(1, total));
  try {
    // open the connections side by side; keep the ones that opened, so finally closes them
    const opened = await Promise.allSettled(Array.from({ length: width }, () => openSlot(opts)));
    for (const o of opened) if (o.status === "fulfilled") slots.push(o.value);
    const failed = opened.find((o): o is PromiseRejectedResult => o.status === "rejected");
    if (failed) throw failed.reason;
    for (const [n, phase] of phases.entries()) {
      // Biggest files first (a cheap proxy for the slowest), so no long file starts last.
      const rank = opts.priority ?? (() => 0);
      const size = new Map(phase.map((f) => [f, sizeOf(opts.root, f)])); // one stat a file
      const queue = [...phase].sort(
        (a, b) =>
          Number(isSection0(b)) - Number(isSection0(a)) ||
          rank(b) - rank(a) ||
          (size.get(b) ?? 0) - (size.get(a) ?? 0),
      );
      const workers = n === phases.length - 1 ? slots.slice(0, 1) : slots;
      // Each worker reads and expands its next file while the server runs the current one, so
      // the connection does not wait for node between files.
      const take = (slot: Slot) => {
        const path = queue.shift();
        return path === undefined ? undefined : prepareFile(path, opts.root, slot.variables);
      };
      const settled = await Promise.allSettled(
        workers.map(async (slot) => {
          for (let file = take(slot); file !== undefined; ) {
            if (anyFailed && opts.stopAfterFailure) break;
            opts.onFileStart?.(file.path);
            try {
              const running = runUndisturbed(slot, file, opts);
              const next = take(slot);
              const r = await running;
              results.set(file.path, r);
              if (!r.ok) anyFailed = true;
              opts.onFileDone?.(r, results.size, total);
              file = next;
            } catch (e) {
              queue.length = 0; // the run cannot complete: start nothing more
              throw e;
            }
          }
        }),
      );
      const rejected = settled.find((o): o is PromiseRejectedResult => o.status === "rejected");
      if (rejected) throw rejected.reason;
    }
  } finally {
    await Promise.all(slots.map((s) => s.client.end().catch(() => undefined)));
  }
  // with stopAfterFailure, the files never started have no result
  return opts.files.flatMap((f) => results.get(f) ?? []);
}

/** The session helpers of a tests directory (root-relative path), when it has them. */
export function sessionHelpersIn(testsDir: string, root: string): string | undefined {
  const path = join(testsDir, "_support", "helper-functions.psql");
  return existsSync(resolve(root, path)) ? path : undefined;
}

/** Test files under dir (relative to the root), each mapped to a check by its folder. */
export function discoverTests(dir: string, root: string): string[] {
  const abs = resolve(root, dir);
  const files = listSql(abs, ".test.sql");
  if (files.length === 0) {
    throw new GonogoError(
      `no *.test.sql files under ${relative(root, abs).startsWith("..") ? abs : relative(root, abs) || "."}`,
      "check --tests or the checkout",
    );
  }
  const unmapped = files.filter((f) => !checkForFile(f));
  if (unmapped.length > 0) {
    throw new GonogoError(
      `test file ${unmapped[0]} is in a folder that names no check`,
      "put each test file under a folder named for its check: s0_, c1_..c6_, i1_..i3_, inv1_, inv2_, e1_..e3_",
    );
  }
  return files;
}
