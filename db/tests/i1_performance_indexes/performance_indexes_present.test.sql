-- I1: at least 25 performance indexes on the sixteen tables (beyond primary keys and unique
-- constraints), and every index the hot queries (docs/hot-queries.md) rely on exists and is valid.
begin;
\ir ../_support/helpers.psql
select plan(3);

-- SETUP: the performance indexes (not backing a primary key or unique constraint)
create temp view gn_perf_indexes as
select i.indexrelid::regclass::text as name, i.indisvalid
from pg_index i
where i.indrelid in (select pg_temp.gn_table_oids())
  and not exists (select from pg_constraint c where c.conindid = i.indexrelid and c.contype in ('p', 'u', 'x'));

-- TEST: enough of them
select diag('i1: performance indexes on the sixteen tables: ' || (select count(*) from gn_perf_indexes));
select cmp_ok((select count(*)::int from gn_perf_indexes), '>=', 25, 'i1: at least 25 performance indexes on the sixteen tables');

-- TEST: the ones the hot queries need, valid
select is_empty(
  $$ select n from unnest(array['config_versions_one_active_per_workspace', 'idx_config_versions_workspace_created',
       'idx_workspace_members_user', 'idx_workspace_members_workspace_role', 'idx_master_sites_region',
       'idx_master_stage_templates_workflow_template', 'idx_master_approval_rules_stage_template',
       'idx_master_checklist_items_stage_template', 'idx_master_document_types_stage_template',
       'idx_workflow_instances_workspace_status', 'idx_workflow_instances_config_version', 'idx_workflow_instances_site',
       'idx_workflow_instances_started_by', 'idx_workflow_instances_workspace_created', 'idx_workflow_stages_open',
       'idx_workflow_stages_stage_template', 'idx_workflow_approvals_instance', 'idx_workflow_approvals_approver',
       'idx_workflow_stage_documents_stage', 'idx_audit_logs_workspace_changed_at', 'idx_audit_logs_table_row']) n
     where not exists (select from gn_perf_indexes p where p.name = n and p.indisvalid) $$,
  'i1: every index a hot query relies on exists and is valid');
select is_empty(
  $$ select name from gn_perf_indexes where not indisvalid $$,
  'i1: no performance index is left invalid');

select * from finish();
rollback;
