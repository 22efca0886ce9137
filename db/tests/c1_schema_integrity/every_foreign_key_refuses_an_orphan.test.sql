-- C1: every foreign key the migration adds refuses a row whose parent does not exist, pinned by
-- name where it alone decides. Where another key implies it (the plain workspace key and the
-- composite one, the user key and the membership key), either name is accepted: which of the two
-- fires first follows their triggers' oids, which differ between databases.
begin;
\ir ../_support/helpers.psql
select plan(28);

-- SETUP: a busy workspace (ACTIVE config, running instance, approvals, documents), a loaded DRAFT d
-- and u9, a user who is a member of no workspace
do $$
begin
  perform pg_temp.gn_make_busy_workspace('b');
  perform pg_temp.gn_set('d', pg_temp.gn_make_config(pg_temp.gn_get('b_ws')::uuid, 'd.xlsx'));
  perform pg_temp.gn_load_config(pg_temp.gn_get('b_ws')::uuid, pg_temp.gn_get('d'), 1);
  perform pg_temp.gn_set('u9', pg_temp.gn_make_user());
end $$;

-- TEST: config_versions
select throws_ok(
  format('update public.config_versions set created_by = %L where id::text = %L', 'gn-ghost', pg_temp.gn_get('d')),
  '23503', 'insert or update on table "config_versions" violates foreign key constraint "config_versions_created_by_fkey"',
  'c1: a version created by an unknown user is refused by config_versions_created_by_fkey');
select throws_ok(
  format('update public.config_versions set activated_by = %L where id::text = %L', 'gn-ghost', pg_temp.gn_get('d')),
  '23503', 'insert or update on table "config_versions" violates foreign key constraint "config_versions_activated_by_fkey"',
  'c1: a version activated by an unknown user is refused by config_versions_activated_by_fkey');
-- TEST: master_regions
select matches(
  pg_temp.gn_try(format($$insert into public.master_regions (workspace_id, config_version_id, code, name) select gen_random_uuid(), config_version_id, 'RX', 'x' from public.master_regions where config_version_id::text = %L$$, pg_temp.gn_get('d'))),
  '^23503: insert or update on table "master_regions" violates foreign key constraint "(master_regions_workspace_id_fkey|master_regions_config_version_fkey)"$',
  'c1: a master_regions row of a workspace that does not exist is refused (by master_regions_workspace_id_fkey or the composite key that implies it)');
-- TEST: master_sites
select matches(
  pg_temp.gn_try(format($$insert into public.master_sites (workspace_id, config_version_id, region_id, site_code, site_name) select gen_random_uuid(), config_version_id, id, 'SX', 'x' from public.master_regions where config_version_id::text = %L$$, pg_temp.gn_get('d'))),
  '^23503: insert or update on table "master_sites" violates foreign key constraint "(master_sites_workspace_id_fkey|master_sites_config_version_fkey|master_sites_region_fkey)"$',
  'c1: a master_sites row of a workspace that does not exist is refused (by master_sites_workspace_id_fkey or the composite key that implies it)');
-- TEST: master_workflow_templates
select matches(
  pg_temp.gn_try(format($$insert into public.master_workflow_templates (workspace_id, config_version_id, code, name) select gen_random_uuid(), config_version_id, 'WX', 'x' from public.master_workflow_templates where config_version_id::text = %L$$, pg_temp.gn_get('d'))),
  '^23503: insert or update on table "master_workflow_templates" violates foreign key constraint "(master_workflow_templates_workspace_id_fkey|master_workflow_templates_config_version_fkey)"$',
  'c1: a master_workflow_templates row of a workspace that does not exist is refused (by master_workflow_templates_workspace_id_fkey or the composite key that implies it)');
