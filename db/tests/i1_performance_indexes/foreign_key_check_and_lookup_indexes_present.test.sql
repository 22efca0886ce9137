-- I1: the indexes the migration adds for foreign key checks (deleting a user, a document type, a
-- workflow template scans the referencing column) and for the lookups docs/hot-queries.md names
-- (site_history_across_versions, stages_for_role, actions_by_actor) exist and are valid.
-- performance_indexes_present names the others.
begin;
\ir ../_support/helpers.psql
select plan(7);

-- TEST: each index by table, name and leading columns
select ok(exists (select from pg_index i where i.indexrelid = to_regclass('public.' || n) and i.indisvalid
    and i.indrelid = to_regclass('public.' || t)
    and pg_get_indexdef(i.indexrelid) like '%(' || c || '%'),
  format('i1: %s on %s (%s) exists and is valid', n, t, c))
from (values
  ('idx_audit_logs_actor', 'audit_logs', 'actor, changed_at'),
  ('idx_config_versions_created_by', 'config_versions', 'created_by'),
  ('idx_master_approval_rules_role', 'master_approval_rules', 'config_version_id, approver_role'),
  ('idx_master_sites_workspace_site_code', 'master_sites', 'workspace_id, site_code'),
  ('idx_workflow_instances_template', 'workflow_instances', 'workspace_id, workflow_template_id'),
  ('idx_workflow_stage_documents_document_type', 'workflow_stage_documents', 'workspace_id, config_version_id, document_type_id'),
  ('idx_workflow_stage_documents_uploaded_by', 'workflow_stage_documents', 'uploaded_by')
) as x (n, t, c);

select * from finish();
rollback;
