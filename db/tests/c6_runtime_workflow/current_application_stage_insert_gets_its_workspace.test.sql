-- C6: the application release that predates this migration keeps running it: its plain
-- `insert into workflow_stages (workflow_instance_id, name, ...)` names no workspace_id, and the
-- transition trigger (trg_010_fill_workspace_id) gives the row its instance's workspace. That
-- release connects as its own role; the new application role apms_app writes no stage directly
-- (stages change only through start_workflow_instance and decide_stage).
begin;
\ir ../_support/helpers.psql
select plan(3);

-- SETUP: a running instance in workspace a, and a second workspace b
do $$
begin
  perform pg_temp.gn_make_active_workspace('a', 2);
  perform pg_temp.gn_start_instance('a');
  perform pg_temp.gn_make_active_workspace('b', 2);
end $$;

-- TEST: the owner's plain insert (as a data load or the old release would write it)
select lives_ok(format(
  $$insert into public.workflow_stages (workflow_instance_id, name, stage_order) values (%L, 'Added by the old release', 90)$$,
  pg_temp.gn_get('a_i')), 'c6: a stage inserted without workspace_id is accepted');
select is((select workspace_id::text from public.workflow_stages where workflow_instance_id = pg_temp.gn_get('a_i')::uuid and stage_order = 90),
  pg_temp.gn_get('a_ws'), 'c6: it gets its instance''s workspace_id');

-- TEST: the application role writes no stage itself, not even in its own workspace
do $$ begin perform pg_temp.gn_act_as(pg_temp.gn_get('a_ws')::uuid, pg_temp.gn_get('a_u1')); end $$;
set local role apms_app;
select throws_ok(format(
  $$insert into public.workflow_stages (workflow_instance_id, name, stage_order) values (%L, 'Added by the app', 91)$$,
  pg_temp.gn_get('a_i')), '42501', 'permission denied for table workflow_stages',
  'c6: apms_app cannot insert a stage, even one its transition trigger would place in its workspace');
reset role;

select * from finish();
rollback;
