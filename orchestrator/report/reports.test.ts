import { XMLParser } from "fast-xml-parser";
import { Parser } from "tap-parser";
import { describe, expect, it } from "vitest";
import { sampleFiles, sampleReport } from "../../test/support/samples.js";
import { renderConsole, wantColor } from "./console.js";
import { renderDeclaration } from "./declaration.js";
import { renderJson, section0From } from "./json.js";
import { renderJunit } from "./junit.js";
import { renderTap } from "./tap.js";

const go = sampleFiles();
const noGo = sampleFiles(["C3", "I1"], {
  check: "E2",
  error: {
    sqlstate: "42P01",
    message: 'relation "nope" does not exist',
    file: "db/tests/e2_sample/behaviour.test.sql",
    line: 7,
    column: 15,
  },
});
const hold = sampleFiles(["I2"]);

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

describe("console", () => {
  it("one line per check, the score, the verdict, the reasons", () => {
    const text = renderConsole(sampleReport(hold), { color: false });
    expect(text).toMatch(/PASS {2}S0 {4}Section 0 pre-flight/);
    expect(text).toMatch(/FAIL {2}I2 {4}Data validation constraints/);
    expect(text).toContain("score     14/15 (93.3%)");
    expect(text).toContain("verdict   HOLD");
    expect(text).toContain("reasons   - 1 important check failed (I2)");
    expect(text).toContain("wanted: ZA001");
    // biome-ignore lint/suspicious/noControlCharactersInRegex: checking for escape codes
    expect(text).not.toMatch(/\u001b\[/);
  });

  it("colours only when asked", () => {
    expect(renderConsole(sampleReport(go), { color: true })).toContain("\u001b[32mPASS");
  });

  it("honours NO_COLOR and FORCE_COLOR", () => {
    expect(wantColor({ isTTY: true }, { NO_COLOR: "1" })).toBe(false);
    expect(wantColor({ isTTY: true }, {})).toBe(true);
    expect(wantColor({ isTTY: false }, {})).toBe(false);
    expect(wantColor({ isTTY: false }, { FORCE_COLOR: "1" })).toBe(true);
  });

  it("shows a staging target as host:port/database", () => {
    expect(renderConsole(sampleReport(go, "url"), { color: false })).toContain(
      "target    staging.example.com:5432/apms",
    );
  });
});

describe("TAP 14", () => {
  function parse(text: string) {
    const p = new Parser();
    let result: Parser["results"] | undefined;
    p.on("complete", (r) => {
      result = r;
    });
    p.end(text);
    return result as NonNullable<Parser["results"]>;
  }

  it("a GO run is a passing TAP stream with one subtest per file", () => {
    const text = renderTap(sampleReport(go), go);
    expect(text.startsWith("TAP version 14\n1..15\n# Subtest: ")).toBe(true);
    const r = parse(text);
    expect(r.ok).toBe(true);
    expect(r.count).toBe(15);
  });

  it("failed files are failing test points, their diagnostics kept", () => {
    const text = renderTap(sampleReport(noGo), noGo);
    const r = parse(text);
    expect(r.ok).toBe(false);
    expect(r.count).toBe(15);
    expect(r.failures.map((f) => f.name)).toEqual([
      "db/tests/c3_sample/behaviour.test.sql [C3]",
      "db/tests/i1_sample/behaviour.test.sql [I1]",
      "db/tests/e2_sample/behaviour.test.sql [E2]",
    ]);
    expect(text).toContain("    # SQLSTATE 42P01 at db/tests/e2_sample/behaviour.test.sql:7:15");
    expect(text).toContain("# gonogo: NO-GO 12/15 (80%)");
  });
});

describe("JUnit", () => {
  const xml = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: "",
    isArray: (n) => n === "testsuite" || n === "testcase",
  });

  it("is read back by a JUnit reader: one testsuite per file, one testcase per assertion", () => {
    const doc = xml.parse(renderJunit(sampleReport(go), go));
    const suites = doc.testsuites.testsuite;
    expect(suites).toHaveLength(15);
    expect(suites[0].name).toBe("db/tests/s0_sample/behaviour.test.sql");
    expect(suites[0].testcase).toHaveLength(2);
    expect(doc.testsuites.tests).toBe("30");
    expect(doc.testsuites.failures).toBe("0");
  });

  it("failures carry pgTAP's diagnostics; a SQL error is an <error>", () => {
    const doc = xml.parse(renderJunit(sampleReport(noGo), noGo));
    const byName = new Map(doc.testsuites.testsuite.map((s: { name: string }) => [s.name, s]));
    const c3 = byName.get("db/tests/c3_sample/behaviour.test.sql") as {
      failures: string;
      testcase: Array<{ name: string; failure?: { message: string; "#text": string } }>;
    };
    expect(c3.failures).toBe("1");
    const failed = c3.testcase.find((t) => t.failure);
    expect(failed?.name).toBe("2 - ACTIVE config cannot be deleted");
    expect(failed?.failure?.["#text"]).toContain("wanted: ZA001");
    const e2 = byName.get("db/tests/e2_sample/behaviour.test.sql") as {
      errors: string;
      testcase: Array<{ error?: { message: string; "#text": string } }>;
    };
    expect(e2.errors).toBe("1");
    expect(e2.testcase.find((t) => t.error)?.error?.["#text"]).toContain("SQLSTATE 42P01");
    expect(doc.testsuites.errors).toBe("1");
  });

  it("escapes what XML cannot hold", () => {
    const files = sampleFiles(["C1"]);
    const c1 = files.find((f) => f.check === "C1");
    if (c1?.assertions[1]) c1.assertions[1].diagnostics = `have: <a & "b">\u0001`;
    const text = renderJunit(sampleReport(files), files);
    expect(text).toContain("have: &lt;a &amp; &quot;b&quot;&gt;");
    expect(() => xml.parse(text)).not.toThrow();
  });
});

