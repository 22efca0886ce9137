-- Workspace isolation for roles subject to RLS (apms_app): only rows of the workspace of the
-- session's verified request context (public.current_workspace_id()), for reads and writes;
-- workspaces itself by its id. The initplan (select ...) keeps the predicate index-friendly. This
-- list is the one list of workspace-isolated tables (the migration enables RLS on them;
-- orchestrator/migration.test.ts proves the lists agree with orchestrator/migration.ts).
do $workspace_policies$
declare
  v_table text;
  v_column text;
begin
  foreach v_table in array array[
    'workspaces', 'config_versions', 'workflow_instances', 'workflow_stages', 'workspace_members',
    'master_regions', 'master_sites', 'master_workflow_templates', 'master_stage_templates',
    'master_approval_rules', 'master_checklist_items', 'master_document_types',
    'workflow_approvals', 'workflow_stage_documents', 'audit_logs'
  ] loop
    v_column := case when v_table = 'workspaces' then 'id' else 'workspace_id' end;
    execute format('drop policy if exists workspace_isolation on public.%I', v_table);
    execute format(
      'create policy workspace_isolation on public.%1$I
         using (%2$I = (select public.current_workspace_id()))
         with check (%2$I = (select public.current_workspace_id()))', v_table, v_column);
  end loop;
end
$workspace_policies$;

-- users: no policy. apms_app holds no SELECT on users (the migration's grants: its indexes on id and
-- email are led by no workspace, so a range scan under EXPLAIN ANALYZE would count every
-- workspace's users); it reads its workspace's members through public.workspace_users(). Row-level
-- security stays enabled with no policy, so a SELECT granted by mistake still shows no row. The
-- policy an earlier version of these files created is dropped.
drop policy if exists workspace_members_only on public.users;
