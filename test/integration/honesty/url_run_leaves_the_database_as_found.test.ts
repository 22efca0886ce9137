// Against a URL gonogo must leave the database exactly as it found it: the fingerprint (schema,
// every table's rows, sequences, extensions, roles, settings, sessions, locks) taken before and
// after a full verify run on a populated database is identical. The fingerprint itself must be
// able to fail: each planted residue below is caught.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDatabase, type TestDatabase } from "../../support/db.js";
import { type Fingerprint, fingerprint } from "../../support/fingerprint.js";
import { gonogo } from "../../support/gonogo.js";

let db: TestDatabase;
let before: Fingerprint;

// A staging-like database: migrated, with rows in every kind of table, a table with a sequence,
// and pgTAP NOT installed (staging does not have it: verify must install it and roll it back).
async function stagingLike(): Promise<TestDatabase> {
  const staging = await createDatabase();
  const c = await staging.connect();
  await c.query(`
    drop extension pgtap;
    create table public.invoices (id bigint generated always as identity primary key, amount numeric not null);
    insert into public.invoices (amount) select g from generate_series(1, 50) g;
    select public.start_workflow_instance(
      (select id from public.workspaces where code = 'TEST-WS'), 'SITE-ACCEPTANCE', 'JKT-001', 'test-operator');
  `);
  await c.end();
  return staging;
}

beforeAll(async () => {
  db = await stagingLike();
  const c = await db.connect();
  before = await fingerprint(c, db.name);
  await c.end();
});

afterAll(async () => {
  await db?.drop();
});

describe("a verify run against a URL leaves the database exactly as found", () => {
  it("the fingerprint after a full run equals the one before", async () => {
    const r = await gonogo(["verify", "--database-url", db.url, "--format", "json", "--jobs", "2"]);
    expect(r.verdict?.decision, r.stdout + r.stderr).toBe("GO");
    const c = await db.connect();
    const after = await fingerprint(c, db.name);
    expect(after.extensions).not.toContain(expect.stringMatching(/^pgtap /));
    expect(after).toEqual(before);
  });
});

describe("the fingerprint catches planted residue", () => {
  const residues: [string, string][] = [
    ["a leftover row", "insert into public.invoices (amount) values (1)"],
    ["an advanced sequence", "select nextval(pg_get_serial_sequence('public.invoices', 'id'))"],
    ["a leftover extension", "create extension pgtap"],
    [
      "a leftover function",
      "create function public.gonogo_leftover() returns int language sql as 'select 1'",
    ],
    [
      "a changed database setting",
      "do $$ begin execute format('alter database %I set work_mem = ''5MB''', current_database()); end $$",
    ],
    [
      "an audit row written",
      "update public.config_versions set source_file_name = source_file_name where status = 'ACTIVE'",
    ],
  ];

  it.each(residues)("%s", async (_name, sql) => {
    const probe = await stagingLike();
    try {
      const c = await probe.connect();
      const clean = await fingerprint(c, probe.name);
      await c.query(sql);
      expect(await fingerprint(c, probe.name)).not.toEqual(clean);
    } finally {
      await probe.drop();
    }
  });

  it("a session left open with a lock", async () => {
    const probe = await createDatabase();
    try {
      const c = await probe.connect();
      const clean = await fingerprint(c, probe.name);
      const other = await probe.connect();
      await other.query("begin; lock table public.workspaces in access share mode");
      const dirty = await fingerprint(c, probe.name);
      expect(dirty.otherSessions.length).toBe(1);
      expect(dirty.otherLocks.length).toBeGreaterThan(0);
      expect(dirty).not.toEqual(clean);
      await other.query("rollback");
    } finally {
      await probe.drop();
    }
  });
});
