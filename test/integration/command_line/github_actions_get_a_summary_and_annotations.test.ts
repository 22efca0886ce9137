// GitHub Actions: a failing suite run with GITHUB_ACTIONS and GITHUB_STEP_SUMMARY set, as the
// runner sets them; the summary file and the workflow commands are read back.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT } from "../../../orchestrator/apply/sql-files.js";
import { createDatabase, type TestDatabase } from "../../support/db.js";
import { gonogo } from "../../support/gonogo.js";

const MIXED = "test/fixtures/suites/mixed";
let db: TestDatabase;
let dir: string;

beforeAll(async () => {
  db = await createDatabase();
  dir = mkdtempSync(join(tmpdir(), "gonogo-gh-it-"));
});
afterAll(async () => {
  await db?.drop();
  rmSync(dir, { recursive: true, force: true });
});

describe("GitHub Actions", () => {
  it("a failing suite writes the job summary and one ::error per failure at its line", async () => {
    const summary = join(dir, "step_summary.md");
    writeFileSync(summary, "");
    const r = await gonogo(["verify", "--database-url", db.url, "--tests", MIXED, "--format", "json"], {
      env: { GITHUB_ACTIONS: "true", GITHUB_STEP_SUMMARY: summary },
    });
    expect(r.code).toBe(1);
    // standard output stays the verdict alone
    expect(JSON.parse(r.stdout).decision).toBe("NO-GO");

    const errors = r.stderr.split("\n").filter((l) => l.startsWith("::error "));
    // the assertion that fails is on line 4 of its file
    expect(errors).toContain(
      `::error file=${MIXED}/c1_schema/fails_an_assertion.test.sql,line=4,title=C1::arithmetic is off by one%0AFailed test 2: "arithmetic is off by one"%0A        have: 2%0A        want: 3`,
    );
    // the SQL error is placed on the statement that raised it
    expect(errors.find((l) => l.includes("c2_types/sql_error.test.sql"))).toMatch(
      /^::error file=test\/fixtures\/suites\/mixed\/c2_types\/sql_error\.test\.sql,line=4,title=C2::SQL error 42703: column "no_such_column" does not exist/,
    );
    // checks with no files at all still get an annotation (no file, no line)
    expect(errors).toContain("::error title=E1::no test files for this check: no evidence");
    const verdict = JSON.parse(r.stdout);
    const failures = verdict.checks.reduce(
      (n: number, c: { failures: unknown[] }) => n + c.failures.length,
      0,
    );
    expect(errors).toHaveLength(failures);
    expect(r.stderr).not.toContain("::warning"); // NO-GO, not HOLD

    const md = readFileSync(summary, "utf8");
    expect(md).toMatch(/^## 🔴 gonogo: NO-GO\n/);
    expect(md).toContain(`**${verdict.score.passed}/15 checks**`);
    expect(md.split("\n").filter((l) => /^\| (✅ PASS|❌ FAIL) \|/.test(l))).toHaveLength(15);
    expect(md).toContain("| ❌ FAIL | C1 | Schema integrity | critical | 2/3 |");
    expect(md).toContain(`- \`${MIXED}/c1_schema/fails_an_assertion.test.sql\` #2: arithmetic is off by one`);
    expect(md).toContain("        have: 2");
  });

  it("HOLD prints a ::warning per reason", async () => {
    const summary = join(dir, "hold.md");
    // the passing fixture suite with its I1 file failing: one important check fails, HOLD
    const hold = join(dir, "hold-suite");
    cpSync(join(ROOT, "test/fixtures/suites/go"), hold, { recursive: true });
    writeFileSync(
      join(hold, "i1_indexes/passes.test.sql"),
      "begin;\nselect plan(2);\nselect ok(true, 'holds');\nselect is(2, 3, 'an index the planner ignores');\nselect * from finish();\nrollback;\n",
    );
    const r = await gonogo(["verify", "--database-url", db.url, "--tests", hold, "--format", "json"], {
      env: { GITHUB_ACTIONS: "true", GITHUB_STEP_SUMMARY: summary },
    });
    expect(r.code, r.stderr).toBe(2);
    const warnings = r.stderr.split("\n").filter((l) => l.startsWith("::warning "));
    expect(warnings).toEqual(
      JSON.parse(r.stdout).reasons.map((x: string) => `::warning title=gonogo HOLD::${x}`),
    );
    expect(readFileSync(summary, "utf8")).toMatch(/^## 🟡 gonogo: HOLD\n/);
  });

  it("without the variables nothing GitHub-specific is printed or written", async () => {
    const r = await gonogo(["verify", "--database-url", db.url, "--tests", MIXED, "--format", "json"], {
      env: { GITHUB_ACTIONS: undefined, GITHUB_STEP_SUMMARY: undefined },
    });
    expect(r.code).toBe(1);
    expect(r.stderr).not.toContain("::error");
  });
});
