// I/O: runs mutants. Each one gets its own database cloned from the migrated template (CREATE
// DATABASE ... TEMPLATE), has its SQL applied, runs the pgTAP suite through runner.ts and is scored
// by score.ts; it is killed when the verdict is not GO. The clone is dropped afterwards, and a
// cluster-wide change (a role attribute) is undone; those mutants run alone, after the others.
import { randomBytes } from "node:crypto";
import { performance } from "node:perf_hooks";
import type pg from "pg";
import { cloneDatabase } from "../cluster/clone-database.js";
import { runSuite } from "../suite/runner.js";
import { type Decision, score } from "../suite/score.js";
import { connect, type SessionSettings } from "../target/connection.js";

/** What to apply to one clone: a mutant, or a mutant combined with the removal it relies on. */
export interface Trial {
  id: string;
  /** Operator kind: mutants of one kind tend to fail the same file, which then runs first. */
  kind?: string;
  sql: string;
  undo?: string;
  clusterWide?: boolean;
}

export type TrialStatus = "killed" | "survived" | "error";

export interface TrialOutcome {
  id: string;
  status: TrialStatus;
  decision?: Decision;
  /** Checks that failed on the mutant (why it was killed). */
  failedChecks: string[];
  /** The mutant's SQL could not be applied, or the suite could not run. */
  error?: string;
  durationMs: number;
  /** Where the time went: clone (CREATE DATABASE), suite, drop. */
  phases: { cloneMs: number; suiteMs: number; dropMs: number };
}

export interface Server {
  /** A connection to a database other than the template (CREATE / DROP DATABASE run there). */
  admin: () => Promise<pg.Client>;
  /** node-pg settings for a database on the same server. */
  database: (name: string) => pg.ClientConfig;
}

export interface TrialOptions {
  server: Server;
  template: string;
  files: readonly string[];
  root: string;
  /** The suite's session helpers (runner.ts RunOptions.sessionHelpers): each clone is ours. */
  sessionHelpers?: string;
  session: SessionSettings;
  /** Clones worked on side by side. */
  jobs: number;
  /** Connections the suite uses inside one clone. */
  suiteJobs: number;
  workspace?: string;
  /** Run every file even after one failed (all failing checks recorded; slower). */
  fullSuite?: boolean;
  /** The template lacks pgTAP: create it inside each test file's transaction. */
  createPgtap?: boolean;
  onDone?: (outcome: TrialOutcome, done: number, total: number) => void;
}

/** A database name as a quoted identifier. */
export const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** Run work on a fresh admin connection (never the template's database), then close it. */
export async function onAdmin<T>(server: Server, work: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = await server.admin();
  try {
    return await work(c);
  } finally {
    await c.end().catch(() => undefined);
  }
}

/**
 * Which files killed earlier mutants, per operator kind: with the suite stopping at its first
 * failure, running the file that killed the last mutant of the same kind first saves most of it.
 */
export class KillMemory {
  private readonly byKind = new Map<string, Map<string, number>>();
  private readonly overall = new Map<string, number>();
  record(kind: string | undefined, failedFiles: readonly string[]): void {
    const mine = this.byKind.get(kind ?? "") ?? new Map<string, number>();
    this.byKind.set(kind ?? "", mine);
    for (const f of failedFiles) {
      mine.set(f, (mine.get(f) ?? 0) + 1);
      this.overall.set(f, (this.overall.get(f) ?? 0) + 1);
    }
  }
  priority(kind: string | undefined): (path: string) => number {
    const mine = this.byKind.get(kind ?? "");
    return (path) => (mine?.get(path) ?? 0) * 1_000_000 + (this.overall.get(path) ?? 0);
  }
}

/** Clone, mutate, run the suite, score, drop: one trial. Never throws for what the mutant breaks. */
export async function runTrial(
  trial: Trial,
  opts: TrialOptions,
  clone: string,
  memory: KillMemory = new KillMemory(),
): Promise<TrialOutcome> {
  const started = performance.now();
  const phases = { cloneMs: 0, suiteMs: 0, dropMs: 0 };
  const finish = (o: Omit<TrialOutcome, "id" | "durationMs" | "phases">): TrialOutcome => ({
    id: trial.id,
    ...o,
    durationMs: performance.now() - started,
    phases,
  });
  // FILE_COPY: a plain copy of the template's files, measured faster than WAL_LOG for a small template
  await onAdmin(opts.server, (c) => cloneDatabase(c, opts.template, clone, { fileCopy: true }));
  phases.cloneMs = performance.now() - started;
  try {
    if (trial.sql.trim() !== "") {
      const c = await connect(opts.server.database(clone), opts.session);
      try {
        await c.query(`begin;\n${trial.sql};\ncommit`);
      } catch (e) {
        await c.query("rollback").catch(() => undefined);
        return finish({
          status: "error",
          failedChecks: [],
          error: `could not apply: ${(e as Error).message}`,
        });
      } finally {
        await c.end().catch(() => undefined);
      }
    }
    const t1 = performance.now();
    const files = await runSuite({
      files: opts.files,
      root: opts.root,
      jobs: opts.suiteJobs,
      mode: "cluster",
      sessionHelpers: opts.sessionHelpers,
      reusePgtapTables: true,
      stopAfterFailure: !opts.fullSuite,
      priority: memory.priority(trial.kind),
      createPgtap: opts.createPgtap,
      connect: () => connect(opts.server.database(clone), opts.session, opts.workspace),
    });
    phases.suiteMs = performance.now() - t1;
    memory.record(
      trial.kind,
      files.filter((f) => !f.ok).map((f) => f.path),
    );
    const verdict = score(files);
    return finish({
      status: verdict.decision === "GO" ? "survived" : "killed",
      decision: verdict.decision,
      // checks with a failed file (after an early stop the others have no files, not a failure)
      failedChecks: verdict.checks.filter((ch) => !ch.passed && ch.files.length > 0).map((ch) => ch.id),
    });
  } finally {
    const t2 = performance.now();
    await onAdmin(opts.server, async (c) => {
      if (trial.undo) await c.query(trial.undo);
      await c.query(`drop database if exists ${quote(clone)} with (force)`);
    });
    phases.dropMs = performance.now() - t2;
  }
}

/** Run every trial: database-local ones `jobs` at a time, then the cluster-wide ones one by one. */
export async function runTrials(trials: readonly Trial[], opts: TrialOptions): Promise<TrialOutcome[]> {
  const prefix = `gonogo_m_${randomBytes(3).toString("hex")}`;
  const outcomes = new Map<string, TrialOutcome>();
  const memory = new KillMemory();
  let n = 0;
  const runOne = async (t: Trial) => {
    const o = await runTrial(t, opts, `${prefix}_${n++}`, memory);
    outcomes.set(t.id, o);
    opts.onDone?.(o, outcomes.size, trials.length);
  };
  const local = trials.filter((t) => !t.clusterWide);
  const queue = [...local];
  const workers = Array.from({ length: Math.max(1, Math.min(opts.jobs, local.length)) }, async () => {
    for (let t = queue.shift(); t !== undefined; t = queue.shift()) await runOne(t);
  });
  await Promise.all(workers);
  for (const t of trials.filter((x) => x.clusterWide)) await runOne(t);
  return trials.map((t) => outcomes.get(t.id) as TrialOutcome);
}
