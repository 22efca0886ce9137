// verdict.json (renderJson): the fields docs/design.md promises CI, failures with their diagnostics,
// Section 0 as detected (never guessed), and the sign-off facts (provenance and scope).
import { describe, expect, it } from "vitest";
import {
  goFiles,
  noGoFiles,
  sampleFiles,
  sampleReport,
  signOffReport,
  THROWAWAY_ENV,
} from "../../test/support/samples.js";
import { renderJson, section0From } from "./json.js";

const go = goFiles();
const noGo = noGoFiles();

describe("verdict.json", () => {
  it("carries the fields docs/design.md promises CI", () => {
    const r = JSON.parse(renderJson(sampleReport(go)));
    expect(r).toMatchObject({
      decision: "GO",
      exitCode: 0,
      score: { passed: 15, total: 15, percent: 100 },
      reasons: ["all 15 checks passed"],
      section0: {
        pgcrypto: true,
        configVersionsIdType: "text",
        statusColumn: "workflow_status",
        stageStatusColumn: "stage_status",
        workspaceId: "11111111-2222-3333-4444-555555555555",
        workspaceCode: "XLSMART-AVIAT",
        activeUsers: 3,
      },
      timings: { runMs: 700, totalMs: 1900 },
    });
    expect(r.checks).toHaveLength(15);
    expect(Object.keys(r.checks[0])).toEqual(
      expect.arrayContaining(["id", "title", "severity", "passed", "tests", "failures"]),
    );
    expect(r.checks[0].tests).toEqual({ planned: 2, passed: 2, failed: 0, skipped: 0, todo: 0 });
  });

  it("verdict.json carries version, commit, dirty flag, server version, sha256, baseline, workspace, scope", () => {
    const v = JSON.parse(renderJson(signOffReport(sampleFiles(), THROWAWAY_ENV)));
    expect(v.provenance).toEqual({
      gonogoVersion: "0.1.0",
      commit: "0123456789abcdef0123456789abcdef01234567",
      dirty: true,
      migrations: [{ file: "db/migrations/m/migration.sql", sha256: "ab".repeat(32) }],
      serverVersion: "15.14 (Debian 15.14-1)",
      baseline: "text",
      target: null,
      workspace: "XLSMART-AVIAT",
      scope:
        "This verdict is about the migration applied to a model baseline (text) in a throwaway local cluster, not about any real database.",
    });
  });

  it("failures carry file, test number, description and diagnostics", () => {
    const r = JSON.parse(renderJson(sampleReport(noGo)));
    expect(r.decision).toBe("NO-GO");
    expect(r.exitCode).toBe(1);
    const c3 = r.checks.find((c: { id: string }) => c.id === "C3");
    expect(c3.failures[0]).toEqual({
      file: "db/tests/c3_sample/behaviour.test.sql",
      test: 2,
      description: "ACTIVE config cannot be deleted",
      diagnostics: expect.stringContaining("wanted: ZA001"),
    });
  });

  it("section 0 not detected is null, not a guess", () => {
    expect(section0From([])).toEqual({
      pgcrypto: null,
      configVersionsIdType: null,
      statusColumn: null,
      stageStatusColumn: null,
      workspaceId: null,
      workspaceCode: null,
      activeUsers: null,
      existingWorkspaces: null,
    });
  });
});
