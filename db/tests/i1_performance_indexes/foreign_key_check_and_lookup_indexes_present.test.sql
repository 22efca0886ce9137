-- I1: the indexes the migration adds for foreign key checks (deleting a membership, a document type,
-- a workflow template, an instance scans the referencing columns) and for the lookups
-- docs/hot-queries.md names (site_history_across_versions, stages_for_role, actions_by_actor) exist
-- and are valid, each led by workspace_id or holding uuids only (C5's explain test says why).
-- performance_indexes_present names the others.
begin;
\ir ../_support/helpers.psql
select plan(8);

-- TEST: each index by table, name and leading columns
select ok(exists (select from pg_index i where i.indexrelid = to_regclass('public.' || n) and i.indisvalid
    and i.indrelid = to_regclass('public.' || t)
    and pg_get_indexdef(i.indexrelid) like '%(' || c || '%'),
  format('i1: %s on %s (%s) exists and is valid', n, t, c))
from (values
  ('idx_audit_logs_actor', 'audit_logs', 'workspace_id, actor, changed_at'),
  ('idx_config_versions_created_by', 'config_versions', 'workspace_id, created_by'),
  ('idx_master_approval_rules_role', 'master_approval_rules', 'workspace_id, config_version_id, approver_role'),
  ('idx_master_sites_workspace_site_code', 'master_sites', 'workspace_id, site_code'),
  ('idx_workflow_instances_template', 'workflow_instances', 'workspace_id, workflow_template_id'),
  ('idx_workflow_stage_documents_document_type', 'workflow_stage_documents', 'workspace_id, config_version_id, document_type_id'),
  ('idx_workflow_stage_documents_uploaded_by', 'workflow_stage_documents', 'workspace_id, uploaded_by'),
  ('idx_workflow_stages_instance', 'workflow_stages', 'workflow_instance_id')
) as x (n, t, c);

select * from finish();
rollback;
