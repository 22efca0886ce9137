-- I3: what a session of the application changes is audited under the user of its verified request
-- context: a config version it creates, loads and activates (the activation itself among them), and
-- the workflow it starts; the version names that user as its author and its activator.
begin;
\ir ../_support/helpers.psql
select plan(4);

-- SETUP: workspace A with an ACTIVE config, as the owner; then the application session of A's u1
do $$
begin
  perform pg_temp.gn_make_active_workspace('a', 2);
  perform pg_temp.gn_act_as(pg_temp.gn_get('a_ws')::uuid, pg_temp.gn_get('a_u1'));
end $$;
set local role apms_app;
do $$
begin
  perform pg_temp.gn_set('d', pg_temp.gn_make_config(pg_temp.gn_get('a_ws')::uuid, 'v2.xlsx'));
  perform pg_temp.gn_load_config(pg_temp.gn_get('a_ws')::uuid, pg_temp.gn_get('d'), 2);
  perform pg_temp.gn_activate(pg_temp.gn_get('d'));
  perform pg_temp.gn_set('i', public.start_workflow_instance(pg_temp.gn_get('a_ws')::uuid, 'ATP', 'SITE-001',
    pg_temp.gn_get('a_u1'))::text);
end $$;

-- TEST: each change names the session's user
select is(
  (select array_agg(distinct actor) from public.audit_logs
   where workspace_id = pg_temp.gn_get('a_ws')::uuid
     and ((table_name = 'config_versions' and row_id = pg_temp.gn_get('d'))
      or (table_name like 'master_%' and new_values ->> 'config_version_id' = pg_temp.gn_get('d'))
      or (table_name = 'workflow_instances' and row_id = pg_temp.gn_get('i')))),
  array[pg_temp.gn_get('a_u1')], 'i3: the version, its master rows and the instance are audited under the session''s user');
select is(
  (select count(*)::int from public.audit_logs
   where workspace_id = pg_temp.gn_get('a_ws')::uuid and table_name = 'config_versions' and row_id = pg_temp.gn_get('d') and action = 'UPDATE'
     and new_values ->> 'status' = 'ACTIVE' and actor = pg_temp.gn_get('a_u1')),
  1, 'i3: the activation by the application session is in the audit trail');
select is(
  (select count(*)::int from public.audit_logs
   where workspace_id = pg_temp.gn_get('a_ws')::uuid and table_name = 'workflow_stages'
     and new_values ->> 'workflow_instance_id' = pg_temp.gn_get('i')
     and actor = pg_temp.gn_get('a_u1')),
  2, 'i3: the stages of the instance it started are audited under the session''s user');
select is(
  (select array[created_by, activated_by] from public.config_versions where id::text = pg_temp.gn_get('d')),
  array[pg_temp.gn_get('a_u1'), pg_temp.gn_get('a_u1')], 'i3: the version names the session''s user as its author and its activator');

select * from finish();
reset role;
rollback;
