-- C6: the application release that predates this migration keeps running it: its plain
-- `insert into workflow_stages (workflow_instance_id, name, ...)` names no workspace_id, and the
-- transition trigger (trg_010_fill_workspace_id) gives the row its instance's workspace, also when
-- the insert comes from the application role; an instance of another workspace stays invisible.
begin;
\ir ../_support/helpers.psql
select plan(5);

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

-- TEST: the application role, in its own workspace
do $$ begin perform set_config('app.workspace_id', pg_temp.gn_get('a_ws'), true); end $$;
set local role apms_app;
select lives_ok(format(
  $$insert into public.workflow_stages (workflow_instance_id, name, stage_order) values (%L, 'Added by the app', 91)$$,
  pg_temp.gn_get('a_i')), 'c6: apms_app inserts a stage without workspace_id in its workspace');
select is((select workspace_id::text from public.workflow_stages where workflow_instance_id = pg_temp.gn_get('a_i')::uuid and stage_order = 91),
  pg_temp.gn_get('a_ws'), 'c6: apms_app''s stage gets its instance''s workspace_id');

-- TEST: an instance apms_app cannot see gives it no workspace: the row is refused (the workspace
-- policy's WITH CHECK sees a null workspace_id before NOT NULL does)
do $$ begin perform set_config('app.workspace_id', pg_temp.gn_get('b_ws'), true); end $$;
select throws_ok(format(
  $$insert into public.workflow_stages (workflow_instance_id, name, stage_order) values (%L, 'Into another workspace', 92)$$,
  pg_temp.gn_get('a_i')), '42501', null, 'c6: a stage for another workspace''s instance gets no workspace_id and is refused');
reset role;

select * from finish();
rollback;
