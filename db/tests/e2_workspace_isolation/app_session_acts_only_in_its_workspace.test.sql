-- E2 end to end, as the application: a session of apms_app for workspace A starts and decides
-- workflows in A, cannot see, start or decide anything in B, and reads only A's audit trail
-- (that the trail is complete is I3's).
begin;
\ir ../_support/helpers.psql
select plan(7);

-- SETUP: two busy workspaces, as the owner
do $$
begin
  perform pg_temp.gn_make_busy_workspace('a');
  perform pg_temp.gn_make_busy_workspace('b');
end $$;

-- TEST: the application session for A
do $$ begin perform pg_temp.gn_act_as(pg_temp.gn_get('a_ws')::uuid, pg_temp.gn_get('a_u2')); end $$;
set local role apms_app;

select lives_ok(
  format('select public.start_workflow_instance(%L, %L, %L, %L)', pg_temp.gn_get('a_ws'), 'ATP', 'SITE-001', pg_temp.gn_get('a_u2')),
  'e2: apms_app starts a workflow in its own workspace');
select lives_ok(
  format('select public.decide_stage(%L, %L, %L)', pg_temp.gn_get('a_s2'), pg_temp.gn_get('a_u2'), 'APPROVED'),
  'e2: apms_app decides a stage of its own workspace');
select throws_ok(
  format('select public.start_workflow_instance(%L, %L, %L, %L)', pg_temp.gn_get('b_ws'), 'ATP', 'SITE-001', pg_temp.gn_get('a_u2')),
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
  (select count(*)::int from public.workflow_instances where workspace_id = pg_temp.gn_get('a_ws')::uuid), 2,
  'e2: apms_app for A sees both of A''s workflow instances');

select * from finish();
reset role;
rollback;
