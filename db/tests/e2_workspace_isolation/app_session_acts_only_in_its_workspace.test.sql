-- E2 end to end, as the application: a session of apms_app for workspace A starts and decides
-- workflows in A, cannot see, start or decide anything in B, and its audit trail holds only A.
begin;
\ir ../_support/helpers.psql
select plan(8);

-- SETUP: two busy workspaces, as the owner
do $$
begin
  perform pg_temp.gn_make_busy_workspace('a');
  perform pg_temp.gn_make_busy_workspace('b');
end $$;

-- TEST: the application session for A
do $$ begin
  perform set_config('app.workspace_id', pg_temp.gn_get('a_ws'), true);
  perform set_config('app.user_id', pg_temp.gn_get('a_u2'), true);
end $$;
set local role apms_app;

select lives_ok(
  format('select public.start_workflow_instance(%L, %L, %L, %L)', pg_temp.gn_get('a_ws'), 'ATP', 'SITE-001', pg_temp.gn_get('a_u1')),
  'e2: apms_app starts a workflow in its own workspace');
select lives_ok(
  format('select public.decide_stage(%L, %L, %L)', pg_temp.gn_get('a_s2'), pg_temp.gn_get('a_u2'), 'APPROVED'),
  'e2: apms_app decides a stage of its own workspace');
select throws_ok(
  format('select public.start_workflow_instance(%L, %L, %L, %L)', pg_temp.gn_get('b_ws'), 'ATP', 'SITE-001', pg_temp.gn_get('b_u1')),
  'ZB002', format('cannot start a workflow in workspace %s: it has no ACTIVE config version', pg_temp.gn_get('b_ws')),
  'e2: apms_app for A cannot start a workflow in B (B''s config is invisible)');
select throws_ok(
  format('select public.decide_stage(%L, %L, %L)', pg_temp.gn_get('b_s2'), pg_temp.gn_get('b_u2'), 'APPROVED'),
  'ZB003', format('cannot decide stage %s: it does not exist in this workspace', pg_temp.gn_get('b_s2')),
  'e2: apms_app for A cannot decide a stage of B (B''s stage is invisible)');
select is(
  (select count(*)::int from public.workflow_instances where workspace_id = pg_temp.gn_get('b_ws')::uuid), 0,
  'e2: apms_app for A sees none of B''s workflow instances');
select is(pg_temp.gn_visible_workspaces('audit_logs'), array[pg_temp.gn_get('a_ws')],
  'e2: apms_app for A reads only A''s audit trail');
select is(
  (select count(*)::int from public.audit_logs l join public.workflow_approvals a on l.row_id = a.id::text
   where l.table_name = 'workflow_approvals' and a.workflow_stage_id = pg_temp.gn_get('a_s2')::uuid
     and l.actor = pg_temp.gn_get('a_u2')), 1,
  'e2: the decision made by the application session is audited under its app.user_id');
select is(
  (select count(*)::int from public.workflow_instances where workspace_id = pg_temp.gn_get('a_ws')::uuid), 2,
  'e2: apms_app for A sees both of A''s workflow instances');

select * from finish();
reset role;
rollback;
