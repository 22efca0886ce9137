// The whole pgTAP suite passes on a migrated database of every baseline, run file by file with psql
// and all at once with pg_prove, and Section 0 reports what it detected.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { baselineNames, testFiles } from "../../../orchestrator/apply/sql-files.js";
import { createDatabase, type TestDatabase } from "../../support/db.js";
import { CHECKS, explain, filesOf, runFiles, runProve } from "../../support/pgtap.js";

const expectedSection0: Record<string, Record<string, string>> = {
  uuid: {
    pgcrypto: "yes",
    configVersionsIdType: "uuid",
    statusColumn: "status",
    stageStatusColumn: "status",
  },
  text: {
    pgcrypto: "yes",
    configVersionsIdType: "text",
    statusColumn: "workflow_status",
    stageStatusColumn: "stage_status",
  },
};

describe("the suite's layout", () => {
  // no upper bound: a check has one file per guarantee it proves (docs/test-map.md)
  it("has files for every one of the 15 checks, and every file belongs to one", () => {
    for (const check of CHECKS) {
      expect(filesOf(check).length, `files for ${check}`).toBeGreaterThanOrEqual(1);
    }
    expect(testFiles().every((f) => CHECKS.includes(f.split("/").at(-2)?.split("_")[0] ?? ""))).toBe(true);
  });
});

describe.each(baselineNames())("baseline %s, migrated", (baseline) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createDatabase({ baseline, kind: "migrated" });
  });
  afterAll(async () => {
    await db?.drop();
  });

  it("every file passes alone under psql -X -v ON_ERROR_STOP=1 -f", async () => {
    const runs = await runFiles(db.url, testFiles());
    expect(runs.length).toBeGreaterThanOrEqual(15);
    expect(explain(runs)).toBe("");
  });

  it("Section 0 prints what it detected as # section0.<key>: <value>", async () => {
    const runs = await runFiles(db.url, filesOf("s0"));
    const s0 = Object.assign({}, ...runs.map((r) => r.section0));
    expect(s0).toMatchObject(expectedSection0[baseline] ?? {});
    expect(s0.workspaceId).toMatch(/^[0-9a-f-]{36}$/);
    expect(Number(s0.activeUsers)).toBeGreaterThanOrEqual(2);
  });

  it("pg_prove -r db/tests passes with 2 jobs", async () => {
    const r = await runProve(db.connection, ["-j", "2"]);
    console.log(`pg_prove -j 2 -r db/tests on ${baseline}: ${r.ms} ms`);
    expect(r.stdout + r.stderr).toMatch(/Result: PASS/);
    expect(r.exitCode).toBe(0);
  });
});
