import { describe, expect, it } from "vitest";
import {
  countingQuery,
  fixFor,
  PRECHECK_RULES,
  type PrecheckContext,
  type PrecheckResult,
  refusal,
  SAMPLE_LIMIT,
} from "./precheck-rules.js";

const ctx = (columns: string[] = []): PrecheckContext => ({
  columns: new Set(columns),
  relations: new Set(["workspaces", "users", "config_versions", "workflow_instances", "workflow_stages"]),
  idUnique: new Set(["workspaces", "users", "config_versions", "workflow_instances", "workflow_stages"]),
  instanceStatus: "workflow_status",
  stageStatus: "stage_status",
});

describe("rules", () => {
  it("guard distinct constraints, each with a requirement and a fix", () => {
    const names = PRECHECK_RULES.map((r) => r.guards);
    expect(new Set(names).size).toBe(names.length);
    for (const r of PRECHECK_RULES) {
      expect(r.requirement).not.toBe("");
      expect(fixFor(r, [{ workspace: "OPCO-WEST", key: "k" }])).toMatch(/, then apply again$/);
    }
  });
  it("name the baseline's own status columns", () => {
    const sql = PRECHECK_RULES.map((r) => r.sql(ctx()) ?? "").join("\n");
    expect(sql).toContain('x."workflow_status" not in');
    expect(sql).toContain('s."stage_status" not in');
  });
  it("a rule on a column the migration adds applies only when the baseline already has that column", () => {
    const rule = PRECHECK_RULES.find((r) => r.guards === "workflow_stages_instance_order_key");
    expect(rule?.sql(ctx())).toBeNull();
    expect(rule?.sql(ctx(["workflow_stages.stage_order"]))).toContain("having count(*) > 1");
  });
  it("the one-ACTIVE fix names the workspace", () => {
    const rule = PRECHECK_RULES.find((r) => r.guards === "config_versions_one_active_per_workspace");
    expect(rule && fixFor(rule, [{ workspace: "OPCO-WEST", key: "a, b" }])).toBe(
      "supersede all but one ACTIVE version of workspace OPCO-WEST, then apply again",
    );
  });
  it("the counting query counts everything and keeps at most the sample limit", () => {
    expect(countingQuery("select 1")).toMatch(/count\(\*\) over \(\).*limit 10$/);
    expect(SAMPLE_LIMIT).toBe(10);
  });
});

describe("refusal", () => {
  it("one line: rule, count, samples (with ... beyond them) and every fix", () => {
    const r: PrecheckResult = {
      guards: "workflow_stages_status_check",
      table: "workflow_stages",
      requirement: "",
      unit: "stage",
      applicable: true,
      count: 12,
      samples: [{ workspace: "OPCO-1", key: "s1 stage_status=DONE" }],
      fix: "set these stages' status, then apply again",
      durationMs: 1,
    };
    const x = refusal([r, { ...r, guards: "ok", count: 0 }]);
    expect(x.reason).toBe(
      "data pre-check: existing rows violate what the migration adds, nothing was applied: workflow_stages_status_check: 12 stages (OPCO-1: s1 stage_status=DONE; ...)",
    );
    expect(x.fix).toBe("set these stages' status, then apply again");
    expect(x.reason).not.toContain("\n");
  });
});
