// The committed db/schema.sql is exactly what the migration and functions produce on the uuid
// baseline: any schema change must come with `npm run schema:dump` so it is visible in review.
import { readFileSync } from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import { dumpSchema, normaliseDump, prepareForDump, SCHEMA_FILE } from "../../../scripts/dump-schema.js";
import { createDatabase, type TestDatabase } from "../../support/db.js";

describe("db/schema.sql", () => {
  let db: TestDatabase | undefined;
  afterAll(async () => db?.drop());

  it("matches a fresh normalised pg_dump of the migrated uuid baseline", async () => {
    db = await createDatabase({ baseline: "uuid", kind: "bare" });
    const c = await db.connect();
    await prepareForDump(c, false);
    const fresh = dumpSchema(db.connection);
    const committed = readFileSync(SCHEMA_FILE, "utf8");
    expect(fresh, "db/schema.sql is stale: run `npm run schema:dump` and commit the diff").toBe(committed);
  });

  it("normalisation removes only what varies between runs", () => {
    const raw =
      "\\restrict abc\n-- Dumped from database version 15.1\n-- Dumped by pg_dump version 15.1\n\n\nCREATE TABLE t ();  \n\\unrestrict abc\n";
    expect(normaliseDump(raw)).toMatch(/\n\nCREATE TABLE t \(\);\n$/);
    expect(normaliseDump(raw)).not.toMatch(/restrict|Dumped/);
  });
});
