// A gate is only worth its false-GO rate: every deliberately broken schema below must be refused
// (NO-GO, or HOLD exactly where the runbook says HOLD: 1-2 important checks failing), naming the
// check that caught it. Each case migrates a fresh database, applies one breakage, and runs the
// real CLI against it by URL.
import { afterAll, describe, expect, it } from "vitest";
import { createDatabase, type TestDatabase } from "../../support/db.js";
import { failedChecks, gonogo } from "../../support/gonogo.js";

interface Breakage {
  name: string;
  sql: string;
  decision: "NO-GO" | "HOLD";
  /** Checks that must be among the failed ones. */
  caughtBy: string[];
  args?: string[];
}

const breakages: Breakage[] = [
  {
    name: "the partial unique index dropped",
    sql: "drop index public.config_versions_one_active_per_workspace",
    decision: "NO-GO",
    caughtBy: ["INV2"],
  },
  {
    name: "the ACTIVE-delete guard dropped (row delete, cascade and truncate)",
    sql: `drop trigger trg_110_guard_config_version_truncate on public.config_versions;
          drop trigger trg_100_guard_config_version on public.config_versions;
          create trigger trg_100_guard_config_version before insert or update on public.config_versions
            for each row execute function public.guard_config_version();`,
    decision: "NO-GO",
    caughtBy: ["INV1"],
  },
  {
    name: "a config_version_id retyped to text without its foreign key",
    sql: `alter table public.master_checklist_items
            drop constraint master_checklist_items_config_version_fkey,
            drop constraint master_checklist_items_stage_template_fkey;
          alter table public.master_checklist_items alter column config_version_id type text;`,
    decision: "NO-GO",
    caughtBy: ["C2"],
  },
  {
    name: "a composite workspace foreign key replaced by a plain one",
    sql: `alter table public.workflow_stages drop constraint workflow_stages_instance_fkey;
          alter table public.workflow_stages add constraint workflow_stages_instance_plain_fkey
            foreign key (workflow_instance_id) references public.workflow_instances (id) on delete cascade;`,
    decision: "NO-GO",
    caughtBy: ["C5"],
  },
  {
    name: "row-level security disabled on a master table",
    sql: "alter table public.master_sites disable row level security",
    decision: "NO-GO",
    caughtBy: ["C5"],
  },
  {
    name: "a row-level security policy dropped",
    sql: "drop policy workspace_isolation on public.workflow_instances",
    decision: "NO-GO",
    caughtBy: ["C5"],
  },
  {
    name: "an illegal lifecycle transition allowed (no update guard)",
    sql: `drop trigger trg_100_guard_config_version on public.config_versions;
          create trigger trg_100_guard_config_version before insert or delete on public.config_versions
            for each row execute function public.guard_config_version();`,
    decision: "NO-GO",
    caughtBy: ["C3"],
  },
  {
    name: "activation that rewrites running instances' config",
    sql: `drop trigger trg_100_guard_workflow_instance on public.workflow_instances;
          alter table public.workflow_instances
            drop constraint workflow_instances_workflow_template_fkey,
            drop constraint workflow_instances_site_fkey;
          create or replace function public.activate_config_version(p_config_version_id public.config_versions.id%type)
          returns void language plpgsql set search_path = '' as $f$
          declare v_ws uuid;
          begin
            select workspace_id into v_ws from public.config_versions where id = p_config_version_id;
            perform pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtext(v_ws::text));
            update public.config_versions set status = 'SUPERSEDED' where workspace_id = v_ws and status = 'ACTIVE';
            update public.config_versions set status = 'ACTIVE' where id = p_config_version_id;
            -- the defect: running instances follow the newest config instead of keeping theirs
            update public.workflow_instances set config_version_id = p_config_version_id where workspace_id = v_ws;
          end $f$;`,
    decision: "NO-GO",
    caughtBy: ["C4"],
  },
  {
    name: "a definer function with an unsafe search_path (empty: pg_temp searched first)",
    sql: "alter function public.audit_row_change() set search_path = ''",
    decision: "NO-GO",
    caughtBy: ["C5"],
  },
  {
    name: "EXECUTE on the audit trigger function granted to PUBLIC",
    sql: "grant execute on function public.audit_row_change() to public",
    decision: "NO-GO",
    caughtBy: ["C5", "I3"],
  },
  {
    name: "the audit function no longer checks which table fired it",
    sql: `create or replace function public.audit_row_change() returns trigger language plpgsql security definer
            set search_path = pg_catalog, pg_temp as $f$
          begin
            insert into public.audit_logs (workspace_id, table_name, row_id, action, actor, old_values, new_values)
            values ((pg_catalog.to_jsonb(coalesce(new, old)) ->> 'workspace_id')::uuid, tg_table_name,
              pg_catalog.to_jsonb(coalesce(new, old)) ->> 'id', tg_op, public.current_actor(),
              case when tg_op <> 'INSERT' then pg_catalog.to_jsonb(old) end,
              case when tg_op <> 'DELETE' then pg_catalog.to_jsonb(new) end);
            return null;
          end $f$;`,
    decision: "NO-GO",
    caughtBy: ["C5"],
  },
  {
    name: "users readable by the application role (every workspace's e-mail addresses)",
    sql: "grant select on public.users to apms_app",
    decision: "NO-GO",
    caughtBy: ["C5", "E2"],
  },
  {
    name: "UPDATE and DELETE for the application role, as before issue 22 (ON CONFLICT reads other workspaces)",
    sql: `grant update, delete on public.config_versions, public.workflow_instances, public.workflow_stages,
            public.master_regions, public.master_sites, public.master_workflow_templates, public.master_stage_templates,
            public.master_approval_rules, public.master_checklist_items, public.master_document_types,
            public.workflow_approvals, public.workflow_stage_documents to apms_app`,
    decision: "NO-GO",
    caughtBy: ["C5", "C6", "E1"],
  },
  {
    name: "a workspace id is a key again (app.workspace_id trusted)",
    sql: `create or replace function public.current_workspace_id() returns uuid language sql stable security definer
            set search_path = pg_catalog, pg_temp as $f$
            select coalesce(nullif(pg_catalog.current_setting('app.workspace_id', true), '')::uuid,
                            (select c.workspace_id from apms_private.verified_context() c)) $f$`,
    decision: "NO-GO",
    caughtBy: ["C5"],
  },
  {
    name: "an index led by a user id (EXPLAIN ANALYZE counts other workspaces' approvals)",
    sql: `drop index public.idx_workflow_approvals_approver;
          create index idx_workflow_approvals_approver on public.workflow_approvals (approver_id, decided_at desc)`,
    decision: "NO-GO",
    caughtBy: ["C5"],
  },
  {
    name: "advisory locks for everyone again (one session can fill the lock table)",
    sql: "grant execute on function pg_catalog.pg_advisory_lock(bigint), pg_catalog.pg_advisory_xact_lock(bigint) to public",
    decision: "NO-GO",
    caughtBy: ["C5"],
  },
  {
    name: "the audit trigger of config_versions dropped (the runbook: audit trail incomplete, core functional)",
    sql: "drop trigger trg_900_audit on public.config_versions",
    decision: "HOLD",
    caughtBy: ["I3"],
  },
  {
    name: "a workspace key unique across workspaces (storage_key)",
    sql: `alter table public.workflow_stage_documents drop constraint workflow_stage_documents_storage_key_key;
          alter table public.workflow_stage_documents add constraint workflow_stage_documents_storage_key_key unique (storage_key);`,
    decision: "NO-GO",
    caughtBy: ["E2"],
  },
  {
    name: "a master-row cascade turned into NO ACTION",
    sql: `alter table public.master_regions drop constraint master_regions_config_version_fkey cascade;
          alter table public.master_regions add constraint master_regions_config_version_fkey
            foreign key (workspace_id, config_version_id) references public.config_versions (workspace_id, id);`,
    decision: "NO-GO",
    caughtBy: ["C1"],
  },
  {
    name: "an audit trigger dropped on a master table",
    sql: "drop trigger trg_900_audit on public.master_sites",
    decision: "HOLD",
    caughtBy: ["I3"],
  },
  {
    name: "a CHECK constraint dropped",
    sql: "alter table public.master_sites drop constraint master_sites_latitude_check",
    decision: "HOLD",
    caughtBy: ["I2"],
  },
  {
    name: "a performance index dropped",
    sql: "drop index public.idx_workflow_instances_workspace_created",
    decision: "HOLD",
    caughtBy: ["I1"],
  },
  {
    name: "pgcrypto dropped",
    sql: "drop extension pgcrypto",
    decision: "NO-GO",
    caughtBy: ["S0"],
  },
  {
    name: "fewer than two active users",
    sql: `update public.users set status = 'INACTIVE'
          where id <> (select min(id) from public.users where status = 'ACTIVE')`,
    decision: "NO-GO",
    caughtBy: ["S0"],
  },
  {
    name: "the workspace missing",
    sql: "update public.workspaces set code = code || '-RETIRED' where code in ('XLSMART-AVIAT', 'TEST-WS')",
    decision: "NO-GO",
    caughtBy: ["S0"],
  },
];

