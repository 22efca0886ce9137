// Applying the migration: cleanly on every baseline, twice in a row with no change, with the
// counts the runbook asks for; on an inconsistent baseline it stops with ZD001 and changes
// nothing; without the right to enable pgcrypto it stops with ZD002.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { applyFile, applyMigrations, versionOf } from "../../../orchestrator/apply/applier.js";
import { baselineFile, baselineNames, migrationFiles, ROOT } from "../../../orchestrator/apply/sql-files.js";
import { ALL_TABLES as SIXTEEN } from "../../../orchestrator/migration.js";
import { dumpSchema } from "../../../scripts/dump-schema.js";
import { createDatabase, type TestDatabase } from "../../support/db.js";
import { expectSqlState } from "../../support/migration.js";

/** Everything in the public schema a migration could change, as sorted text (and the data it seeds). */
const SNAPSHOT = `
select string_agg(x, e'\\n' order by x) as snapshot from (
  select 'rel ' || c.relname || ' ' || c.relkind::text || ' rls=' || c.relrowsecurity || ' acl=' || coalesce(c.relacl::text, '')
  from pg_class c where c.relnamespace = 'public'::regnamespace
  union all
  select 'col ' || c.relname || '.' || a.attname || ' ' || format_type(a.atttypid, a.atttypmod) || ' nn=' || a.attnotnull
         || ' def=' || coalesce(pg_get_expr(d.adbin, d.adrelid), '')
  from pg_attribute a join pg_class c on c.oid = a.attrelid
  left join pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum
  where c.relnamespace = 'public'::regnamespace and c.relkind = 'r' and a.attnum > 0 and not a.attisdropped
  union all
  select 'con ' || conrelid::regclass || ' ' || conname || ' ' || pg_get_constraintdef(oid)
  from pg_constraint where connamespace = 'public'::regnamespace
  union all
  select 'idx ' || indexdef from pg_indexes where schemaname = 'public'
  union all
  select 'trg ' || pg_get_triggerdef(oid) from pg_trigger where not tgisinternal
  union all
  select 'pol ' || tablename || ' ' || policyname || ' ' || cmd || ' ' || coalesce(qual, '') || ' ' || coalesce(with_check, '')
  from pg_policies where schemaname = 'public'
  union all
  select 'fn ' || p.oid::regprocedure || ' ' || md5(pg_get_functiondef(p.oid))
  from pg_proc p where p.pronamespace = 'public'::regnamespace and p.prokind = 'f'
  union all
  select 'ext ' || extname || ' ' || extversion from pg_extension
  union all
  select 'ws ' || code from public.workspaces
) s(x)`;

const migrationVersion = versionOf(migrationFiles()[0] ?? { path: "", text: "" });

async function snapshot(c: pg.ClientBase): Promise<string> {
  const r = await c.query<{ snapshot: string }>(SNAPSHOT);
  return r.rows[0]?.snapshot ?? "";
}

const dbs: TestDatabase[] = [];
afterAll(async () => {
  await Promise.all(dbs.map((d) => d.drop()));
});

async function bare(baseline: string) {
  const db = await createDatabase({ baseline, kind: "bare" });
  dbs.push(db);
  const c = await db.connect();
  await c.query("set client_min_messages = warning");
  return { db, c };
}

