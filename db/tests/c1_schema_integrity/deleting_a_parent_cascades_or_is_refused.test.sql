-- C1: every ON DELETE action the schema promises, by deleting the parent and looking at the
-- children: CASCADE removes them, RESTRICT / NO ACTION refuses the delete and leaves them, SET NULL
-- clears the reference. (Deleting a DRAFT version and a workspace is in cascade_delete_removes_draft_config_rows.)
begin;
\ir ../_support/helpers.psql
select plan(33);

-- SETUP: workspace b with an ACTIVE config, a running instance whose stage 1 was approved by u2 and
-- holds a document uploaded by u4; u6 started a second instance and did nothing else; DRAFT
-- versions d, d2, d3; u5 a member who did nothing; u3 created DRAFT d and activated version a of
-- workspace n.
do $$
declare
  v_ws uuid;
  v_s1 uuid;
  v_u3 text := pg_temp.gn_make_user();
  v_u4 text := pg_temp.gn_make_user();
  v_u5 text := pg_temp.gn_make_user();
  v_u6 text := pg_temp.gn_make_user();
  v_n uuid := pg_temp.gn_make_workspace();
  v_a text;
begin
  perform pg_temp.gn_make_busy_workspace('b');
  v_ws := pg_temp.gn_get('b_ws')::uuid;
  select id into v_s1 from public.workflow_stages where workflow_instance_id = pg_temp.gn_get('b_i')::uuid and stage_order = 1;
  perform pg_temp.gn_make_member(v_ws, v_u4);
  perform pg_temp.gn_make_member(v_ws, v_u5);
  perform pg_temp.gn_make_member(v_ws, v_u6);
  perform public.start_workflow_instance(v_ws, 'ATP', 'SITE-001', v_u6);
  perform pg_temp.gn_set('u6', v_u6);
  -- the busy workspace's document was uploaded by u1; give stage 1 a second one, by u4
  insert into public.workflow_stage_documents (workspace_id, config_version_id, workflow_stage_id, document_type_id,
    file_name, storage_key, uploaded_by)
  select v_ws, d.config_version_id, v_s1, d.id, 'photos.zip', gen_random_uuid()::text, v_u4
  from public.master_document_types d where d.workspace_id = v_ws and d.config_version_id::text = pg_temp.gn_get('b_cv') and d.code = 'DOC-1';
  perform pg_temp.gn_set('s1', v_s1::text);
  perform pg_temp.gn_set('u3', v_u3);
  perform pg_temp.gn_set('u4', v_u4);
  perform pg_temp.gn_set('u5', v_u5);
  perform pg_temp.gn_set('d', pg_temp.gn_make_config(v_ws, 'd.xlsx'));
  perform pg_temp.gn_load_config(v_ws, pg_temp.gn_get('d'), 2);
  perform pg_temp.gn_set('d2', pg_temp.gn_make_config(v_ws, 'd2.xlsx'));
  perform pg_temp.gn_load_config(v_ws, pg_temp.gn_get('d2'), 1);
  update public.config_versions set created_by = v_u3 where id::text = pg_temp.gn_get('d');
  -- workspace n: version a activated by u3
  v_a := pg_temp.gn_make_config(v_n, 'a.xlsx');
  perform pg_temp.gn_load_config(v_n, v_a, 1);
  perform set_config('app.user_id', v_u3, true);
  perform pg_temp.gn_activate(v_a);
  perform set_config('app.user_id', '', true);
  perform pg_temp.gn_set('a', v_a);
  -- a workflow stage that uses d2's stage template (stage templates are referenced by (workspace, id))
  insert into public.workflow_stages (workspace_id, workflow_instance_id, stage_template_id, stage_order, name)
  select v_ws, pg_temp.gn_get('b_i')::uuid, st.id, 9, 'extra stage'
  from public.master_stage_templates st where st.config_version_id::text = pg_temp.gn_get('d2');
  perform pg_temp.gn_set('d2_st', (select id::text from public.master_stage_templates where config_version_id::text = pg_temp.gn_get('d2')));
  -- a document filed under DRAFT d3's document type (documents reference (workspace, version, type))
  perform pg_temp.gn_set('d3', pg_temp.gn_make_config(v_ws, 'd3.xlsx'));
  perform pg_temp.gn_load_config(v_ws, pg_temp.gn_get('d3'), 1);
  insert into public.workflow_stage_documents (workspace_id, config_version_id, workflow_stage_id, document_type_id,
    file_name, storage_key, uploaded_by)
  select v_ws, d.config_version_id, pg_temp.gn_get('b_s2')::uuid, d.id, 'draft.pdf', gen_random_uuid()::text, pg_temp.gn_get('b_u1')
  from public.master_document_types d where d.config_version_id::text = pg_temp.gn_get('d3');
