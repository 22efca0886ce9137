-- I2: every named CHECK and UNIQUE constraint of the migration rejects its bad row, pinned by
-- SQLSTATE and constraint name (23514, 23505). bad_values_rejected covers the first few; this file
-- covers the rest, so losing any one of them fails I2.
begin;
\ir ../_support/helpers.psql
select plan(22);

-- SETUP: a busy workspace (ACTIVE config, running instance with an approval and a document) and a
-- loaded DRAFT d whose master rows can still change
do $$
begin
  perform pg_temp.gn_make_busy_workspace('b');
  perform pg_temp.gn_set('d', pg_temp.gn_make_config(pg_temp.gn_get('b_ws')::uuid, 'd.xlsx'));
  perform pg_temp.gn_load_config(pg_temp.gn_get('b_ws')::uuid, pg_temp.gn_get('d'), 1);
end $$;

-- TEST: CHECK constraints (23514)
select throws_ok(
  $$insert into public.audit_logs (workspace_id, table_name, row_id, action, actor) values (null, 'workspaces', 'x', 'TRUNCATE', 'gonogo')$$,
  '23514', 'new row for relation "audit_logs" violates check constraint "audit_logs_action_check"',
  'i2: an audit row whose action is not INSERT, UPDATE or DELETE is rejected by audit_logs_action_check');
select throws_ok(
  format($$update public.master_approval_rules set approver_role = 'KING' where config_version_id::text = %L$$, pg_temp.gn_get('d')),
  '23514', 'new row for relation "master_approval_rules" violates check constraint "master_approval_rules_approver_role_check"',
  'i2: an approval rule for an unknown role is rejected by master_approval_rules_approver_role_check');
select throws_ok(
  format($$update public.master_approval_rules set min_approvals = 0 where config_version_id::text = %L$$, pg_temp.gn_get('d')),
  '23514', 'new row for relation "master_approval_rules" violates check constraint "master_approval_rules_min_approvals_check"',
  'i2: an approval rule that needs no approval is rejected by master_approval_rules_min_approvals_check');
select throws_ok(
  format($$update public.master_checklist_items set sort_order = 0 where config_version_id::text = %L$$, pg_temp.gn_get('d')),
  '23514', 'new row for relation "master_checklist_items" violates check constraint "master_checklist_items_sort_order_check"',
  'i2: a checklist item at position 0 is rejected by master_checklist_items_sort_order_check');
select throws_ok(
  format($$update public.master_document_types set max_size_mb = 0 where config_version_id::text = %L$$, pg_temp.gn_get('d')),
  '23514', 'new row for relation "master_document_types" violates check constraint "master_document_types_max_size_mb_check"',
  'i2: a document type of at most 0 MB is rejected by master_document_types_max_size_mb_check');
select throws_ok(
  format($$update public.master_sites set longitude = 181 where config_version_id::text = %L$$, pg_temp.gn_get('d')),
  '23514', 'new row for relation "master_sites" violates check constraint "master_sites_longitude_check"',
  'i2: a site at longitude 181 is rejected by master_sites_longitude_check');
select throws_ok(
  format($$update public.master_stage_templates set sla_hours = 0 where config_version_id::text = %L$$, pg_temp.gn_get('d')),
  '23514', 'new row for relation "master_stage_templates" violates check constraint "master_stage_templates_sla_hours_check"',
  'i2: a stage template with an SLA of 0 hours is rejected by master_stage_templates_sla_hours_check');
select throws_ok(
  format($$update public.master_stage_templates set stage_order = 0 where config_version_id::text = %L$$, pg_temp.gn_get('d')),
  '23514', 'new row for relation "master_stage_templates" violates check constraint "master_stage_templates_stage_order_check"',
  'i2: a stage template at position 0 is rejected by master_stage_templates_stage_order_check');
select throws_ok(
  format($$insert into public.workflow_approvals (workspace_id, workflow_instance_id, workflow_stage_id, approver_id, decision) select workspace_id, workflow_instance_id, id, %L, 'MAYBE' from public.workflow_stages where id::text = %L$$, pg_temp.gn_get('b_u1'), pg_temp.gn_get('b_s2')),
  '23514', 'new row for relation "workflow_approvals" violates check constraint "workflow_approvals_decision_check"',
  'i2: an approval whose decision is neither APPROVED nor REJECTED is rejected by workflow_approvals_decision_check');
select throws_ok(
  format($$update public.workflow_stage_documents set file_name = '   ' where workspace_id::text = %L$$, pg_temp.gn_get('b_ws')),
  '23514', 'new row for relation "workflow_stage_documents" violates check constraint "workflow_stage_documents_file_name_check"',
  'i2: a document with a blank file name is rejected by workflow_stage_documents_file_name_check');
select throws_ok(
  format($$update public.workflow_stages set stage_order = 0 where workflow_instance_id = %L::uuid and stage_order = 3$$, pg_temp.gn_get('b_i')),
  '23514', 'new row for relation "workflow_stages" violates check constraint "workflow_stages_stage_order_check"',
  'i2: a workflow stage at position 0 is rejected by workflow_stages_stage_order_check');