describe.each(baselineNames())("migration on the %s baseline", (baseline) => {
  it("applies cleanly, then a second apply of migration + functions changes nothing", async () => {
    const { db, c } = await bare(baseline);
    await applyMigrations(c);
    const first = await snapshot(c);
    const dumpFirst = dumpSchema(db.connection);
    await applyMigrations(c);
    expect(await snapshot(c)).toBe(first);
    expect(dumpSchema(db.connection)).toBe(dumpFirst);
    const seed = await c.query("select 1 from public.workspaces where code = 'XLSMART-AVIAT'");
    expect(seed.rowCount).toBe(1);
  });

  it("meets the runbook's counts: 16 tables, >= 45 FKs, >= 22 named CHECK/UNIQUE, >= 25 indexes", async () => {
    const { c } = await bare(baseline);
    await applyMigrations(c);
    const r = await c.query<{ tables: number; fks: number; named: number; indexes: number }>(
      `select
         (select count(*) from pg_class where relnamespace = 'public'::regnamespace and relkind = 'r' and relname = any($1))::int as tables,
         (select count(*) from pg_constraint where contype = 'f' and conrelid in (select to_regclass('public.' || t) from unnest($1::text[]) t))::int as fks,
         (select count(*) from pg_constraint where contype in ('c', 'u') and conrelid in (select to_regclass('public.' || t) from unnest($1::text[]) t))::int as named,
         (select count(*) from pg_indexes where schemaname = 'public' and indexname like 'idx\\_%')::int as indexes`,
      [SIXTEEN],
    );
    const counts = r.rows[0] as { tables: number; fks: number; named: number; indexes: number };
    expect(counts.tables).toBe(16);
    expect(counts.fks).toBeGreaterThanOrEqual(45);
    expect(counts.named).toBeGreaterThanOrEqual(22);
    expect(counts.indexes).toBeGreaterThanOrEqual(25);
  });

  it("aligns types: every FK column has its referenced column's type; config_version_id follows config_versions.id", async () => {
    const { c } = await bare(baseline);
    await applyMigrations(c);
    const mismatches = await c.query(
      `select con.conname, a.attname, format_type(a.atttypid, a.atttypmod) as fk_type,
              format_type(ra.atttypid, ra.atttypmod) as ref_type
       from pg_constraint con
       cross join lateral unnest(con.conkey, con.confkey) as k(col, refcol)
       join pg_attribute a on a.attrelid = con.conrelid and a.attnum = k.col
       join pg_attribute ra on ra.attrelid = con.confrelid and ra.attnum = k.refcol
       where con.contype = 'f' and con.connamespace = 'public'::regnamespace
         and (a.atttypid, a.atttypmod) is distinct from (ra.atttypid, ra.atttypmod)`,
    );
    expect(mismatches.rows).toEqual([]);
    const types = await c.query<{ t: string }>(
      `select distinct format_type(a.atttypid, a.atttypmod) as t from pg_attribute a
       join pg_class c on c.oid = a.attrelid
       where c.relnamespace = 'public'::regnamespace and c.relkind = 'r'
         and (a.attname = 'config_version_id' or (c.relname = 'config_versions' and a.attname = 'id'))`,
    );
    expect(types.rows).toEqual([{ t: baseline === "text" ? "text" : "uuid" }]);
    const uid = await c.query(
      "select format_type(atttypid, atttypmod) as t from pg_attribute where attrelid = 'public.users'::regclass and attname = 'id'",
    );
    expect(uid.rows).toEqual([{ t: "text" }]);
  });

  it("enables pgcrypto and gives every new table's key a gen_random_uuid() default", async () => {
    const { c } = await bare(baseline);
    await applyMigrations(c);
    const ext = await c.query("select 1 from pg_extension where extname = 'pgcrypto'");
    expect(ext.rowCount).toBe(1);
    const keys = await c.query<{ relname: string; def: string | null }>(
      `select c.relname, pg_get_expr(d.adbin, d.adrelid) as def
       from pg_class c join pg_attribute a on a.attrelid = c.oid and a.attname = 'id'
       left join pg_attrdef d on d.adrelid = c.oid and d.adnum = a.attnum
       where c.relnamespace = 'public'::regnamespace and c.relkind = 'r' and c.relname = any($1)`,
      [SIXTEEN.slice(5)],
    );
    expect(keys.rows).toHaveLength(11);
    for (const k of keys.rows) expect(k.def, k.relname).toBe("gen_random_uuid()");
    const sequences = await c.query(
      "select 1 from pg_class where relkind = 'S' and relnamespace = 'public'::regnamespace",
    );
    expect(sequences.rowCount).toBe(0);
  });
});

describe("every performance index serves a named hot query", () => {
  it("has a comment naming its query, and the query is documented in docs/hot-queries.md", () => {
    const migration = migrationFiles()[0]?.text ?? "";
    const hot = readFileSync(join(ROOT, "docs", "hot-queries.md"), "utf8");
    const lines = migration.split("\n");
    const indexes = lines.flatMap((l, i) => {
      // unique keys (`*_key`) are built as indexes and attached as constraints: not hot-query indexes
      const m = l.match(/create (?:unique )?index (?:concurrently )?if not exists (\w+)/);
      return m && !m[1]?.endsWith("_key")
        ? [{ name: m[1] as string, above: lines[i - 1]?.trim() ?? "" }]
        : [];
    });
    expect(indexes.length).toBeGreaterThanOrEqual(26);
    for (const ix of indexes) {
      expect(ix.above, `${ix.name} lacks its query comment`).toMatch(/^-- /);
      expect(hot, `${ix.name} is not in docs/hot-queries.md`).toContain(ix.name);
      const query = ix.above.match(/^-- (\w+)/)?.[1] as string;
      expect(hot, `query ${query} (above ${ix.name}) is not in docs/hot-queries.md`).toContain(
        `-- ${query} `,
      );
    }
  });
});

