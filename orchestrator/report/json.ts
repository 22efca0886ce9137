// Pure: the run's facts -> the verdict document (verdict.json, `--format json`). Every other
// renderer reads this one structure, so the console, TAP, JUnit and declaration never disagree.

import type { LedgerReport } from "../apply/prisma-ledger.js";
import { MIGRATION } from "../migration.js";
import type { Provenance } from "../program/provenance.js";
import { CHECKS } from "../suite/checks.js";
import type { CheckResult, Decision, Verdict } from "../suite/score.js";
import { EXIT_CODES } from "../suite/score.js";
import type { FileResult } from "../suite/tap-results.js";

export interface Section0 {
  pgcrypto: boolean | null;
  configVersionsIdType: string | null;
  statusColumn: string | null;
  stageStatusColumn: string | null;
  workspaceId: string | null;
  workspaceCode: string | null;
  activeUsers: number | null;
  /** When the workspace under test is missing: the codes that exist (at most 10), or "none". */
  existingWorkspaces: string | null;
}

export interface Environment {
  /** `cluster`: a throwaway local cluster; `url`: a database given by URL (staging). */
  mode: "cluster" | "url";
  /** host:port/database (never a password), or a description of the throwaway cluster. */
  target: string;
  baseline?: string;
  workspace?: string;
  serverVersion?: string;
  migrated?: boolean;
  /** Throwaway cluster: what the prepared-cluster cache did (off, hit, built, rebuilt). */
  cache?: "off" | "hit" | "built" | "rebuilt";
}

/** What a sign-off names: the run's provenance plus what was tested, and what the verdict is about. */
export interface SignOff extends Provenance {
  serverVersion: string | null;
  /** Throwaway run: the model baseline loaded; null against a URL. */
  baseline: string | null;
  /** URL run: host:port/database (no credentials); null on a throwaway run. */
  target: string | null;
  /** The workspace code the suite tested (resolved by Section 0, else the one asked for). */
  workspace: string | null;
  /** One plain sentence: what this verdict is about. */
  scope: string;
}

export interface Timings {
  [phase: string]: number;
}

export interface VerdictReport {
  tool: "gonogo";
  migration: string;
  decision: Decision;
  exitCode: number;
  score: Verdict["score"];
  checks: CheckResult[];
  section0: Section0;
  reasons: string[];
  environment: Environment;
  /** Prisma's `_prisma_migrations` about this migration (URL runs); null on a throwaway cluster. */
  ledger: LedgerReport | null;
  /** Present when the run knew its provenance (always from `gonogo verify`). */
  provenance?: SignOff;
  startedAt: string;
  finishedAt: string;
  jobs: number;
  timings: Timings;
  totals: { files: number; planned: number; passed: number; failed: number; skipped: number; todo: number };
  files: Array<Pick<FileResult, "path" | "check" | "ok" | "tests" | "durationMs" | "error">>;
}

/** Merge the S0 files' `# section0.<key>: <value>` detections, typed. */
export function section0From(files: readonly FileResult[]): Section0 {
  const raw: Record<string, string> = {};
  for (const f of files) Object.assign(raw, f.section0);
  const str = (k: string) => (raw[k] === undefined || raw[k] === "" ? null : (raw[k] as string));
  const pg = str("pgcrypto");
  const users = str("activeUsers");
  return {
    pgcrypto: pg === null ? null : /^(yes|true|on|1)$/i.test(pg),
    configVersionsIdType: str("configVersionsIdType"),
    statusColumn: str("statusColumn"),
    stageStatusColumn: str("stageStatusColumn"),
    workspaceId: str("workspaceId"),
    workspaceCode: str("workspaceCode"),
    activeUsers: users === null || Number.isNaN(Number(users)) ? null : Number(users),
    existingWorkspaces: str("existingWorkspaces"),
  };
}

export interface ReportInput {
  verdict: Verdict;
  files: readonly FileResult[];
  environment: Environment;
  ledger?: LedgerReport;
  startedAt: Date;
  finishedAt: Date;
  jobs: number;
  timings: Timings;
  provenance?: Provenance;
}

/** The plain sentence saying what a verdict is about: a model baseline, or one real database. */
export function scopeOf(env: Environment): string {
  if (env.mode === "cluster") {
    return `This verdict is about the migration applied to a model baseline (${env.baseline ?? "?"}) in a throwaway local cluster, not about any real database.`;
  }
  return `This verdict is about the database ${env.target} as it was during this run${env.migrated ? " (migrated by this run)" : ""}.`;
}

function signOff(p: Provenance, env: Environment, s0: Section0): SignOff {
  return {
    ...p,
    serverVersion: env.serverVersion ?? null,
    baseline: env.mode === "cluster" ? (env.baseline ?? null) : null,
    target: env.mode === "url" ? env.target : null,
    workspace: s0.workspaceCode ?? env.workspace ?? null,
    scope: scopeOf(env),
  };
}

export function buildReport(input: ReportInput): VerdictReport {
  const { verdict, files } = input;
  const totals = { files: files.length, planned: 0, passed: 0, failed: 0, skipped: 0, todo: 0 };
  for (const f of files) {
    totals.planned += f.tests.planned;
    totals.passed += f.tests.passed;
    totals.failed += f.tests.failed;
    totals.skipped += f.tests.skipped;
    totals.todo += f.tests.todo;
  }
  const section0 = section0From(files.filter((f) => f.check === "S0"));
  return {
    tool: "gonogo",
    migration: MIGRATION,
    decision: verdict.decision,
    exitCode: EXIT_CODES[verdict.decision],
    score: verdict.score,
    checks: verdict.checks,
    section0,
    reasons: verdict.reasons,
    environment: input.environment,
    ledger: input.ledger ?? null,
    ...(input.provenance ? { provenance: signOff(input.provenance, input.environment, section0) } : {}),
    startedAt: input.startedAt.toISOString(),
    finishedAt: input.finishedAt.toISOString(),
    jobs: input.jobs,
    timings: input.timings,
    totals,
    files: files.map((f) => ({
      path: f.path,
      check: f.check,
      ok: f.ok,
      tests: f.tests,
      durationMs: Math.round(f.durationMs),
      ...(f.error ? { error: f.error } : {}),
    })),
  };
}

export function renderJson(report: VerdictReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}

/** Counts per severity, as the runbook's declaration asks (critical x/6, important x/3, ...). */
export function countsBySeverity(report: VerdictReport) {
  const by = (s: string) => {
    const cs = report.checks.filter((c) => c.severity === s);
    return { passed: cs.filter((c) => c.passed).length, total: cs.length };
  };
  return {
    gate: by("gate"),
    critical: by("critical"),
    important: by("important"),
    invariant: by("invariant"),
    executive: by("executive"),
  };
}

export const CHECK_COUNT = CHECKS.length;
