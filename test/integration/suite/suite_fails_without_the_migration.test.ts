// A check that passes on a database without the migration proves nothing: every file must fail on
// the bare baseline (the five tables as they are before the migration) and on an empty database.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testFiles } from "../../../orchestrator/apply/sql-files.js";
import { createDatabase, type TestDatabase } from "../../support/db.js";
import { runFiles } from "../../support/pgtap.js";

describe.each([
  { baseline: "uuid", kind: "bare" as const },
  { baseline: "text", kind: "bare" as const },
  { baseline: "uuid", kind: "empty" as const },
])("$kind database ($baseline)", ({ baseline, kind }) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createDatabase({ baseline, kind });
    const c = await db.connect();
    await c.query("create extension if not exists pgtap");
  });
  afterAll(async () => {
    await db?.drop();
  });

  it("every file of the suite fails", async () => {
    const runs = await runFiles(db.url, testFiles());
    const passing = runs.filter((r) => r.passed).map((r) => r.file);
    expect(passing).toEqual([]);
  });
});
