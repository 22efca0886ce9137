// Workspace isolation on both baselines: composite foreign keys refuse any reference to another
// workspace's (or another config version's) rows, and RLS shows apms_app only the workspace named
// by app.workspace_id, for reads and writes.
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WORKSPACE_SCOPED_TABLES as SCOPED_TABLES } from "../../../orchestrator/tables.js";
import { createDatabase, type TestDatabase } from "../../support/db.js";
import {
  BASELINES,
  type Config,
  createConfig,
  createWorkspace,
  expectSqlState,
  type Workspace,
} from "./helpers.js";

describe.each(BASELINES)("workspace isolation (%s baseline)", (baseline) => {
  let db: TestDatabase;
  let c: pg.Client;
  let a: Workspace;
  let b: Workspace;
  let cfgA: Config;
  let cfgB: Config;
  let instanceA: string;
  let instanceB: string;

  beforeAll(async () => {
    db = await createDatabase({ baseline });
    c = await db.connect();
    a = await createWorkspace(c, "ISO-A");
    b = await createWorkspace(c, "ISO-B");
    cfgA = await createConfig(c, a.id, { activate: true });
    cfgB = await createConfig(c, b.id, { activate: true });
    const start = async (ws: Workspace) =>
      (
        await c.query<{ id: string }>(
          "select public.start_workflow_instance($1, 'SITE-ACCEPTANCE', 'SITE-1', $2) as id",
          [ws.id, ws.vendorPm],
        )
      ).rows[0]?.id as string;
    instanceA = await start(a);
    instanceB = await start(b);
    const firstStage = await c.query<{ id: string }>(
      "select id::text as id from public.workflow_stages where workflow_instance_id = $1 and stage_order = 1",
      [instanceA],
    );
    await c.query("select public.decide_stage($1, $2, 'APPROVED')", [firstStage.rows[0]?.id, a.vendorPm]);
  });
  afterAll(async () => db?.drop());

  it("composite keys refuse a row of workspace A that references workspace B's rows", async () => {
    // DRAFT versions, so the frozen-version guard lets the insert reach the foreign keys
    const draftA = await createConfig(c, a.id);
    const draftB = await createConfig(c, b.id);
    // a site of A in B's region
    await expectSqlState(
      c.query(
        `insert into public.master_sites (workspace_id, config_version_id, region_id, site_code, site_name)
         values ($1, $2, $3, 'X-1', 'cross')`,
        [a.id, draftA.id, draftB.regionId],
      ),
      "23503",
      /master_sites_region_fkey/,
    );
    // a master row of A on B's config version
    await expectSqlState(
      c.query(
        "insert into public.master_regions (workspace_id, config_version_id, code, name) values ($1, $2, 'X', 'x')",
        [a.id, draftB.id],
      ),
      "23503",
      /master_regions_config_version_fkey/,
    );
    // an instance of A on B's template and site
    await expectSqlState(
      c.query(
        `insert into public.workflow_instances (workspace_id, config_version_id, workflow_template_id, site_id)
         values ($1, $2, $3, $4)`,
        [a.id, cfgA.id, cfgB.templateId, cfgB.siteId],
      ),
      "23503",
    );
    // an approval in A for B's stage, and by a user who is not a member of A
    const stageB = await c.query<{ id: string }>(
      "select id::text as id from public.workflow_stages where workflow_instance_id = $1 and stage_order = 1",
      [instanceB],
    );
    await expectSqlState(
      c.query(
        `insert into public.workflow_approvals (workspace_id, workflow_instance_id, workflow_stage_id, approver_id, decision)
         values ($1, $2, $3, $4, 'APPROVED')`,
        [a.id, instanceA, stageB.rows[0]?.id, a.operator],
      ),
      "23503",
      /workflow_approvals_stage_fkey/,
    );
    const stageA = await c.query<{ id: string }>(
      "select id::text as id from public.workflow_stages where workflow_instance_id = $1 and stage_order = 1",
      [instanceA],
    );
    await expectSqlState(
      c.query(
        `insert into public.workflow_approvals (workspace_id, workflow_instance_id, workflow_stage_id, approver_id, decision)
         values ($1, $2, $3, $4, 'APPROVED')`,
        [a.id, instanceA, stageA.rows[0]?.id, b.operator],
      ),
      "23503",
      /workflow_approvals_approver_member_fkey/,
    );
  });

  it("a stage template of another config version of the same workspace is refused too", async () => {
    const draftA = await createConfig(c, a.id);
    await expectSqlState(
      c.query(
        `insert into public.master_approval_rules (workspace_id, config_version_id, stage_template_id, approver_role)
         values ($1, $2, $3, 'ADMIN')`,
        [a.id, draftA.id, cfgA.stageTemplateIds[0]],
      ),
      "23503",
      /master_approval_rules_stage_template_fkey/,
    );
  });

  async function asApp<T>(workspaceId: string | null, fn: () => Promise<T>): Promise<T> {
    await c.query("begin");
    try {
      await c.query("set local role apms_app");
      if (workspaceId) await c.query("select set_config('app.workspace_id', $1, true)", [workspaceId]);
      return await fn();
    } finally {
      await c.query("rollback");
    }
  }

  it("apms_app is not the owner, not a superuser, and cannot bypass RLS", async () => {
    const r = await c.query(
      `select rolsuper, rolbypassrls, rolcanlogin,
              (select bool_or(pg_has_role('apms_app', c.relowner, 'member')) from pg_class c
               where c.relnamespace = 'public'::regnamespace and c.relkind = 'r') as owns_or_member_of_owner
       from pg_roles where rolname = 'apms_app'`,
    );
    expect(r.rows[0]).toEqual({
      rolsuper: false,
      rolbypassrls: false,
      rolcanlogin: false,
      owns_or_member_of_owner: false,
    });
    const rls = await c.query<{ relname: string }>(
      `select relname from pg_class where relnamespace = 'public'::regnamespace and relkind = 'r'
         and relrowsecurity and relname = any($1)`,
      [SCOPED_TABLES],
    );
    expect(rls.rows.map((x) => x.relname).sort()).toEqual([...SCOPED_TABLES].sort());
  });

  it("apms_app sees only the rows of app.workspace_id; B's rows are hidden", async () => {
    await asApp(a.id, async () => {
      for (const t of SCOPED_TABLES) {
        const r = await c.query<{ foreign: number; own: number }>(
          `select count(*) filter (where workspace_id <> $1)::int as foreign,
                  count(*) filter (where workspace_id = $1)::int as own from public.${t}`,
          [a.id],
        );
        expect(r.rows[0]?.foreign, `${t} leaks another workspace's rows`).toBe(0);
        if (t !== "workflow_stage_documents")
          expect(r.rows[0]?.own, `${t} hides A's own rows`).toBeGreaterThan(0);
      }
      const ws = await c.query<{ id: string }>("select id::text as id from public.workspaces");
      expect(ws.rows).toEqual([{ id: a.id }]);
      const hidden = await c.query("select 1 from public.workflow_instances where id = $1", [instanceB]);
      expect(hidden.rowCount).toBe(0);
    });
    // without a workspace the application sees nothing at all
    await asApp(null, async () => {
      const r = await c.query("select 1 from public.config_versions");
      expect(r.rowCount).toBe(0);
    });
  });

  it("apms_app cannot write into another workspace, nor change or delete B's rows", async () => {
    await asApp(a.id, async () => {
      await c.query("savepoint s");
      await expectSqlState(
        c.query("insert into public.config_versions (workspace_id) values ($1)", [b.id]),
        "42501",
        /row-level security/,
      );
      await c.query("rollback to savepoint s");
      const upd = await c.query(
        "update public.master_sites set site_name = 'hacked' where workspace_id = $1",
        [b.id],
      );
      expect(upd.rowCount).toBe(0);
      const del = await c.query("delete from public.workflow_instances where id = $1", [instanceB]);
      expect(del.rowCount).toBe(0);
      // the runtime functions run as the caller: B's workspace looks empty to A's session
      await expectSqlState(
        c.query("select public.start_workflow_instance($1, 'SITE-ACCEPTANCE', 'SITE-1', null)", [b.id]),
        "ZB002",
      );
    });
    const still = await c.query("select 1 from public.workflow_instances where id = $1", [instanceB]);
    expect(still.rowCount).toBe(1);
  });

  it("apms_app works normally inside its own workspace (activation, start, decide, audit)", async () => {
    await asApp(a.id, async () => {
      await c.query("select set_config('app.user_id', $1, true)", [a.operator]);
      const draft = await createConfig(c, a.id);
      await c.query("select public.activate_config_version($1)", [draft.id]);
      const id = (
        await c.query<{ id: string }>(
          "select public.start_workflow_instance($1, 'SITE-ACCEPTANCE', 'SITE-1', $2) as id",
          [a.id, a.vendorPm],
        )
      ).rows[0]?.id;
      const audit = await c.query(
        "select actor from public.audit_logs where table_name = 'workflow_instances' and row_id = $1",
        [id],
      );
      expect(audit.rows).toEqual([{ actor: a.operator }]);
    });
  });
});