describe("refusals before any change", () => {
  const inconsistent: [string, string, string[]][] = [
    [
      "workflow_instances.config_version_id type differs from config_versions.id",
      "uuid",
      [
        "alter table public.workflow_instances drop constraint workflow_instances_config_version_id_fkey",
        "alter table public.workflow_instances alter column config_version_id type text",
      ],
    ],
    ["a missing baseline table", "uuid", ["drop table public.workflow_stages"]],
    [
      "both status column names",
      "uuid",
      ["alter table public.workflow_instances add column workflow_status text"],
    ],
    ["neither status column name", "text", ["alter table public.workflow_stages drop column stage_status"]],
    [
      "config_versions.id neither uuid nor text",
      "uuid",
      [
        "drop table public.workflow_stages, public.workflow_instances, public.config_versions",
        "create table public.config_versions (id bigint primary key, workspace_id uuid, status text)",
        "create table public.workflow_instances (id uuid primary key, workspace_id uuid, config_version_id bigint, status text)",
        "create table public.workflow_stages (id uuid primary key, workflow_instance_id uuid, status text)",
      ],
    ],
  ];

  it.each(inconsistent)("stops with ZD001 on %s and changes nothing", async (_label, baseline, breakIt) => {
    const { c } = await bare(baseline);
    for (const sql of breakIt) await c.query(sql);
    const before = await snapshot(c);
    const err = await expectSqlState(applyMigrations(c), "ZD001", /inconsistent baseline|missing/);
    expect(err?.message).toMatch(/migration 20251229010228 refused/);
    expect(await snapshot(c)).toBe(before);
    // the ledger is written in the pre-flight's transaction: a refusal leaves no gonogo schema
    expect((await c.query("select to_regnamespace('gonogo') as s")).rows).toEqual([{ s: null }]);
  });

  it("the untouched baselines pass the same pre-flight (the ZD001 cases are not vacuous)", async () => {
    for (const name of baselineNames()) {
      const { c } = await bare(name);
      await expect(applyMigrations(c)).resolves.toMatchObject({ applied: [migrationVersion] });
    }
  });

  it("stops with ZD002 when pgcrypto cannot be enabled, and changes nothing", async () => {
    const { db, c } = await bare("uuid");
    // the suite's one unprivileged role (test/support/global-setup.ts): a role made here would be
    // cluster-wide, and appear in or vanish from another test file's fingerprint of its database
    const role = "nobody_much";
    try {
      // no CREATE on the database: the (trusted) pgcrypto extension cannot be created by this role
      await c.query(`revoke create on database ${db.name} from public`);
      const before = await snapshot(c);
      await c.query(`set role ${role}`);
      const err = await expectSqlState(applyMigrations(c), "ZD002", /cannot enable pgcrypto/);
      expect(err?.message).toMatch(/migration 20251229010228 refused/);
      await c.query("reset role");
      expect(await snapshot(c)).toBe(before);
      expect((await c.query("select to_regnamespace('gonogo') as s")).rows).toEqual([{ s: null }]);
    } finally {
      await c.query("reset role").catch(() => undefined);
    }
  });
});

// The baseline files themselves: what each variant looks like before the migration.
describe("baselines", () => {
  it.each([
    ["uuid", "uuid", "status", "status"],
    ["text", "text", "workflow_status", "stage_status"],
  ])("%s: config_versions.id %s, status columns %s / %s", async (name, idType, instanceCol, stageCol) => {
    const admin = await createDatabase({ kind: "empty" });
    dbs.push(admin);
    const c = await admin.connect();
    await c.query("set client_min_messages = warning");
    await applyFile(c, baselineFile(name));
    const r = await c.query(
      `select format_type(atttypid, atttypmod) as t from pg_attribute where attrelid = 'public.config_versions'::regclass and attname = 'id'`,
    );
    expect(r.rows).toEqual([{ t: idType }]);
    const cols = await c.query(
      `select attrelid::regclass::text as tbl, attname from pg_attribute
       where attrelid in ('public.workflow_instances'::regclass, 'public.workflow_stages'::regclass)
         and attname in ('status', 'workflow_status', 'stage_status') order by 1`,
    );
    expect(cols.rows).toEqual([
      { tbl: "workflow_instances", attname: instanceCol },
      { tbl: "workflow_stages", attname: stageCol },
    ]);
    const tables = await c.query(
      "select count(*)::int as n from pg_class where relnamespace = 'public'::regnamespace and relkind = 'r'",
    );
    expect(tables.rows).toEqual([{ n: 5 }]);
  });
});
