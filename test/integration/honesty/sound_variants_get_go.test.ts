// The other half of honesty: a sound schema is never refused. Every baseline once migrated, a
// database full of other workspaces' rows, unrelated application tables, look-alike tables in
// another schema and a non-default search_path must all get GO.
import { join } from "node:path";
import { execa } from "execa";
import { afterAll, describe, expect, it } from "vitest";
import { ROOT } from "../../../orchestrator/apply/sql-files.js";
import { cluster, createDatabase, type TestDatabase } from "../../support/db.js";
import { failedChecks, gonogo } from "../../support/gonogo.js";

const dbs: TestDatabase[] = [];
afterAll(async () => {
  await Promise.all(dbs.map((d) => d.drop()));
});

async function expectGo(db: TestDatabase, extra: string[] = []) {
  const r = await gonogo(["verify", "--database-url", db.url, "--format", "json", ...extra]);
  expect(failedChecks(r.verdict), `${r.stdout}\n${r.stderr}`).toEqual([]);
  expect(r.verdict?.decision).toBe("GO");
  expect(r.verdict?.score).toMatchObject({ passed: 15, total: 15 });
  expect(r.code).toBe(0);
  return r;
}

describe("sound variants get GO", () => {
  it.each(["uuid", "text"])("the %s baseline, migrated", async (baseline) => {
    const db = await createDatabase({ baseline });
    dbs.push(db);
    const r = await expectGo(db);
    expect(r.verdict?.section0.configVersionsIdType).toBe(baseline);
  });

  it("a database holding other workspaces' rows at realistic volume", async () => {
    const db = await createDatabase();
    dbs.push(db);
    const c = cluster();
    // the benchmark's generator, at a size that keeps this test quick
    await execa(
      "psql",
      [
        "-X",
        "-q",
        "-v",
        "ON_ERROR_STOP=1",
        "-v",
        "workspaces=40",
        "-v",
        "instances=20000",
        "-v",
        "audit_rows=100000",
        "-h",
        c.socketDir,
        "-p",
        String(c.port),
        "-U",
        c.superuser,
        "-d",
        db.name,
        "-f",
        join(ROOT, "bench", "sql", "generate_scale_data.sql"),
      ],
      { stdin: "ignore" },
    );
    const pg = await db.connect();
    const { rows } = await pg.query("select count(*)::int as n from public.workflow_stages");
    expect(rows[0].n).toBeGreaterThanOrEqual(100_000);
    await expectGo(db);
  });

  it("other application tables beside the sixteen, look-alikes in another schema, a non-default search_path", async () => {
    const db = await createDatabase();
    dbs.push(db);
    const pg = await db.connect();
    await pg.query(`
      -- other tables of the application, with their own keys and foreign keys
      create table public.invoices (id bigint generated always as identity primary key,
        workspace_id uuid not null references public.workspaces (id), amount numeric(12, 2) not null);
      create table public.site_photos (id uuid primary key default gen_random_uuid(),
        uploaded_by text references public.users (id), taken_at timestamptz);
      insert into public.invoices (workspace_id, amount) select id, 100 from public.workspaces;
      -- look-alikes: same names, other types, other statuses, no guards
      create schema legacy;
      create table legacy.workspaces (id integer primary key, code text);
      create table legacy.users (id integer primary key, status text);
      create table legacy.config_versions (id integer primary key, workspace_id integer references legacy.workspaces (id), status text);
      create table legacy.workflow_instances (id integer primary key, config_version_id integer references legacy.config_versions (id), workflow_status text);
      create table legacy.workflow_stages (id integer primary key, stage_status text);
      create table legacy.audit_logs (id integer primary key);
      insert into legacy.workspaces values (1, 'XLSMART-AVIAT');
      insert into legacy.config_versions values (1, 1, 'ACTIVE'), (2, 1, 'ACTIVE');
      -- and a search_path that finds the look-alikes first
      alter database ${db.name} set search_path = legacy, public;
    `);
    await expectGo(db);
  });
});