-- TEST: master_stage_templates
select matches(
  pg_temp.gn_try(format($$insert into public.master_stage_templates (workspace_id, config_version_id, workflow_template_id, stage_order, code, name) select gen_random_uuid(), config_version_id, id, 9, 'SX', 'x' from public.master_workflow_templates where config_version_id::text = %L$$, pg_temp.gn_get('d'))),
  '^23503: insert or update on table "master_stage_templates" violates foreign key constraint "(master_stage_templates_workspace_id_fkey|master_stage_templates_config_version_fkey|master_stage_templates_workflow_template_fkey)"$',
  'c1: a master_stage_templates row of a workspace that does not exist is refused (by master_stage_templates_workspace_id_fkey or the composite key that implies it)');
-- TEST: master_approval_rules
select matches(
  pg_temp.gn_try(format($$insert into public.master_approval_rules (workspace_id, config_version_id, stage_template_id, approver_role) select gen_random_uuid(), config_version_id, id, 'VIEWER' from public.master_stage_templates where config_version_id::text = %L$$, pg_temp.gn_get('d'))),
  '^23503: insert or update on table "master_approval_rules" violates foreign key constraint "(master_approval_rules_workspace_id_fkey|master_approval_rules_config_version_fkey|master_approval_rules_stage_template_fkey)"$',
  'c1: a master_approval_rules row of a workspace that does not exist is refused (by master_approval_rules_workspace_id_fkey or the composite key that implies it)');
-- TEST: master_checklist_items
select matches(
  pg_temp.gn_try(format($$insert into public.master_checklist_items (workspace_id, config_version_id, stage_template_id, item_code, description) select gen_random_uuid(), config_version_id, id, 'CX', 'x' from public.master_stage_templates where config_version_id::text = %L$$, pg_temp.gn_get('d'))),
  '^23503: insert or update on table "master_checklist_items" violates foreign key constraint "(master_checklist_items_workspace_id_fkey|master_checklist_items_config_version_fkey|master_checklist_items_stage_template_fkey)"$',
  'c1: a master_checklist_items row of a workspace that does not exist is refused (by master_checklist_items_workspace_id_fkey or the composite key that implies it)');
-- TEST: master_document_types
select matches(
  pg_temp.gn_try(format($$insert into public.master_document_types (workspace_id, config_version_id, stage_template_id, code, name) select gen_random_uuid(), config_version_id, id, 'DX', 'x' from public.master_stage_templates where config_version_id::text = %L$$, pg_temp.gn_get('d'))),
  '^23503: insert or update on table "master_document_types" violates foreign key constraint "(master_document_types_workspace_id_fkey|master_document_types_config_version_fkey|master_document_types_stage_template_fkey)"$',
  'c1: a master_document_types row of a workspace that does not exist is refused (by master_document_types_workspace_id_fkey or the composite key that implies it)');
-- TEST: master_approval_rules
select throws_ok(
  format($$insert into public.master_approval_rules (workspace_id, config_version_id, stage_template_id, approver_role) select workspace_id, config_version_id, gen_random_uuid(), 'VIEWER' from public.master_stage_templates where config_version_id::text = %L$$, pg_temp.gn_get('d')),
  '23503', 'insert or update on table "master_approval_rules" violates foreign key constraint "master_approval_rules_stage_template_fkey"',
  'c1: a master_approval_rules row of a stage template that does not exist is refused by master_approval_rules_stage_template_fkey');
-- TEST: master_checklist_items
select throws_ok(
  format($$insert into public.master_checklist_items (workspace_id, config_version_id, stage_template_id, item_code, description) select workspace_id, config_version_id, gen_random_uuid(), 'CX', 'x' from public.master_stage_templates where config_version_id::text = %L$$, pg_temp.gn_get('d')),
  '23503', 'insert or update on table "master_checklist_items" violates foreign key constraint "master_checklist_items_stage_template_fkey"',
  'c1: a master_checklist_items row of a stage template that does not exist is refused by master_checklist_items_stage_template_fkey');