describe("declaration.md", () => {
  it("fills the runbook's template and leaves sign-off to a human", () => {
    const text = renderDeclaration(sampleReport(noGo, "url"), { tester: "Dina DBA" });
    expect(text).toContain("**Date:** 2025-12-29");
    expect(text).toContain("**Tester:** Dina DBA");
    expect(text).toContain("**Environment:** staging.example.com:5432/apms");
    expect(text).toContain("- pgcrypto enabled: [x] YES [ ] NO");
    expect(text).toContain("- config_versions.id type: text");
    expect(text).toContain("- Status column name: workflow_status");
    expect(text).toContain("- Workspace ID: 11111111-2222-3333-4444-555555555555 (XLSMART-AVIAT)");
    expect(text).toContain("**Critical Results:** 5/6 PASSED");
    expect(text).toContain("**Important Results:** 2/3 PASSED");
    expect(text).toContain("**Invariant Tests:** 2/2 PASSED");
    expect(text).toContain("**Overall Score:** 80%");
    expect(text).toContain("- Workspace Isolation: [ ] PASS [x] FAIL");
    expect(text).toContain("**Decision:** [ ] 🟢 GO [ ] 🟡 HOLD [x] 🔴 NO-GO");
    expect(text).toMatch(/- C3 Config lifecycle \[critical\] FAILED: ACTIVE config cannot be deleted/);
    expect(text).toMatch(/- E2 .* FAILED: SQL error 42P01/);
    expect(text).toContain("**Approved By:** ____________________");
  });

  it("GO justification states the evidence", () => {
    const text = renderDeclaration(sampleReport(go), { tester: "t" });
    expect(text).toContain("[x] 🟢 GO");
    expect(text).toContain("All 15 checks passed");
    expect(text).toContain("**Environment:** throwaway local cluster (baseline uuid)");
  });
});