end $$;

-- TEST: users: SET NULL on the versions they created or activated, CASCADE on memberships,
-- NO ACTION while they started, approved or uploaded something
select is((select activated_by from public.config_versions where id::text = pg_temp.gn_get('a')), pg_temp.gn_get('u3'),
  'c1: the fixture: u3 activated version a');
select lives_ok(format('delete from public.users where id = %L', pg_temp.gn_get('u3')),
  'c1: a user who only created and activated versions can be deleted');
select is((select created_by from public.config_versions where id::text = pg_temp.gn_get('d')), null,
  'c1: deleting a user sets created_by of the versions they created to null (config_versions_created_by_fkey SET NULL)');
select is((select activated_by from public.config_versions where id::text = pg_temp.gn_get('a')), null,
  'c1: deleting a user sets activated_by of the versions they activated to null (config_versions_activated_by_fkey SET NULL)');
select lives_ok(format('delete from public.users where id = %L', pg_temp.gn_get('u5')),
  'c1: a user who is only a member can be deleted');
select is((select count(*)::int from public.workspace_members where user_id = pg_temp.gn_get('u5')), 0,
  'c1: deleting a user removes their memberships (workspace_members_user_id_fkey CASCADE)');
select throws_ok(format('delete from public.users where id = %L', pg_temp.gn_get('u6')), '23503', null,
  'c1: a user who started a workflow cannot be deleted (workflow_instances started_by NO ACTION)');
select throws_ok(format('delete from public.users where id = %L', pg_temp.gn_get('b_u2')), '23503', null,
  'c1: a user who decided an approval cannot be deleted (workflow_approvals approver NO ACTION)');
select throws_ok(format('delete from public.users where id = %L', pg_temp.gn_get('u4')), '23503', null,
  'c1: a user who uploaded a document cannot be deleted (workflow_stage_documents uploaded_by NO ACTION)');

-- TEST: memberships: NO ACTION while the member started, approved or uploaded something
select throws_ok(format('delete from public.workspace_members where user_id = %L', pg_temp.gn_get('u6')), '23503', null,
  'c1: the membership of a user who started a workflow cannot be removed');
select throws_ok(format('delete from public.workspace_members where user_id = %L', pg_temp.gn_get('b_u2')), '23503', null,
  'c1: the membership of a user who decided an approval cannot be removed');
select throws_ok(format('delete from public.workspace_members where user_id = %L', pg_temp.gn_get('u4')), '23503', null,
  'c1: the membership of a user who uploaded a document cannot be removed');
select is(
  (select count(*)::int from public.workspace_members where user_id in (pg_temp.gn_get('u6'), pg_temp.gn_get('b_u2'), pg_temp.gn_get('u4'))),
  3, 'c1: the refused deletes left the three memberships in place');

-- TEST: master rows of a DRAFT: stage template -> rules, checklist, document types; workflow
-- template -> stage templates; region -> sites (all CASCADE)
select lives_ok(
  format('delete from public.master_stage_templates where config_version_id::text = %L and stage_order = 1', pg_temp.gn_get('d')),
  'c1: a DRAFT stage template can be deleted');
select is((select count(*)::int from public.master_approval_rules r where r.config_version_id::text = pg_temp.gn_get('d')
  and not exists (select from public.master_stage_templates st where st.id = r.stage_template_id)), 0,
  'c1: deleting a stage template removes its approval rules (master_approval_rules_stage_template_fkey CASCADE)');
select is((select count(*)::int from public.master_checklist_items c where c.config_version_id::text = pg_temp.gn_get('d')
  and not exists (select from public.master_stage_templates st where st.id = c.stage_template_id)), 0,
  'c1: deleting a stage template removes its checklist items (master_checklist_items_stage_template_fkey CASCADE)');
