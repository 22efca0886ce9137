import { describe, expect, it } from "vitest";
import { FAILING_TAP, passingTap, S0_TAP } from "../../test/support/samples.js";
import { parseFileTap } from "./tap-results.js";

const path = "db/tests/c3_config_lifecycle/x.test.sql";

describe("parseFileTap", () => {
  it("a complete passing plan is ok and names its check from the folder", () => {
    const r = parseFileTap(path, passingTap(3));
    expect(r.ok).toBe(true);
    expect(r.check).toBe("C3");
    expect(r.tests).toEqual({ planned: 3, run: 3, passed: 3, failed: 0, skipped: 0, todo: 0 });
    expect(r.failures).toEqual([]);
  });

  it("attaches pgTAP's # diagnostics to the failed assertion", () => {
    const r = parseFileTap(path, FAILING_TAP);
    expect(r.ok).toBe(false);
    expect(r.tests.failed).toBe(1);
    expect(r.failures).toEqual([
      {
        file: path,
        test: 2,
        description: "ACTIVE config cannot be deleted",
        diagnostics:
          'Failed test 2: "ACTIVE config cannot be deleted"\n      caught: no exception\n      wanted: ZA001',
      },
    ]);
    expect(r.assertions[0]?.diagnostics).toBe("");
  });

  it("truncated TAP (stream cut mid-file) ends short of its plan and fails", () => {
    const full = passingTap(5);
    const r = parseFileTap(path, full.slice(0, full.indexOf("ok 3")));
    expect(r.ok).toBe(false);
    expect(r.tests.run).toBe(2);
    expect(r.failures.map((f) => f.description)).toContain("planned 5 tests but ran 2");
  });

  it("a line cut in the middle does not count as a test", () => {
    const r = parseFileTap(path, "1..2\nok 1 - one\nok 2 - tw");
    expect(r.tests.run).toBe(2);
    expect(r.ok).toBe(true);
    const cut = parseFileTap(path, "1..2\nok 1 - one\no");
    expect(cut.ok).toBe(false);
  });

  it("more tests than planned fails", () => {
    const r = parseFileTap(path, "1..1\nok 1 - a\nok 2 - b\n");
    expect(r.ok).toBe(false);
    expect(r.failures.map((f) => f.description)).toContain("planned 1 tests but ran 2");
  });

  it("a trailing plan (pgTAP's no_plan/finish style) is accepted when it matches", () => {
    expect(parseFileTap(path, "ok 1 - a\nok 2 - b\n1..2\n").ok).toBe(true);
  });

  it("missing plan fails", () => {
    const r = parseFileTap(path, "ok 1 - a\n");
    expect(r.ok).toBe(false);
    expect(r.failures.map((f) => f.description)).toContain("no plan (select plan(N) missing)");
  });

  it("empty output fails as missing evidence", () => {
    const r = parseFileTap(path, "");
    expect(r.ok).toBe(false);
    expect(r.failures[0]?.description).toBe("no TAP output");
  });

  it("a bail out fails the file with its reason", () => {
    const r = parseFileTap(path, "1..3\nok 1 - a\nBail out! database went away\n");
    expect(r.ok).toBe(false);
    expect(r.bailout).toBe("database went away");
    expect(r.failures.map((f) => f.description)).toContain("bailed out: database went away");
  });

  it("SKIP and TODO never stand in for evidence", () => {
    const skip = parseFileTap(path, "1..2\nok 1 - a\nok 2 - b # SKIP not here\n");
    expect(skip.ok).toBe(false);
    expect(skip.tests.skipped).toBe(1);
    const todo = parseFileTap(path, "1..2\nok 1 - a\nnot ok 2 - b # TODO later\n");
    expect(todo.ok).toBe(false);
    expect(todo.tests.todo).toBe(1);
    expect(todo.tests.failed).toBe(0);
    const skipAll = parseFileTap(path, "1..0 # SKIP no schema\n");
    expect(skipAll.ok).toBe(false);
    expect(skipAll.failures[0]?.description).toMatch(/whole file skipped/);
  });

  it("a SQL error fails the file even when the TAP so far is clean, and is described with its location", () => {
    const r = parseFileTap(path, "1..2\nok 1 - a\n", {
      error: { sqlstate: "42703", message: 'column "x" does not exist', file: path, line: 4, column: 8 },
    });
    expect(r.ok).toBe(false);
    expect(r.failures[0]?.description).toBe('SQL error 42703: column "x" does not exist');
    expect(r.failures[0]?.diagnostics).toBe(`SQLSTATE 42703 at ${path}:4:8: column "x" does not exist`);
  });

  it("duplicate test numbers are failures", () => {
    const r = parseFileTap(path, "1..2\nok 1 - a\nok 1 - b\n");
    expect(r.ok).toBe(false);
  });

  it("reads the Section 0 detections and keeps them out of diagnostics", () => {
    const r = parseFileTap("db/tests/s0_preflight/x.test.sql", S0_TAP);
    expect(r.ok).toBe(true);
    expect(r.check).toBe("S0");
    expect(r.section0).toEqual({
      pgcrypto: "yes",
      configVersionsIdType: "text",
      statusColumn: "workflow_status",
      stageStatusColumn: "stage_status",
      workspaceId: "11111111-2222-3333-4444-555555555555",
      workspaceCode: "XLSMART-AVIAT",
      activeUsers: "3",
    });
  });

  it("ignores non-TAP lines psql may print", () => {
    const r = parseFileTap(path, "1..1\n\nsome stray output\nok 1 - a\n");
    expect(r.ok).toBe(true);
  });
});
