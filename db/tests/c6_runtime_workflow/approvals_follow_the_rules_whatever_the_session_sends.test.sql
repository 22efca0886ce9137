-- C6: who may approve, how many, in whose name and what a decision changes are the database's
-- rules, whatever statements a session of the application sends. It writes no approval, stage or
-- instance itself (42501): only decide_stage and start_workflow_instance change them. It decides
-- only as the user of its request context (ZB006), only with a role the stage's rules name (ZB004:
-- a VIEWER, or anyone on a stage whose rules name nobody), starts workflows only in its user's name
-- (ZB006) and uploads documents only in its user's name (ZB006), and cannot make its user an
-- approver (set_member is an ADMIN's: ZB007).
begin;
\ir ../_support/helpers.psql
select plan(13);

-- SETUP: workspace A whose 2-stage config names no approver for stage 2; u3 a VIEWER; a running
-- instance with stage 1 approved, so stage 2 is open
do $$
declare
  v_ws uuid := pg_temp.gn_make_workspace();
  v_u1 text := pg_temp.gn_make_user();
  v_u2 text := pg_temp.gn_make_user();
  v_u3 text := pg_temp.gn_make_user();
  v_cv text := pg_temp.gn_make_config(v_ws);
begin
  perform pg_temp.gn_make_member(v_ws, v_u1);
  perform pg_temp.gn_make_member(v_ws, v_u2);
  perform pg_temp.gn_make_member(v_ws, v_u3, 'VIEWER');
  perform pg_temp.gn_load_config(v_ws, v_cv, 2);
  delete from public.master_approval_rules r
  using public.master_stage_templates st
  where st.id = r.stage_template_id and st.config_version_id::text = v_cv and st.stage_order = 2;
  perform pg_temp.gn_activate(v_cv);
  perform pg_temp.gn_set('a_ws', v_ws::text);
  perform pg_temp.gn_set('a_u1', v_u1);
  perform pg_temp.gn_set('a_u2', v_u2);
  perform pg_temp.gn_set('a_u3', v_u3);
  perform pg_temp.gn_start_instance('a');
  perform public.decide_stage(pg_temp.gn_get('a_s1')::uuid, v_u2, 'APPROVED');
end $$;
-- a second instance, its stage 1 open: keys b_i, b_s1 (gn_start_instance reads <p>_ws and <p>_u1)
do $$
begin
  perform pg_temp.gn_set('b_ws', pg_temp.gn_get('a_ws'));
  perform pg_temp.gn_set('b_u1', pg_temp.gn_get('a_u1'));
  perform pg_temp.gn_start_instance('b');
end $$;

-- TEST: the workflow tables are written only by the functions
do $$ begin perform pg_temp.gn_act_as(pg_temp.gn_get('a_ws')::uuid, pg_temp.gn_get('a_u1')); end $$;
set local role apms_app;
select throws_ok(
  format($$insert into public.workflow_approvals (workspace_id, workflow_instance_id, workflow_stage_id, approver_id, decision)
    values (%L, %L, %L, %L, 'APPROVED')$$, pg_temp.gn_get('a_ws'), pg_temp.gn_get('a_i'), pg_temp.gn_get('a_s2'), pg_temp.gn_get('a_u2')),
  '42501', 'permission denied for table workflow_approvals', 'c6: apms_app cannot write an approval (in anyone''s name) itself');
select throws_ok(
  format('update public.workflow_stages set %I = %L where id = %L', pg_temp.gn_stage_status_column(), 'APPROVED', pg_temp.gn_get('a_s2')),
  '42501', 'permission denied for table workflow_stages', 'c6: apms_app cannot mark a stage APPROVED without a decision');
select throws_ok(
  format('update public.workflow_instances set %I = %L where id = %L', pg_temp.gn_instance_status_column(), 'COMPLETED', pg_temp.gn_get('a_i')),
  '42501', 'permission denied for table workflow_instances', 'c6: apms_app cannot mark an instance COMPLETED without decisions');

-- TEST: decisions: the session's user only, with a role the rules name
select throws_ok(format('select public.decide_stage(%L, %L, %L)', pg_temp.gn_get('b_s1'), pg_temp.gn_get('a_u2'), 'APPROVED'),
  'ZB006', null, 'c6: the session of u1 cannot approve as u2');
select throws_ok(format('select public.decide_stage(%L, %L, %L)', pg_temp.gn_get('a_s2'), pg_temp.gn_get('a_u1'), 'APPROVED'),
  'ZB004', format('approver %s may not decide stage %s: role OPERATOR_APPROVER is not an approver role of this stage',
    pg_temp.gn_get('a_u1'), pg_temp.gn_get('a_s2')),
  'c6: a stage whose rules name no role cannot be approved by anyone');
select throws_ok(
  format('select public.start_workflow_instance(%L, %L, %L, %L)', pg_temp.gn_get('a_ws'), 'ATP', 'SITE-001', pg_temp.gn_get('a_u2')),
  'ZB006', null, 'c6: the session of u1 cannot start a workflow in u2''s name');
select throws_ok(
  format($$insert into public.workflow_stage_documents (workspace_id, config_version_id, workflow_stage_id,
      document_type_id, file_name, storage_key, uploaded_by)
    select d.workspace_id, d.config_version_id, %L, d.id, 'atp.pdf', gen_random_uuid()::text, %L
    from public.master_document_types d where d.workspace_id = %L and d.code = 'DOC-2'$$,
    pg_temp.gn_get('a_s2'), pg_temp.gn_get('a_u2'), pg_temp.gn_get('a_ws')),
  'ZB006', format('uploaded_by %s is not the session''s user %s: a document names the user who uploads it',
    pg_temp.gn_get('a_u2'), pg_temp.gn_get('a_u1')),
  'c6: the session of u1 cannot upload a document in u2''s name');
select throws_ok(format('select public.set_member(%L, %L)', pg_temp.gn_get('a_u3'), 'OPERATOR_APPROVER'),
  'ZB007', format('user %s may not change the members: not an ACTIVE ADMIN member of workspace %s', pg_temp.gn_get('a_u1'), pg_temp.gn_get('a_ws')),
  'c6: a member who is no ADMIN cannot make anyone an approver');
reset role;
do $$ begin perform pg_temp.gn_act_as(pg_temp.gn_get('a_ws')::uuid, pg_temp.gn_get('a_u3')); end $$;
set local role apms_app;
select throws_ok(format('select public.decide_stage(%L, %L, %L)', pg_temp.gn_get('b_s1'), pg_temp.gn_get('a_u3'), 'APPROVED'),
  'ZB004', format('approver %s may not decide stage %s: role VIEWER is not an approver role of this stage',
    pg_temp.gn_get('a_u3'), pg_temp.gn_get('b_s1')),
  'c6: a VIEWER cannot approve');
select throws_ok(format('select public.set_member(%L, %L)', pg_temp.gn_get('a_u3'), 'OPERATOR_APPROVER'),
  'ZB007', null, 'c6: a VIEWER cannot make itself an approver');
reset role;

-- TEST: as the owner, nothing was decided
select is((select count(*)::int from public.workflow_approvals where workflow_stage_id in (pg_temp.gn_get('a_s2')::uuid, pg_temp.gn_get('b_s1')::uuid)),
  0, 'c6: no approval was recorded');
select is(array[pg_temp.gn_stage_status(pg_temp.gn_get('a_s2')::uuid), pg_temp.gn_stage_status(pg_temp.gn_get('b_s1')::uuid)],
  array['IN_PROGRESS', 'IN_PROGRESS'], 'c6: both open stages are still open');
select is((select role from public.workspace_members where workspace_id = pg_temp.gn_get('a_ws')::uuid and user_id = pg_temp.gn_get('a_u3')),
  'VIEWER', 'c6: the VIEWER is still a VIEWER');

select * from finish();
rollback;
