// Dev fixtures (db/fixtures) on both baselines: what Section 0 and a manual run need in TEST-WS,
// and re-applying migration + functions over a loaded database changes neither schema nor data.
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyMigrations } from "../../../orchestrator/apply/applier.js";
import { createDatabase, type TestDatabase } from "../../support/db.js";
import { BASELINES, instanceStatus, stagesOf } from "../../support/migration.js";

describe.each(BASELINES)("dev fixtures (%s baseline)", (baseline) => {
  let db: TestDatabase;
  let c: pg.Client;

  beforeAll(async () => {
    db = await createDatabase({ baseline });
    c = await db.connect();
    await c.query("set client_min_messages = warning");
  });
  afterAll(async () => db?.drop());

  it("TEST-WS has two ACTIVE member users and one ACTIVE config with its master rows", async () => {
    const r = await c.query(
      `select
         (select count(*)::int from public.workspace_members m join public.users u on u.id = m.user_id
          where m.workspace_id = w.id and m.status = 'ACTIVE' and u.status = 'ACTIVE') as active_members,
         (select count(*)::int from public.config_versions cv where cv.workspace_id = w.id and cv.status = 'ACTIVE') as active_configs,
         (select count(*)::int from public.master_regions x where x.workspace_id = w.id) as regions,
         (select count(*)::int from public.master_sites x where x.workspace_id = w.id) as sites,
         (select count(*)::int from public.master_stage_templates x where x.workspace_id = w.id) as stage_templates,
         (select count(*)::int from public.master_approval_rules x where x.workspace_id = w.id) as rules,
         (select count(*)::int from public.master_checklist_items x where x.workspace_id = w.id) as checklist,
         (select count(*)::int from public.master_document_types x where x.workspace_id = w.id) as document_types
       from public.workspaces w where w.code = 'TEST-WS'`,
    );
    expect(r.rows).toEqual([
      {
        active_members: 2,
        active_configs: 1,
        regions: 2,
        sites: 3,
        stage_templates: 3,
        rules: 3,
        checklist: 4,
        document_types: 3,
      },
    ]);
    const seed = await c.query("select 1 from public.workspaces where code = 'XLSMART-AVIAT'");
    expect(seed.rowCount).toBe(1);
  });

  it("the fixture config runs a workflow to completion with the fixture users", async () => {
    await c.query("begin");
    try {
      const ws = await c.query<{ id: string }>(
        "select id::text as id from public.workspaces where code = 'TEST-WS'",
      );
      const id = (
        await c.query<{ id: string }>(
          "select public.start_workflow_instance($1, 'SITE-ACCEPTANCE', 'JKT-001', 'test-vendor-pm') as id",
          [ws.rows[0]?.id],
        )
      ).rows[0]?.id as string;
      const approvers = ["test-vendor-pm", "test-operator", "test-operator"];
      for (const approver of approvers) {
        const open = (await stagesOf(c, id)).find((s) => s.status === "IN_PROGRESS");
        await c.query("select public.decide_stage($1, $2, 'APPROVED')", [open?.id, approver]);
      }
      expect(await instanceStatus(c, id)).toBe("COMPLETED");
    } finally {
      await c.query("rollback");
    }
  });

  it("re-applying migration and functions over loaded data changes nothing", async () => {
    const state = async () =>
      (
        await c.query<{ s: string }>(
          `select md5(string_agg(x, ',' order by x)) as s from (
             select 'ws:' || code from public.workspaces
             union all select 'cv:' || id::text || status from public.config_versions
             union all select 'site:' || id::text || site_name from public.master_sites
             union all select 'audit:' || count(*)::text from public.audit_logs
             union all select 'con:' || conname || pg_get_constraintdef(oid) from pg_constraint where connamespace = 'public'::regnamespace
             union all select 'idx:' || indexdef from pg_indexes where schemaname = 'public'
             union all select 'fn:' || md5(pg_get_functiondef(oid)) from pg_proc where pronamespace = 'public'::regnamespace and prokind = 'f'
           ) t(x)`,
        )
      ).rows[0]?.s;
    const before = await state();
    await applyMigrations(c);
    await applyMigrations(c);
    expect(await state()).toBe(before);
  });
});
