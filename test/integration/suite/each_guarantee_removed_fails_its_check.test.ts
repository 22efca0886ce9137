// A check that cannot fail proves nothing: on a migrated database with one guarantee removed, the
// files of the check that guards it must fail, while on the intact database they pass.
import { basename } from "node:path";
import { describe, expect, it } from "vitest";
import { createDatabase } from "../../support/db.js";
import { explain, filesOf, runFiles } from "../../support/pgtap.js";

interface Breakage {
  guarantee: string;
  check: string;
  sql: string;
  /** The one file of the check that proves this guarantee, when there is one: it must be among those failing. */
  file?: string;
}

const breakages: Breakage[] = [
  {
    guarantee: "cascade from workflow stages to their approvals",
    check: "c1",
    file: "deleting_a_parent_cascades_or_is_refused.test.sql",
    sql: `alter table public.workflow_approvals drop constraint workflow_approvals_stage_fkey;
          alter table public.workflow_approvals add constraint workflow_approvals_stage_fkey
            foreign key (workspace_id, workflow_stage_id) references public.workflow_stages (workspace_id, id)`,
  },
  {
    guarantee: "foreign key workflow_stage_documents -> master_document_types",
    check: "c1",
    file: "every_foreign_key_refuses_an_orphan.test.sql",
    sql: "alter table public.workflow_stage_documents drop constraint workflow_stage_documents_document_type_fkey",
  },
  {
    guarantee: "CHECK constraint master_sites_longitude_check",
    check: "i2",
    file: "every_named_constraint_rejects_its_bad_row.test.sql",
    sql: "alter table public.master_sites drop constraint master_sites_longitude_check",
  },
  {
    guarantee: "index idx_workflow_instances_template",
    check: "i1",
    file: "foreign_key_check_and_lookup_indexes_present.test.sql",
    sql: "drop index public.idx_workflow_instances_template",
  },
  {
    guarantee: "pinned search_path of the SECURITY DEFINER audit trigger",
    check: "c5",
    file: "functions_pinned_and_granted_by_need.test.sql",
    sql: "alter function public.audit_row_change() reset search_path",
  },
  {
    guarantee: "partial unique index (one ACTIVE per workspace)",
    check: "inv2",
    sql: "drop index public.config_versions_one_active_per_workspace",
  },
  {
    guarantee: "delete guard on ACTIVE config versions",
    check: "inv1",
    sql: "drop trigger trg_100_guard_config_version on public.config_versions",
  },
  {
    guarantee: "lifecycle guard (illegal transitions)",
    check: "c3",
    sql: "drop trigger trg_100_guard_config_version on public.config_versions",
  },
  {
    guarantee: "freeze-by-reference guard on workflow instances",
    check: "c4",
    sql: "drop trigger trg_100_guard_workflow_instance on public.workflow_instances",
  },
  {
    guarantee: "composite foreign key (site -> region inside the workspace)",
    check: "c5",
    sql: `alter table public.master_sites drop constraint master_sites_region_fkey;
          alter table public.master_sites add constraint master_sites_region_fkey
            foreign key (region_id) references public.master_regions (id)`,
  },
  {
    guarantee: "RLS policy on master_sites",
    check: "c5",
    sql: "drop policy workspace_isolation on public.master_sites",
  },
  {
    guarantee: "RLS enabled on workflow_instances",
    check: "e2",
    sql: "alter table public.workflow_instances disable row level security",
  },
  {
    guarantee: "audit trigger on workflow_approvals",
    check: "i3",
    sql: "drop trigger trg_900_audit on public.workflow_approvals",
  },
  {
    guarantee: "append-only trigger on audit_logs",
    check: "i3",
    sql: "drop trigger trg_100_refuse_change on public.audit_logs",
  },
  {
    // the refusal is tried without queueing for its lock (issue 15): it must still be a refusal
    guarantee: "TRUNCATE refusal on audit_logs",
    check: "i3",
    sql: "drop trigger trg_110_refuse_truncate on public.audit_logs",
  },
  {
    guarantee: "TRUNCATE guard on config_versions",
    check: "inv1",
    sql: "drop trigger trg_110_guard_config_version_truncate on public.config_versions",
  },
  {
    guarantee: "audit trigger on workflow_approvals (end to end)",
    check: "e3",
    sql: "drop trigger trg_900_audit on public.workflow_approvals",
  },
  {
    guarantee: "CHECK constraint master_sites_latitude_check",
    check: "i2",
    sql: "alter table public.master_sites drop constraint master_sites_latitude_check",
  },
  {
    guarantee: "index idx_workflow_instances_site",
    check: "i1",
    sql: "drop index public.idx_workflow_instances_site",
  },
  {
    // still isolating, but through a per-row function call the planner cannot turn into an index scan
    guarantee: "index-friendly row-level security predicate",
    check: "i1",
    sql: `create function public.gonogo_row_visible(p_workspace_id uuid) returns boolean language plpgsql volatile
            as $$ begin return p_workspace_id = public.current_workspace_id(); end $$;
          drop policy workspace_isolation on public.workflow_instances;
          create policy workspace_isolation on public.workflow_instances
            using (public.gonogo_row_visible(workspace_id)) with check (public.gonogo_row_visible(workspace_id));
          grant execute on function public.gonogo_row_visible(uuid) to apms_app;`,
  },
  {
    guarantee: "frozen master rows of an ACTIVE config",
    check: "e1",
    sql: "drop trigger trg_100_guard_master_row on public.master_stage_templates",
  },
  {
    guarantee: "definer search_path with pg_temp last",
    check: "c5",
    sql: "alter function public.audit_row_change() set search_path = ''",
  },
  {
    guarantee: "no EXECUTE for PUBLIC on the audit trigger function",
    check: "i3",
    sql: "grant execute on function public.audit_row_change() to public",
  },
  {
    guarantee: "no SELECT on users for the application role (e-mail addresses of every workspace)",
    check: "e2",
    file: "other_workspaces_neither_shown_nor_described.test.sql",
    sql: "grant select on public.users to apms_app",
  },
  {
    // INSERT ... ON CONFLICT DO UPDATE reads and locks a conflicting row of another workspace
    guarantee: "no UPDATE for the application role",
    check: "c5",
    file: "app_role_changes_nothing_directly.test.sql",
    sql: "grant update (site_name) on public.master_sites to apms_app",
  },
  {
    guarantee: "a signed request context (app.workspace_id decides nothing)",
    check: "c5",
    file: "workspace_id_is_not_a_key.test.sql",
    sql: `create or replace function public.current_workspace_id() returns uuid language sql stable security definer
            set search_path = pg_catalog, pg_temp as $$
            select coalesce(nullif(pg_catalog.current_setting('app.workspace_id', true), '')::uuid,
                            (select c.workspace_id from apms_private.verified_context() c)) $$`,
  },
  {
    guarantee: "indexes led by workspace_id (EXPLAIN counts nothing of another workspace)",
    check: "c5",
    file: "explain_counts_nothing_of_another_workspace.test.sql",
    sql: `drop index public.idx_workflow_approvals_approver;
          create index idx_workflow_approvals_approver on public.workflow_approvals (approver_id, decided_at desc)`,
  },
  {
    guarantee: "advisory locks withheld from the application role",
    check: "c5",
    file: "one_session_cannot_hold_up_the_others.test.sql",
    sql: "grant execute on function pg_catalog.pg_advisory_lock(bigint) to public",
  },
  {
    guarantee: "temporary tables withheld from the application role",
    check: "c5",
    file: "one_session_cannot_hold_up_the_others.test.sql",
    sql: "do $$ begin execute format('grant temporary on database %I to public', current_database()); end $$",
  },
  {
    guarantee: "no write on the workflow tables for the application role",
    check: "c6",
    file: "approvals_follow_the_rules_whatever_the_session_sends.test.sql",
    sql: "grant insert on public.workflow_approvals to apms_app",
  },
  {
    guarantee: "decide_stage names the session's user only",
    check: "i3",
    file: "approval_names_one_actor.test.sql",
    sql: `do $$
          declare
            v_def text := pg_get_functiondef('public.decide_stage(uuid, text, text, text)'::regprocedure);
            v_check text := '(v_session_user is not null or not v_scope.unrestricted) and ';
          begin
            if strpos(v_def, v_check) = 0 then
              raise exception 'decide_stage no longer has the condition this breakage removes';
            end if;
            execute replace(v_def, v_check, 'v_scope.unrestricted and v_session_user is not null and ');
          end $$`,
  },
  {
    guarantee: "config_version_id foreign key (type alignment)",
    check: "c2",
    sql: "alter table public.master_regions drop constraint master_regions_config_version_fkey",
  },
  {
    guarantee: "cascade from workflow stages to their stage documents",
    check: "c1",
    file: "instance_delete_removes_its_runtime_rows.test.sql",
    sql: `alter table public.workflow_stage_documents drop constraint workflow_stage_documents_stage_fkey;
          alter table public.workflow_stage_documents add constraint workflow_stage_documents_stage_fkey
            foreign key (workspace_id, workflow_stage_id) references public.workflow_stages (workspace_id, id)`,
  },
  {
    // the runtime following the ACTIVE version instead of the instance's own
    guarantee: "decisions on a running instance whose version is SUPERSEDED",
    check: "c4",
    file: "running_instance_progresses_on_superseded_version.test.sql",
    sql: `create function public.gonogo_decide_on_active_only() returns trigger language plpgsql as $$
          begin
            if exists (select from public.workflow_instances i join public.config_versions cv on cv.id = i.config_version_id
                       where i.id = new.workflow_instance_id and cv.status <> 'ACTIVE') then
              raise exception 'instance % is not on the ACTIVE version', new.workflow_instance_id;
            end if;
            return new;
          end $$;
          create trigger trg_050_decide_on_active_only before insert on public.workflow_approvals
            for each row execute function public.gonogo_decide_on_active_only()`,
  },
  {
    guarantee: "composite foreign key (approval rule -> stage template inside the config version)",
    check: "c5",
    file: "cross_version_and_member_references_refused.test.sql",
    sql: `alter table public.master_approval_rules drop constraint master_approval_rules_stage_template_fkey;
          alter table public.master_approval_rules add constraint master_approval_rules_stage_template_fkey
            foreign key (stage_template_id) references public.master_stage_templates (id) on delete cascade`,
  },
  {
    // the lifecycle guard refuses another workspace's row before RLS does: both must go
    guarantee: "RLS on inserts into config_versions (a permissive policy beside it, no lifecycle guard)",
    check: "c5",
    file: "app_role_changes_nothing_directly.test.sql",
    sql: `create policy gonogo_insert_anywhere on public.config_versions for insert with check (true);
          drop trigger trg_100_guard_config_version on public.config_versions`,
  },
  {
    guarantee: "decide_stage's ACTIVE-membership condition",
    check: "c6",
    file: "decided_inactive_and_invalid_refused.test.sql",
    sql: `do $$
          declare
            v_def text := pg_get_functiondef('public.decide_stage(uuid, text, text, text)'::regprocedure);
          begin
            if strpos(v_def, 'and m.status = ''ACTIVE''') = 0 then
              raise exception 'decide_stage no longer has the condition this breakage removes';
            end if;
            execute replace(v_def, 'and m.status = ''ACTIVE''', '');
          end $$`,
  },
  {
    guarantee: "frozen master rows of an ACTIVE config (master_sites)",
    check: "e1",
    file: "every_master_table_frozen_with_its_version.test.sql",
    sql: "drop trigger trg_100_guard_master_row on public.master_sites",
  },
  {
    // isolation that also stops the application inside its own workspace
    guarantee: "RLS policy on master_regions for writes (a select-only policy)",
    check: "e2",
    file: "app_session_loads_and_activates_its_config.test.sql",
    sql: `drop policy workspace_isolation on public.master_regions;
          create policy workspace_isolation on public.master_regions for select
            using (workspace_id = (select public.current_workspace_id()))`,
  },
  {
    guarantee: "audit trigger on workflow_stage_documents",
    check: "i3",
    file: "every_change_audited_with_its_values.test.sql",
    sql: "drop trigger trg_900_audit on public.workflow_stage_documents",
  },
  {
    // the current application release names no workspace_id when it inserts a stage
    guarantee: "transition trigger filling workflow_stages.workspace_id",
    check: "c6",
    file: "current_application_stage_insert_gets_its_workspace.test.sql",
    sql: "drop trigger trg_010_fill_workspace_id on public.workflow_stages",
  },
  {
    // a delete guard wider than ACTIVE
    guarantee: "deleting a SUPERSEDED config version",
    check: "inv1",
    file: "superseded_config_deleted_with_its_rows.test.sql",
    sql: `create function public.gonogo_refuse_non_draft_delete() returns trigger language plpgsql as $$
          begin
            if old.status <> 'DRAFT' then
              raise exception 'cannot delete % config version', old.status using errcode = 'ZA001';
            end if;
            return old;
          end $$;
          create trigger trg_050_refuse_non_draft_delete before delete on public.config_versions
            for each row execute function public.gonogo_refuse_non_draft_delete()`,
  },
];

describe.each(["uuid", "text"])("baseline %s", (baseline) => {
  it.each(breakages)("without the $guarantee, $check fails", async ({ check, sql, file }) => {
    const files = filesOf(check);
    expect(files.length).toBeGreaterThan(0);
    const db = await createDatabase({ baseline, kind: "migrated" });
    try {
      const intact = await runFiles(db.url, files);
      expect(explain(intact), "intact database").toBe("");
      const c = await db.connect();
      await c.query(sql);
      const broken = await runFiles(db.url, files);
      const failing = broken.filter((r) => !r.passed).map((r) => r.file);
      expect(failing.length, `files of ${check} that failed after: ${sql}`).toBeGreaterThan(0);
      if (file)
        expect(
          failing.map((f) => basename(f)),
          `the file that proves it, after: ${sql}`,
        ).toContain(file);
    } finally {
      await db.drop();
    }
  });
});