-- TEST: master_document_types
select throws_ok(
  format($$insert into public.master_document_types (workspace_id, config_version_id, stage_template_id, code, name) select workspace_id, config_version_id, gen_random_uuid(), 'DX', 'x' from public.master_stage_templates where config_version_id::text = %L$$, pg_temp.gn_get('d')),
  '23503', 'insert or update on table "master_document_types" violates foreign key constraint "master_document_types_stage_template_fkey"',
  'c1: a master_document_types row of a stage template that does not exist is refused by master_document_types_stage_template_fkey');
-- TEST: master_stage_templates
select throws_ok(
  format($$insert into public.master_stage_templates (workspace_id, config_version_id, workflow_template_id, stage_order, code, name) select workspace_id, config_version_id, gen_random_uuid(), 9, 'SX', 'x' from public.master_workflow_templates where config_version_id::text = %L$$, pg_temp.gn_get('d')),
  '23503', 'insert or update on table "master_stage_templates" violates foreign key constraint "master_stage_templates_workflow_template_fkey"',
  'c1: a stage template of a workflow template that does not exist is refused by master_stage_templates_workflow_template_fkey');
-- TEST: workflow_approvals
select matches(
  pg_temp.gn_try(format($$insert into public.workflow_approvals (workspace_id, workflow_instance_id, workflow_stage_id, approver_id, decision) select workspace_id, workflow_instance_id, id, %L, 'APPROVED' from public.workflow_stages where id::text = %L$$, 'gn-ghost', pg_temp.gn_get('b_s2'))),
  '^23503: insert or update on table "workflow_approvals" violates foreign key constraint "(workflow_approvals_approver_id_fkey|workflow_approvals_approver_member_fkey)"$',
  'c1: an approval by an unknown user is refused (by workflow_approvals_approver_id_fkey or the composite key that implies it)');
select throws_ok(
  format($$insert into public.workflow_approvals (workspace_id, workflow_instance_id, workflow_stage_id, approver_id, decision) select workspace_id, workflow_instance_id, id, %L, 'APPROVED' from public.workflow_stages where id::text = %L$$, pg_temp.gn_get('u9'), pg_temp.gn_get('b_s2')),
  '23503', 'insert or update on table "workflow_approvals" violates foreign key constraint "workflow_approvals_approver_member_fkey"',
  'c1: an approval by a user who is not a member of the workspace is refused by workflow_approvals_approver_member_fkey');
select throws_ok(
  format($$insert into public.workflow_approvals (workspace_id, workflow_instance_id, workflow_stage_id, approver_id, decision) select workspace_id, gen_random_uuid(), id, %L, 'APPROVED' from public.workflow_stages where id::text = %L$$, pg_temp.gn_get('b_u2'), pg_temp.gn_get('b_s2')),
  '23503', 'insert or update on table "workflow_approvals" violates foreign key constraint "workflow_approvals_instance_fkey"',
  'c1: an approval of an instance that does not exist is refused by workflow_approvals_instance_fkey');
select matches(
  pg_temp.gn_try(format($$insert into public.workflow_approvals (workspace_id, workflow_instance_id, workflow_stage_id, approver_id, decision) select gen_random_uuid(), workflow_instance_id, id, %L, 'APPROVED' from public.workflow_stages where id::text = %L$$, pg_temp.gn_get('b_u2'), pg_temp.gn_get('b_s2'))),
  '^23503: insert or update on table "workflow_approvals" violates foreign key constraint "(workflow_approvals_workspace_id_fkey|workflow_approvals_instance_fkey|workflow_approvals_stage_fkey)"$',
  'c1: an approval in a workspace that does not exist is refused (by workflow_approvals_workspace_id_fkey or the composite key that implies it)');
