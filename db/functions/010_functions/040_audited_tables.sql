-- The one list of audited tables (schema public): 020_audit_triggers.sql attaches trg_900_audit to
-- each, and audit_row_change() refuses any other table. A constant, immutable SQL function: inlined
-- and folded when a plan is made, so checking it costs nothing per row. orchestrator/migration.test.ts
-- proves it equals orchestrator/migration.ts AUDITED_TABLES.
create or replace function public.audited_tables()
returns text[]
language sql
immutable
parallel safe
set search_path = pg_catalog, pg_temp
as $$
  select array[
    'config_versions', 'workflow_instances', 'workflow_stages', 'workspace_members',
    'master_regions', 'master_sites', 'master_workflow_templates', 'master_stage_templates',
    'master_approval_rules', 'master_checklist_items', 'master_document_types',
    'workflow_approvals', 'workflow_stage_documents'
  ]::text[]
$$;

-- Nobody but the owner: only the audit trigger (as its owner) and db/functions read it.
revoke execute on function public.audited_tables() from public;
