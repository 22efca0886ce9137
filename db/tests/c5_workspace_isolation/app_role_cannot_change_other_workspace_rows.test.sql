-- C5: the application role in workspace A cannot change workspace B: an update or delete aimed at
-- B's rows finds none (RLS filters them out), an insert into B is refused (42501), and B's rows are
-- untouched afterwards.
begin;
\ir ../_support/helpers.psql
select plan(7);

-- SETUP: two busy workspaces, as the owner
do $$
begin
  perform pg_temp.gn_make_busy_workspace('a');
  perform pg_temp.gn_make_busy_workspace('b');
  perform pg_temp.gn_set('b_site', (select site_name from public.master_sites where workspace_id = pg_temp.gn_get('b_ws')::uuid));
end $$;

-- TEST: as apms_app in workspace A
do $$ begin perform set_config('app.workspace_id', pg_temp.gn_get('a_ws'), true); end $$;
set local role apms_app;
select is(
  pg_temp.gn_try_rows(format($$update public.master_sites set site_name = 'hacked' where workspace_id = %L$$, pg_temp.gn_get('b_ws'))),
  '0', 'c5: apms_app in workspace A updates none of B''s master rows');
select is(
  pg_temp.gn_try_rows(format('delete from public.workflow_instances where id = %L', pg_temp.gn_get('b_i'))),
  '0', 'c5: apms_app in workspace A deletes none of B''s workflow instances');
select is(
  pg_temp.gn_try_rows(format('delete from public.workflow_stage_documents where workspace_id = %L', pg_temp.gn_get('b_ws'))),
  '0', 'c5: apms_app in workspace A deletes none of B''s stage documents');
select throws_ok(
  format('insert into public.config_versions (workspace_id, source_file_name) values (%L, %L)', pg_temp.gn_get('b_ws'), 'forged.xlsx'),
  '42501', 'new row violates row-level security policy for table "config_versions"',
  'c5: apms_app in workspace A cannot insert a config version into workspace B');
reset role;

-- TEST: as the owner, B is as it was
select is((select site_name from public.master_sites where workspace_id = pg_temp.gn_get('b_ws')::uuid), pg_temp.gn_get('b_site'),
  'c5: B''s site keeps its name');
select is((select count(*)::int from public.workflow_instances where id = pg_temp.gn_get('b_i')::uuid), 1,
  'c5: B''s workflow instance is still there');
select is((select count(*)::int from public.workflow_stage_documents where workspace_id = pg_temp.gn_get('b_ws')::uuid), 1,
  'c5: B''s stage document is still there');

select * from finish();
rollback;
