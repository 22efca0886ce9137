// Synthetic TAP and verdicts for the orchestrator's unit tests (no database needed).

import type { Provenance } from "../../orchestrator/program/provenance.js";
import { buildReport, type Environment, type VerdictReport } from "../../orchestrator/report/json.js";
import { CHECKS } from "../../orchestrator/suite/checks.js";
import { score } from "../../orchestrator/suite/score.js";
import { type FileResult, parseFileTap, type SqlErrorInfo } from "../../orchestrator/suite/tap-results.js";

export const folderOf: Record<string, string> = Object.fromEntries(
  CHECKS.map((c) => [c.id, `db/tests/${c.id.toLowerCase()}_sample`]),
);

export function passingTap(n: number, name = "holds"): string {
  const lines = [`1..${n}`];
  for (let i = 1; i <= n; i++) lines.push(`ok ${i} - ${name} ${i}`);
  return `${lines.join("\n")}\n`;
}

export const S0_TAP = `1..2
ok 1 - pgcrypto works
# section0.pgcrypto: yes
# section0.configVersionsIdType: text
ok 2 - columns detected
# section0.statusColumn: workflow_status
# section0.stageStatusColumn: stage_status
# section0.workspaceId: 11111111-2222-3333-4444-555555555555
# section0.workspaceCode: XLSMART-AVIAT
# section0.activeUsers: 3
`;

export const FAILING_TAP = `1..3
ok 1 - first
not ok 2 - ACTIVE config cannot be deleted
# Failed test 2: "ACTIVE config cannot be deleted"
#       caught: no exception
#       wanted: ZA001
ok 3 - third
`;

/** One file per check, all passing, unless `failing` names checks whose file fails. */
export function sampleFiles(
  failing: readonly string[] = [],
  error?: { check: string; error: SqlErrorInfo },
): FileResult[] {
  return CHECKS.map((c) => {
    const path = `${folderOf[c.id]}/behaviour.test.sql`;
    if (error && error.check === c.id)
      return parseFileTap(path, "1..3\nok 1 - before\n", { error: error.error });
    if (failing.includes(c.id)) return parseFileTap(path, FAILING_TAP, { durationMs: 12 });
    return parseFileTap(path, c.id === "S0" ? S0_TAP : passingTap(2), { durationMs: 5 });
  });
}

export function sampleReport(
  files: FileResult[] = sampleFiles(),
  mode: "cluster" | "url" = "cluster",
): VerdictReport {
  return buildReport({
    verdict: score(files),
    files,
    environment:
      mode === "cluster"
        ? { mode, target: "local throwaway cluster/gonogo", baseline: "uuid" }
        : { mode, target: "staging.example.com:5432/apms" },
    startedAt: new Date("2025-12-29T10:00:00Z"),
    finishedAt: new Date("2025-12-29T10:00:02Z"),
    jobs: 2,
    timings: { clusterStartMs: 600, prepareMs: 500, runMs: 700, stopMs: 50, totalMs: 1900 },
  });
}

/** A passing run: one file per check. */
export const goFiles = () => sampleFiles();

/** A NO-GO run: C3 and I1 fail an assertion, E2's file stops on a SQL error. */
export const noGoFiles = () =>
  sampleFiles(["C3", "I1"], {
    check: "E2",
    error: {
      sqlstate: "42P01",
      message: 'relation "nope" does not exist',
      file: "db/tests/e2_sample/behaviour.test.sql",
      line: 7,
      column: 15,
    },
  });

/** A HOLD run: one important check (I2) fails. */
export const holdFiles = () => sampleFiles(["I2"]);

/** A run's provenance as a sign-off shows it (commit, dirty tree, migration sha256). */
export const SAMPLE_PROVENANCE: Provenance = {
  gonogoVersion: "0.1.0",
  commit: "0123456789abcdef0123456789abcdef01234567",
  dirty: true,
  migrations: [{ file: "db/migrations/m/migration.sql", sha256: "ab".repeat(32) }],
};

/** A throwaway run on the text baseline. */
export const THROWAWAY_ENV: Environment = {
  mode: "cluster",
  target: "local throwaway cluster/gonogo",
  baseline: "text",
  serverVersion: "15.14 (Debian 15.14-1)",
};
/** A URL run on staging. */
export const STAGING_ENV: Environment = {
  mode: "url",
  target: "staging.example.com:5432/apms",
  workspace: "XLSMART-AVIAT",
  serverVersion: "15.6",
};

/** The report a sign-off reads: these files, that environment and provenance. */
export function signOffReport(
  files: FileResult[],
  environment: Environment,
  p: Provenance | undefined = SAMPLE_PROVENANCE,
) {
  return buildReport({
    verdict: score(files),
    files,
    environment,
    startedAt: new Date("2025-12-29T10:00:00Z"),
    finishedAt: new Date("2025-12-29T10:00:02Z"),
    jobs: 2,
    timings: {},
    provenance: p,
  });
}

const S0_MISSING = `1..3
# section0.workspaceCode: NOPE
# section0.existingWorkspaces: TEST-WS, XLSMART-AVIAT
not ok 1 - s0: workspace NOPE not found; workspaces that exist: TEST-WS, XLSMART-AVIAT
# Failed test 1: "s0: workspace NOPE not found; workspaces that exist: TEST-WS, XLSMART-AVIAT"
ok 2 - s0: users has a status column
ok 3 - s0: at least two users are ACTIVE
`;

/** Every check passes but S0, whose workspace does not exist. */
export function missingWorkspaceFiles(): FileResult[] {
  return sampleFiles().map((f) => (f.check === "S0" ? parseFileTap(f.path, S0_MISSING) : f));
}
