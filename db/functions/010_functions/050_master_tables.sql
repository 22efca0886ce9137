-- The one list of master tables (schema public): 030_master_guards.sql attaches
-- trg_100_guard_master_row to each, and guard_master_row() refuses any other table. A constant,
-- immutable SQL function: inlined and folded when a plan is made. orchestrator/migration.test.ts proves
-- it equals orchestrator/migration.ts MASTER_TABLES.
create or replace function public.master_tables()
returns text[]
language sql
immutable
parallel safe
set search_path = pg_catalog, pg_temp
as $$
  select array[
    'master_regions', 'master_sites', 'master_workflow_templates', 'master_stage_templates',
    'master_approval_rules', 'master_checklist_items', 'master_document_types'
  ]::text[]
$$;

-- Nobody but the owner: guard_master_row() (a definer) reads it as the owner.
revoke execute on function public.master_tables() from public;
revoke execute on function public.master_tables() from apms_app;