-- TEST: workflow_instances
select throws_ok(
  format($$insert into public.workflow_instances (workspace_id, config_version_id, workflow_template_id, site_id, started_by) select i.workspace_id, i.config_version_id, i.workflow_template_id, gen_random_uuid(), %L from public.workflow_instances i where i.id::text = %L$$, pg_temp.gn_get('b_u1'), pg_temp.gn_get('b_i')),
  '23503', 'insert or update on table "workflow_instances" violates foreign key constraint "workflow_instances_site_fkey"',
  'c1: an instance at a site that does not exist is refused by workflow_instances_site_fkey');
select throws_ok(
  format($$insert into public.workflow_instances (workspace_id, config_version_id, workflow_template_id, site_id, started_by) select i.workspace_id, i.config_version_id, gen_random_uuid(), i.site_id, %L from public.workflow_instances i where i.id::text = %L$$, pg_temp.gn_get('b_u1'), pg_temp.gn_get('b_i')),
  '23503', 'insert or update on table "workflow_instances" violates foreign key constraint "workflow_instances_workflow_template_fkey"',
  'c1: an instance of a workflow template that does not exist is refused by workflow_instances_workflow_template_fkey');
select matches(
  pg_temp.gn_try(format($$insert into public.workflow_instances (workspace_id, config_version_id, workflow_template_id, site_id, started_by) select i.workspace_id, i.config_version_id, i.workflow_template_id, i.site_id, %L from public.workflow_instances i where i.id::text = %L$$, 'gn-ghost', pg_temp.gn_get('b_i'))),
  '^23503: insert or update on table "workflow_instances" violates foreign key constraint "(workflow_instances_started_by_fkey|workflow_instances_started_by_member_fkey)"$',
  'c1: an instance started by an unknown user is refused (by workflow_instances_started_by_fkey or the composite key that implies it)');
select throws_ok(
  format($$insert into public.workflow_instances (workspace_id, config_version_id, workflow_template_id, site_id, started_by) select i.workspace_id, i.config_version_id, i.workflow_template_id, i.site_id, %L from public.workflow_instances i where i.id::text = %L$$, pg_temp.gn_get('u9'), pg_temp.gn_get('b_i')),
  '23503', 'insert or update on table "workflow_instances" violates foreign key constraint "workflow_instances_started_by_member_fkey"',
  'c1: an instance started by a user who is not a member is refused by workflow_instances_started_by_member_fkey');
-- TEST: workflow_stages
select throws_ok(
  format($$insert into public.workflow_stages (workspace_id, workflow_instance_id, stage_template_id, stage_order, name) select s.workspace_id, s.workflow_instance_id, gen_random_uuid(), 8, 'x' from public.workflow_stages s where s.id::text = %L$$, pg_temp.gn_get('b_s2')),
  '23503', 'insert or update on table "workflow_stages" violates foreign key constraint "workflow_stages_stage_template_fkey"',
  'c1: a stage of a stage template that does not exist is refused by workflow_stages_stage_template_fkey');
select matches(
  pg_temp.gn_try(format($$insert into public.workflow_stages (workspace_id, workflow_instance_id, stage_template_id, stage_order, name) select gen_random_uuid(), s.workflow_instance_id, s.stage_template_id, 8, 'x' from public.workflow_stages s where s.id::text = %L$$, pg_temp.gn_get('b_s2'))),
  '^23503: insert or update on table "workflow_stages" violates foreign key constraint "(workflow_stages_workspace_id_fkey|workflow_stages_instance_fkey)"$',
  'c1: a stage in a workspace that does not exist is refused (by workflow_stages_workspace_id_fkey or the composite key that implies it)');
-- TEST: workflow_stage_documents
select throws_ok(
  format($$insert into public.workflow_stage_documents (workspace_id, config_version_id, workflow_stage_id, document_type_id, file_name, storage_key, uploaded_by) select d.workspace_id, d.config_version_id, (select id from public.workflow_stages where id::text = %L), gen_random_uuid(), 'f.pdf', gen_random_uuid()::text, %L from public.master_document_types d where d.config_version_id::text = %L and d.code = 'DOC-2'$$, pg_temp.gn_get('b_s2'), pg_temp.gn_get('b_u1'), pg_temp.gn_get('b_cv')),
  '23503', 'insert or update on table "workflow_stage_documents" violates foreign key constraint "workflow_stage_documents_document_type_fkey"',
  'c1: a document of a type that does not exist is refused by workflow_stage_documents_document_type_fkey');