select is((select count(*)::int from public.master_document_types t where t.config_version_id::text = pg_temp.gn_get('d')
  and t.stage_template_id is not null and not exists (select from public.master_stage_templates st where st.id = t.stage_template_id)), 0,
  'c1: deleting a stage template removes its document types (master_document_types_stage_template_fkey CASCADE)');
select is((select count(*)::int from public.master_approval_rules where config_version_id::text = pg_temp.gn_get('d')), 1,
  'c1: the other stage template keeps its approval rule');
select lives_ok(format('delete from public.master_workflow_templates where config_version_id::text = %L', pg_temp.gn_get('d')),
  'c1: a DRAFT workflow template can be deleted');
select is((select count(*)::int from public.master_stage_templates where config_version_id::text = pg_temp.gn_get('d')), 0,
  'c1: deleting a workflow template removes its stage templates (master_stage_templates_workflow_template_fkey CASCADE)');
select lives_ok(format('delete from public.master_regions where config_version_id::text = %L', pg_temp.gn_get('d')),
  'c1: a DRAFT region can be deleted');
select is((select count(*)::int from public.master_sites where config_version_id::text = pg_temp.gn_get('d')), 0,
  'c1: deleting a region removes its sites (master_sites_region_fkey CASCADE)');

-- TEST: a stage template a workflow stage uses cannot be deleted, even in a DRAFT (RESTRICT)
select throws_ok(format('delete from public.master_stage_templates where id = %L', pg_temp.gn_get('d2_st')), '23503',
  'update or delete on table "master_stage_templates" violates foreign key constraint "workflow_stages_stage_template_fkey" on table "workflow_stages"',
  'c1: a stage template a workflow stage uses cannot be deleted (workflow_stages_stage_template_fkey RESTRICT)');
select is((select count(*)::int from public.workflow_stages
            where workspace_id = pg_temp.gn_get('b_ws')::uuid and stage_template_id = pg_temp.gn_get('d2_st')::uuid), 1,
  'c1: the refused delete left the workflow stage in place');

-- TEST: a document type, and the version it belongs to, cannot be deleted while a document uses it (RESTRICT)
select throws_ok(format('delete from public.master_document_types where config_version_id::text = %L', pg_temp.gn_get('d3')), '23503',
  'update or delete on table "master_document_types" violates foreign key constraint "workflow_stage_documents_document_type_fkey" on table "workflow_stage_documents"',
  'c1: a document type a document uses cannot be deleted (workflow_stage_documents_document_type_fkey RESTRICT)');
select throws_ok(format('delete from public.config_versions where id::text = %L', pg_temp.gn_get('d3')), '23503', null,
  'c1: a DRAFT version a document is filed under cannot be deleted (workflow_stage_documents config version and type RESTRICT)');
select is((select count(*)::int from public.workflow_stage_documents where config_version_id::text = pg_temp.gn_get('d3')), 1,
  'c1: the refused deletes left the document in place');

-- TEST: runtime: stage -> approvals, documents; instance -> stages (all CASCADE)
select is((select count(*)::int from public.workflow_stage_documents where workflow_stage_id::text = pg_temp.gn_get('s1')), 2,
  'c1: the fixture: stage 1 holds two documents');
select lives_ok(format('delete from public.workflow_stages where id = %L', pg_temp.gn_get('s1')), 'c1: a workflow stage can be deleted');
select is((select count(*)::int from public.workflow_approvals where workflow_stage_id::text = pg_temp.gn_get('s1')), 0,
  'c1: deleting a stage removes its approvals (workflow_approvals_stage_fkey CASCADE)');
select is((select count(*)::int from public.workflow_stage_documents where workflow_stage_id::text = pg_temp.gn_get('s1')), 0,
  'c1: deleting a stage removes its documents (workflow_stage_documents_stage_fkey CASCADE)');
select lives_ok(format('delete from public.workflow_instances where id = %L', pg_temp.gn_get('b_i')), 'c1: a workflow instance can be deleted');
select is((select count(*)::int from public.workflow_stages where workflow_instance_id = pg_temp.gn_get('b_i')::uuid), 0,
  'c1: deleting an instance removes its stages (workflow_stages_instance_fkey CASCADE)');

select * from finish();
rollback;
