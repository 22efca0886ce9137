// Pure: file results -> per-check results -> the runbook's verdict (README.md, "The 15 checks").
// NO-GO: S0 fails, or any C, INV or E check fails, or 3+ I checks fail. HOLD: only 1-2 I checks
// fail. GO: all 15 pass. A check with no files fails: missing evidence is not a pass.
import { CHECKS, type Check, type Severity } from "./checks.js";
import type { Failure, FileResult, TestCounts } from "./tap-results.js";

export type Decision = "GO" | "HOLD" | "NO-GO";

export interface CheckResult extends Check {
  passed: boolean;
  files: string[];
  tests: TestCounts;
  failures: Failure[];
}

export interface Verdict {
  decision: Decision;
  score: { passed: number; total: number; percent: number };
  checks: CheckResult[];
  reasons: string[];
}

export const EXIT_CODES: Record<Decision, number> = { GO: 0, "NO-GO": 1, HOLD: 2 };

/** Group file results by check; every one of the 15 checks appears, in runbook order. */
export function checkResults(files: readonly FileResult[]): CheckResult[] {
  return CHECKS.map((check) => {
    const mine = files.filter((f) => f.check === check.id);
    const tests: TestCounts = { planned: 0, passed: 0, failed: 0, skipped: 0, todo: 0 };
    for (const f of mine) {
      tests.planned += f.tests.planned;
      tests.passed += f.tests.passed;
      tests.failed += f.tests.failed;
      tests.skipped += f.tests.skipped;
      tests.todo += f.tests.todo;
    }
    const failures = mine.flatMap((f) => f.failures);
    if (mine.length === 0) {
      failures.push({
        file: "",
        test: null,
        description: "no test files for this check: no evidence",
        diagnostics: "",
      });
    }
    return {
      ...check,
      passed: mine.length > 0 && mine.every((f) => f.ok),
      files: mine.map((f) => f.path),
      tests,
      failures,
    };
  });
}

const label = (c: Check) => `${c.id} ${c.title}`;
const ids = (cs: readonly Check[]) => cs.map((c) => c.id).join(", ");

function failedOf(checks: readonly CheckResult[], ...severities: Severity[]): CheckResult[] {
  return checks.filter((c) => !c.passed && severities.includes(c.severity));
}

/** The decision and the reasons for it, from the 15 check results alone. */
export function decide(checks: readonly CheckResult[]): Verdict {
  const passed = checks.filter((c) => c.passed).length;
  const total = checks.length;
  const score = { passed, total, percent: total === 0 ? 0 : Math.round((passed / total) * 1000) / 10 };
  const blocking = failedOf(checks, "gate", "critical", "invariant", "executive");
  const important = failedOf(checks, "important");
  const reasons: string[] = [];

  for (const c of blocking) {
    const why = c.failures[0]?.description;
    reasons.push(`${label(c)} failed (${c.severity}: any failure is NO-GO)${why ? `: ${why}` : ""}`);
  }
  if (important.length >= 3) {
    reasons.push(`${important.length} important checks failed (${ids(important)}): 3 or more is NO-GO`);
  } else if (important.length > 0) {
    const what = `${important.length} important check${important.length > 1 ? "s" : ""} failed (${ids(important)})`;
    reasons.push(blocking.length > 0 ? what : `${what}: HOLD, assess the risk before going ahead`);
  }

  let decision: Decision;
  if (blocking.length > 0 || important.length >= 3) decision = "NO-GO";
  else if (important.length > 0) decision = "HOLD";
  else if (passed === total && total > 0) decision = "GO";
  else decision = "NO-GO";
  if (decision === "GO") reasons.push(`all ${total} checks passed`);
  return { decision, score, checks: [...checks], reasons };
}

/** Files -> verdict. */
export function score(files: readonly FileResult[]): Verdict {
  return decide(checkResults(files));
}