select throws_ok(
  format($$update public.workspace_members set status = 'BANNED' where workspace_id::text = %L$$, pg_temp.gn_get('b_ws')),
  '23514', 'new row for relation "workspace_members" violates check constraint "workspace_members_status_check"',
  'i2: a membership whose status is neither ACTIVE nor INACTIVE is rejected by workspace_members_status_check');

-- TEST: UNIQUE constraints (23505)
select throws_ok(
  format($$insert into public.master_approval_rules (workspace_id, config_version_id, stage_template_id, approver_role) select workspace_id, config_version_id, stage_template_id, approver_role from public.master_approval_rules where config_version_id::text = %L$$, pg_temp.gn_get('d')),
  '23505', 'duplicate key value violates unique constraint "master_approval_rules_role_key"',
  'i2: a second rule for the same role on one stage template is rejected by master_approval_rules_role_key');
select throws_ok(
  format($$insert into public.master_checklist_items (workspace_id, config_version_id, stage_template_id, item_code, description) select workspace_id, config_version_id, stage_template_id, item_code, 'again' from public.master_checklist_items where config_version_id::text = %L$$, pg_temp.gn_get('d')),
  '23505', 'duplicate key value violates unique constraint "master_checklist_items_code_key"',
  'i2: a second checklist item with the same code on one stage template is rejected by master_checklist_items_code_key');
select throws_ok(
  format($$insert into public.master_document_types (workspace_id, config_version_id, code, name) select workspace_id, config_version_id, code, 'again' from public.master_document_types where config_version_id::text = %L$$, pg_temp.gn_get('d')),
  '23505', 'duplicate key value violates unique constraint "master_document_types_code_key"',
  'i2: a second document type with the same code in one version is rejected by master_document_types_code_key');
select throws_ok(
  format($$insert into public.master_regions (workspace_id, config_version_id, code, name) select workspace_id, config_version_id, code, 'again' from public.master_regions where config_version_id::text = %L$$, pg_temp.gn_get('d')),
  '23505', 'duplicate key value violates unique constraint "master_regions_code_key"',
  'i2: a second region with the same code in one version is rejected by master_regions_code_key');
select throws_ok(
  format($$insert into public.master_workflow_templates (workspace_id, config_version_id, code, name) select workspace_id, config_version_id, code, 'again' from public.master_workflow_templates where config_version_id::text = %L$$, pg_temp.gn_get('d')),
  '23505', 'duplicate key value violates unique constraint "master_workflow_templates_code_key"',
  'i2: a second workflow template with the same code in one version is rejected by master_workflow_templates_code_key');
select throws_ok(
  format($$insert into public.master_stage_templates (workspace_id, config_version_id, workflow_template_id, stage_order, code, name) select workspace_id, config_version_id, workflow_template_id, 9, code, 'again' from public.master_stage_templates where config_version_id::text = %L$$, pg_temp.gn_get('d')),
  '23505', 'duplicate key value violates unique constraint "master_stage_templates_code_key"',
  'i2: a second stage template with the same code in one workflow template is rejected by master_stage_templates_code_key');
select throws_ok(
  format($$insert into public.master_stage_templates (workspace_id, config_version_id, workflow_template_id, stage_order, code, name) select workspace_id, config_version_id, workflow_template_id, stage_order, 'S-OTHER', 'again' from public.master_stage_templates where config_version_id::text = %L$$, pg_temp.gn_get('d')),
  '23505', 'duplicate key value violates unique constraint "master_stage_templates_order_key"',
  'i2: a second stage template at the same position in one workflow template is rejected by master_stage_templates_order_key');
select throws_ok(
  format($$insert into public.workflow_approvals (workspace_id, workflow_instance_id, workflow_stage_id, approver_id, decision) select workspace_id, workflow_instance_id, workflow_stage_id, approver_id, decision from public.workflow_approvals where workspace_id = %L and workflow_instance_id = %L::uuid$$, pg_temp.gn_get('b_ws'), pg_temp.gn_get('b_i')),
  '23505', 'duplicate key value violates unique constraint "workflow_approvals_stage_approver_key"',
  'i2: a second decision by one approver on one stage is rejected by workflow_approvals_stage_approver_key');
select throws_ok(
  format($$insert into public.workflow_stage_documents (workspace_id, config_version_id, workflow_stage_id, document_type_id, file_name, storage_key, uploaded_by) select workspace_id, config_version_id, workflow_stage_id, document_type_id, 'copy.pdf', storage_key, uploaded_by from public.workflow_stage_documents where workspace_id::text = %L$$, pg_temp.gn_get('b_ws')),
  '23505', 'duplicate key value violates unique constraint "workflow_stage_documents_storage_key_key"',
  'i2: a second document stored under the same storage key is rejected by workflow_stage_documents_storage_key_key');
select throws_ok(
  format($$update public.workflow_stages set stage_order = 2 where workflow_instance_id = %L::uuid and stage_order = 3$$, pg_temp.gn_get('b_i')),
  '23505', 'duplicate key value violates unique constraint "workflow_stages_instance_order_key"',
  'i2: two stages of one instance at the same position is rejected by workflow_stages_instance_order_key');

select * from finish();
rollback;