describe("broken schemas never get GO", () => {
  const dbs: TestDatabase[] = [];
  afterAll(async () => {
    await Promise.all(dbs.map((d) => d.drop()));
  });

  it.each(breakages)("$name -> $decision, caught by $caughtBy", async (b) => {
    const db = await createDatabase();
    dbs.push(db);
    const c = await db.connect();
    await c.query(b.sql);
    await c.end();

    const r = await gonogo(["verify", "--database-url", db.url, "--format", "json", ...(b.args ?? [])]);
    expect(r.stderr).not.toMatch(/\n\s+at .+\(.+:\d+:\d+\)/); // no stack trace
    expect(r.verdict, `stdout: ${r.stdout}\nstderr: ${r.stderr}`).toBeDefined();
    const failed = failedChecks(r.verdict);
    expect(r.verdict?.decision).toBe(b.decision);
    expect(r.code).toBe(b.decision === "HOLD" ? 2 : 1);
    for (const id of b.caughtBy) expect(failed).toContain(id);
    if (b.decision === "HOLD") {
      // HOLD only where the runbook says so: nothing but 1-2 important checks failing
      expect(failed.every((id) => id.startsWith("I"))).toBe(true);
      expect(failed.length).toBeGreaterThanOrEqual(1);
      expect(failed.length).toBeLessThanOrEqual(2);
    }
  });

  it("the intact database the breakages start from gets GO", async () => {
    const db = await createDatabase();
    dbs.push(db);
    const r = await gonogo(["verify", "--database-url", db.url, "--format", "json"]);
    expect(failedChecks(r.verdict), r.stdout + r.stderr).toEqual([]);
    expect(r.verdict?.decision).toBe("GO");
    expect(r.code).toBe(0);
  });
});