select throws_ok(
  format($$insert into public.workflow_stage_documents (workspace_id, config_version_id, workflow_stage_id, document_type_id, file_name, storage_key, uploaded_by) select d.workspace_id, d.config_version_id, gen_random_uuid(), d.id, 'f.pdf', gen_random_uuid()::text, %L from public.master_document_types d where d.config_version_id::text = %L and d.code = 'DOC-2'$$, pg_temp.gn_get('b_u1'), pg_temp.gn_get('b_cv')),
  '23503', 'insert or update on table "workflow_stage_documents" violates foreign key constraint "workflow_stage_documents_stage_fkey"',
  'c1: a document of a stage that does not exist is refused by workflow_stage_documents_stage_fkey');
select matches(
  pg_temp.gn_try(format($$insert into public.workflow_stage_documents (workspace_id, config_version_id, workflow_stage_id, document_type_id, file_name, storage_key, uploaded_by) select d.workspace_id, d.config_version_id, (select id from public.workflow_stages where id::text = %L), d.id, 'f.pdf', gen_random_uuid()::text, %L from public.master_document_types d where d.config_version_id::text = %L and d.code = 'DOC-2'$$, pg_temp.gn_get('b_s2'), 'gn-ghost', pg_temp.gn_get('b_cv'))),
  '^23503: insert or update on table "workflow_stage_documents" violates foreign key constraint "(workflow_stage_documents_uploaded_by_fkey|workflow_stage_documents_uploaded_by_member_fkey)"$',
  'c1: a document uploaded by an unknown user is refused (by workflow_stage_documents_uploaded_by_fkey or the composite key that implies it)');
select throws_ok(
  format($$insert into public.workflow_stage_documents (workspace_id, config_version_id, workflow_stage_id, document_type_id, file_name, storage_key, uploaded_by) select d.workspace_id, d.config_version_id, (select id from public.workflow_stages where id::text = %L), d.id, 'f.pdf', gen_random_uuid()::text, %L from public.master_document_types d where d.config_version_id::text = %L and d.code = 'DOC-2'$$, pg_temp.gn_get('b_s2'), pg_temp.gn_get('u9'), pg_temp.gn_get('b_cv')),
  '23503', 'insert or update on table "workflow_stage_documents" violates foreign key constraint "workflow_stage_documents_uploaded_by_member_fkey"',
  'c1: a document uploaded by a user who is not a member is refused by workflow_stage_documents_uploaded_by_member_fkey');
select matches(
  pg_temp.gn_try(format($$insert into public.workflow_stage_documents (workspace_id, config_version_id, workflow_stage_id, document_type_id, file_name, storage_key, uploaded_by) select gen_random_uuid(), d.config_version_id, (select id from public.workflow_stages where id::text = %L), d.id, 'f.pdf', gen_random_uuid()::text, %L from public.master_document_types d where d.config_version_id::text = %L and d.code = 'DOC-2'$$, pg_temp.gn_get('b_s2'), pg_temp.gn_get('b_u1'), pg_temp.gn_get('b_cv'))),
  '^23503: insert or update on table "workflow_stage_documents" violates foreign key constraint "(workflow_stage_documents_workspace_id_fkey|workflow_stage_documents_stage_fkey|workflow_stage_documents_config_version_fkey|workflow_stage_documents_document_type_fkey)"$',
  'c1: a document in a workspace that does not exist is refused (by workflow_stage_documents_workspace_id_fkey or the composite key that implies it)');

select * from finish();
rollback;
