import { describe, expect, it } from "vitest";
import type { PrecheckResult } from "../apply/precheck.js";
import type { TableBlocking } from "./locks.js";
import { decideRehearsal, type Rehearsal, renderDeployment } from "./rehearsal-report.js";

const budgets = { maxReadBlockS: 1, maxWriteBlockS: 2 };
const rule = (count: number): PrecheckResult => ({
  guards: "config_versions_one_active_per_workspace",
  table: "config_versions",
  requirement: "one ACTIVE",
  unit: "workspace",
  applicable: true,
  count,
  samples: count ? [{ workspace: "OPCO-WEST", key: "a, b" }] : [],
  fix: count ? "supersede all but one ACTIVE version of workspace OPCO-WEST, then apply again" : "",
  durationMs: 1,
});
const blocking = (readS: number, writeS: number): TableBlocking => ({
  table: "workflow_stages",
  reads: { totalS: readS, longestS: readS },
  writes: { totalS: writeS, longestS: writeS },
  strongest: "AccessExclusiveLock",
});
const apply = (ok: boolean, b: TableBlocking, probe = 0): NonNullable<Rehearsal["apply"]> => ({
  ok,
  error: ok ? undefined : "23505 boom",
  durationMs: 10,
  statements: [],
  samples: 1,
  sampleIntervalMs: 25,
  computed: [b],
  observed: [{ table: b.table, readWorstS: probe, writeWorstS: probe, reads: 1, writes: 1 }],
});
const suite = (decision: "GO" | "HOLD" | "NO-GO") => ({
  decision,
  score: { passed: 15, total: 15, percent: 100 },
  reasons: [decision],
});

describe('decideRehearsal (docs/rehearse.md, step 7 "Decides")', () => {
  it("GO when the data is clean, the migration applies within budget and the suite says GO", () => {
    expect(
      decideRehearsal({
        precheck: [rule(0)],
        apply: apply(true, blocking(0.5, 1.5)),
        suite: suite("GO"),
        budgets,
      }),
    ).toEqual({
      decision: "GO",
      reasons: [],
    });
  });
  it("NO-GO when the pre-check finds rows, naming the rule", () => {
    const d = decideRehearsal({ precheck: [rule(2)], budgets });
    expect(d.decision).toBe("NO-GO");
    expect(d.reasons[0]).toContain("config_versions_one_active_per_workspace: 2 workspaces");
  });
  it("NO-GO when the migration fails on the copy, or the suite says NO-GO", () => {
    expect(
      decideRehearsal({ precheck: [rule(0)], apply: apply(false, blocking(0, 0)), budgets }).decision,
    ).toBe("NO-GO");
    expect(
      decideRehearsal({ precheck: [], apply: apply(true, blocking(0, 0)), suite: suite("NO-GO"), budgets })
        .decision,
    ).toBe("NO-GO");
  });
  it("HOLD when the suite says HOLD or a lock budget is exceeded, computed or observed", () => {
    expect(
      decideRehearsal({ precheck: [], apply: apply(true, blocking(0, 0)), suite: suite("HOLD"), budgets })
        .decision,
    ).toBe("HOLD");
    const reads = decideRehearsal({
      precheck: [],
      apply: apply(true, blocking(1.5, 1.5)),
      suite: suite("GO"),
      budgets,
    });
    expect(reads).toEqual({
      decision: "HOLD",
      reasons: ["reads of workflow_stages blocked 1.5 s (budget 1 s)"],
    });
    const probe = decideRehearsal({
      precheck: [],
      apply: apply(true, blocking(0, 0), 2.5),
      suite: suite("GO"),
      budgets,
    });
    expect(probe.reasons).toHaveLength(2);
  });
});

describe("renderDeployment", () => {
  it("shows the failing rule with count, samples and fix", () => {
    const r: Rehearsal = {
      tool: "gonogo",
      kind: "rehearsal",
      migration: "m",
      decision: "NO-GO",
      exitCode: 1,
      reasons: ["x"],
      mode: "copy",
      source: { target: "h:5432/db", serverVersion: "15", sizeBytes: 1, rows: { workspaces: 1 } },
      precheck: [rule(1)],
      budgets,
      timings: {},
    };
    const text = renderDeployment(r);
    expect(text).toContain(
      "FAIL config_versions_one_active_per_workspace: 1 workspace (OPCO-WEST: a, b); fix: supersede all but one ACTIVE version of workspace OPCO-WEST, then apply again",
    );
    expect(text).toContain("rehearsal NO-GO");
  });
});
