// Pure: tells interference from evidence. A test file that ended on lock contention, a timeout, a
// deadlock or a serialization failure proved nothing about the schema: the runner retries it in a
// fresh transaction (backoff within a budget) and, when it still cannot run, the run has no verdict.
// Also: which files take strong locks (they run alone), and the wording of an inconclusive run.
import type { FileResult } from "./tap-results.js";

/** SQLSTATEs that say another session got in the way, not that a guarantee is broken. */
export const INTERFERENCE_SQLSTATES: Readonly<Record<string, string>> = {
  "55P03": "lock not available",
  "57014": "statement timeout",
  "25P03": "idle-in-transaction timeout",
  "40P01": "deadlock",
  "40001": "serialization failure",
};

export interface Interference {
  sqlstate: string;
  message: string;
  /** The table the error names (TABLE field, or `relation "x"` in the message/context), if any. */
  table?: string;
}

// pgTAP's diagnostics of a caught error: throws_ok `caught: 55P03: ...`, lives_ok `died: 55P03: ...`,
// and is() over gn_try-style results `have: 55P03: ...`.
// The colon after the code is required: `have: 40001` alone is a value, not an error.
const CAUGHT = /^\s*(?:caught|died|have):\s*([0-9A-Z]{5}):\s*(.*)$/m;
const RELATION = /relation "([^"]+)"/;

export function isInterference(sqlstate: string | undefined): boolean {
  return sqlstate !== undefined && Object.hasOwn(INTERFERENCE_SQLSTATES, sqlstate);
}

function tableIn(...texts: (string | undefined)[]): string | undefined {
  for (const t of texts) {
    const m = t ? RELATION.exec(t) : null;
    if (m?.[1]) return m[1];
  }
  return undefined;
}

/** The interference a file met, or undefined when its result (pass or fail) is evidence. */
export function interferenceOf(r: FileResult): Interference | undefined {
  const e = r.error;
  if (e && isInterference(e.sqlstate)) {
    const table = e.table ? (e.schema ? `${e.schema}.${e.table}` : e.table) : tableIn(e.message, e.where);
    return { sqlstate: e.sqlstate as string, message: e.message, ...(table ? { table } : {}) };
  }
  for (const f of r.failures) {
    const m = CAUGHT.exec(f.diagnostics);
    if (m?.[1] && isInterference(m[1])) {
      const table = tableIn(m[2], f.diagnostics);
      return { sqlstate: m[1], message: (m[2] ?? "").trim(), ...(table ? { table } : {}) };
    }
  }
  return undefined;
}

export interface RetryPolicy {
  /** Total time a file may spend being retried after its first interference (0: never retry). */
  budgetMs: number;
  firstDelayMs: number;
  maxDelayMs: number;
}

/** 250 ms, 0.5, 1, 2, 4, 8, 8 ... s between attempts, for at most 30 s per file. */
export const DEFAULT_RETRY: RetryPolicy = { budgetMs: 30_000, firstDelayMs: 250, maxDelayMs: 8_000 };

/**
 * How long to wait before attempt `attempt + 1`, `elapsedMs` after the first interference; undefined
 * when the budget is spent. Doubling backoff, capped, and never beyond the budget.
 */
export function retryDelay(attempt: number, elapsedMs: number, p: RetryPolicy): number | undefined {
  const left = p.budgetMs - elapsedMs;
  if (left <= 0) return undefined;
  const backoff = Math.min(p.maxDelayMs, p.firstDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.min(backoff, left);
}

/** One progress line for a retry: what got in the way, and when the file runs again. */
export function describeRetry(path: string, hit: Interference, attempt: number, delayMs: number): string {
  const kind = INTERFERENCE_SQLSTATES[hit.sqlstate] ?? hit.sqlstate;
  return `wait ${path}: ${kind} (${hit.sqlstate})${hit.table ? ` on ${hit.table}` : ""} on attempt ${attempt}; again in ${delayMs} ms`;
}

// The helper of db/tests/_support/helper-functions.psql that takes ACCESS EXCLUSIVE locks without queueing.
const STRONG_LOCK_HELPER = /\bgn_try_without_queueing\s*\(/;

/**
 * A file that takes ACCESS EXCLUSIVE locks runs alone: any other file of the suite holds ordinary
 * locks on the same tables while it runs, so the lock would never be free without queueing.
 */
export function takesStrongLocks(fileText: string): boolean {
  return STRONG_LOCK_HELPER.test(fileText.replace(/--[^\n]*/g, ""));
}

/** A session holding a lock on the contended table, as pg_locks/pg_stat_activity showed it. */
export interface LockHolder {
  table: string;
  pid: number;
  applicationName: string;
  /** null when the role may not see other users' sessions (pg_read_all_stats). */
  state: string | null;
  mode: string;
  /** Seconds its transaction (or else its query) has been open. */
  seconds: number | null;
}

export function describeHolder(h: LockHolder): string {
  const state = h.state ?? "state hidden (needs pg_read_all_stats)";
  const age = h.seconds === null ? "" : ` for ${h.seconds.toFixed(1)} s`;
  return `pid ${h.pid} (application_name "${h.applicationName}", ${state}${age}, ${h.mode} on ${h.table})`;
}

export interface InconclusiveFacts {
  check: string | undefined;
  file: string;
  interference: Interference;
  attempts: number;
  elapsedMs: number;
  holders: readonly LockHolder[];
}

/** One-line reason and fix of a run that ended without a verdict. */
export function explainInconclusive(f: InconclusiveFacts): { reason: string; fix: string } {
  const i = f.interference;
  const kind = INTERFERENCE_SQLSTATES[i.sqlstate] ?? i.sqlstate;
  const holder = f.holders[0];
  const table = i.table ?? holder?.table;
  const who = holder
    ? `held by ${describeHolder(holder)}${f.holders.length > 1 ? ` and ${f.holders.length - 1} more session(s)` : ""}`
    : "no session holds a lock on it any more";
  const reason =
    `inconclusive, no verdict: check ${f.check ?? "?"} could not run undisturbed: ${f.file} ended on ` +
    `${kind} (${i.sqlstate}: ${i.message})${table ? ` on table ${table}` : ""}, ${who}; ` +
    `${f.attempts} attempt(s) in ${(f.elapsedMs / 1000).toFixed(1)} s`;
  const fix = holder
    ? `contention is not evidence: rerun when pid ${holder.pid} has ended its transaction, or allow more time with --retry-budget`
    : "contention is not evidence: rerun when the database is quieter, or allow more time with --retry-budget";
  return { reason, fix };
}
