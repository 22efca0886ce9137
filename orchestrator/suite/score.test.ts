import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { sampleFiles } from "../../test/support/samples.js";
import { CHECKS } from "./checks.js";
import { type CheckResult, checkResults, type Decision, decide, EXIT_CODES, score } from "./score.js";

const pass = (c: (typeof CHECKS)[number]): CheckResult => ({
  ...c,
  passed: true,
  files: [`db/tests/${c.id.toLowerCase()}_x/a.test.sql`],
  tests: { planned: 1, passed: 1, failed: 0, skipped: 0, todo: 0 },
  failures: [],
});
const fail = (c: (typeof CHECKS)[number]): CheckResult => ({
  ...pass(c),
  passed: false,
  failures: [{ file: "f", test: 1, description: "it broke", diagnostics: "" }],
});
/** All 15 checks, failing exactly those named. */
const withFailing = (...ids: string[]) => CHECKS.map((c) => (ids.includes(c.id) ? fail(c) : pass(c)));

describe("decide: the runbook's rules", () => {
  it("GO: all 15 pass", () => {
    const v = decide(withFailing());
    expect(v.decision).toBe("GO");
    expect(v.score).toEqual({ passed: 15, total: 15, percent: 100 });
    expect(v.reasons).toEqual(["all 15 checks passed"]);
  });

  it("NO-GO: Section 0 (gate) fails", () => {
    const v = decide(withFailing("S0"));
    expect(v.decision).toBe("NO-GO");
    expect(v.reasons[0]).toMatch(/^S0 Section 0 pre-flight failed \(gate/);
  });

  it.each(["C1", "C2", "C3", "C4", "C5", "C6"])("NO-GO: critical %s fails", (id) => {
    expect(decide(withFailing(id)).decision).toBe("NO-GO");
  });

  it.each(["INV1", "INV2"])("NO-GO: invariant %s fails", (id) => {
    expect(decide(withFailing(id)).decision).toBe("NO-GO");
  });

  it.each(["E1", "E2", "E3"])("NO-GO: executive %s fails", (id) => {
    expect(decide(withFailing(id)).decision).toBe("NO-GO");
  });

  it("HOLD: exactly one important check fails", () => {
    const v = decide(withFailing("I2"));
    expect(v.decision).toBe("HOLD");
    expect(v.score.passed).toBe(14);
    expect(v.reasons).toEqual(["1 important check failed (I2): HOLD, assess the risk before going ahead"]);
  });

  it("HOLD: two important checks fail", () => {
    expect(decide(withFailing("I1", "I3")).decision).toBe("HOLD");
  });

  it("NO-GO: three important checks fail", () => {
    const v = decide(withFailing("I1", "I2", "I3"));
    expect(v.decision).toBe("NO-GO");
    expect(v.reasons).toEqual(["3 important checks failed (I1, I2, I3): 3 or more is NO-GO"]);
  });

  it("NO-GO wins over HOLD when a critical and an important check fail", () => {
    const v = decide(withFailing("C4", "I1"));
    expect(v.decision).toBe("NO-GO");
    expect(v.reasons).toHaveLength(2);
  });

  it("score is passed/15 with one decimal", () => {
    expect(decide(withFailing("I1")).score).toEqual({ passed: 14, total: 15, percent: 93.3 });
  });

  it("exit codes: 0 GO, 1 NO-GO, 2 HOLD", () => {
    expect(EXIT_CODES).toEqual({ GO: 0, "NO-GO": 1, HOLD: 2 });
  });
});

describe("checkResults: files -> checks", () => {
  it("a check passes only when all of its files are ok", () => {
    const files = sampleFiles(["C3"]);
    const checks = checkResults(files);
    expect(checks).toHaveLength(15);
    expect(checks.find((c) => c.id === "C3")?.passed).toBe(false);
    expect(checks.filter((c) => c.passed)).toHaveLength(14);
  });

  it("a check with no files fails: missing evidence", () => {
    const files = sampleFiles().filter((f) => f.check !== "E2");
    const e2 = checkResults(files).find((c) => c.id === "E2");
    expect(e2?.passed).toBe(false);
    expect(e2?.failures[0]?.description).toMatch(/no test files/);
    expect(score(files).decision).toBe("NO-GO");
  });

  it("sums the counts of a check's files", () => {
    const files = [...sampleFiles(), ...sampleFiles(["C1"]).filter((f) => f.check === "C1")];
    const c1 = checkResults(files).find((c) => c.id === "C1");
    expect(c1?.tests).toEqual({ planned: 5, passed: 4, failed: 1, skipped: 0, todo: 0 });
    expect(c1?.passed).toBe(false);
  });

  it("an errored file fails its check", () => {
    const files = sampleFiles([], { check: "INV1", error: { message: "boom", sqlstate: "XX000" } });
    expect(score(files).decision).toBe("NO-GO");
  });
});

describe("property: failing one more check never improves the verdict", () => {
  const rank: Record<Decision, number> = { GO: 0, HOLD: 1, "NO-GO": 2 };
  it("holds for every set of failing checks and every extra failure", () => {
    fc.assert(
      fc.property(
        fc.subarray(CHECKS.map((c) => c.id)),
        fc.constantFrom(...CHECKS.map((c) => c.id)),
        (failing, extra) => {
          const before = decide(withFailing(...failing));
          const after = decide(withFailing(...failing, extra));
          expect(rank[after.decision]).toBeGreaterThanOrEqual(rank[before.decision]);
          expect(after.score.passed).toBeLessThanOrEqual(before.score.passed);
        },
      ),
      { numRuns: 2000 },
    );
  }, 60_000); // thousands of scorings: generous on a loaded 2-core machine

  it("the decision agrees with a direct reading of the runbook", () => {
    fc.assert(
      fc.property(fc.subarray(CHECKS.map((c) => c.id)), (failing) => {
        const important = failing.filter((id) => id.startsWith("I") && !id.startsWith("INV")).length;
        const blocking = failing.length - important;
        const expected: Decision = blocking > 0 || important >= 3 ? "NO-GO" : important > 0 ? "HOLD" : "GO";
        expect(decide(withFailing(...failing)).decision).toBe(expected);
      }),
      { numRuns: 1000 },
    );
  }, 60_000);
});
