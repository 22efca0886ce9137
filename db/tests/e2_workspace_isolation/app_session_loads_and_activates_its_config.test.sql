-- E2 end to end, as the application: isolation does not get in the way inside the session's own
-- workspace. A session of apms_app for workspace A creates a config version, loads its master rows,
-- activates it (superseding A's current one) and starts a workflow on it (that each change is
-- audited under the session's user is I3's: application_session_changes_audited_under_its_user).
begin;
\ir ../_support/helpers.psql
select plan(5);

-- SETUP: workspace A with an ACTIVE config, as the owner; then the application session for A
do $$
begin
  perform pg_temp.gn_make_active_workspace('a', 2);
  perform pg_temp.gn_act_as(pg_temp.gn_get('a_ws')::uuid, pg_temp.gn_get('a_u1'));
end $$;
set local role apms_app;

-- TEST: the application loads and activates a new version of its own workspace's config
select lives_ok($$select pg_temp.gn_set('d', pg_temp.gn_make_config(pg_temp.gn_get('a_ws')::uuid, 'v2.xlsx'))$$,
  'e2: apms_app creates a DRAFT config version in its own workspace');
select lives_ok($$select pg_temp.gn_load_config(pg_temp.gn_get('a_ws')::uuid, pg_temp.gn_get('d'), 2)$$,
  'e2: apms_app loads the DRAFT''s master rows');
select lives_ok(pg_temp.gn_activate_sql(pg_temp.gn_get('d')), 'e2: apms_app activates the DRAFT');
select is(
  (select array[pg_temp.gn_config_status(pg_temp.gn_get('a_cv')), pg_temp.gn_config_status(pg_temp.gn_get('d'))]),
  array['SUPERSEDED', 'ACTIVE'], 'e2: the activation by apms_app superseded A''s previous version');
select lives_ok(
  format($$select pg_temp.gn_set('i', public.start_workflow_instance(%L, 'ATP', 'SITE-001', %L)::text)$$,
    pg_temp.gn_get('a_ws'), pg_temp.gn_get('a_u1')),
  'e2: apms_app starts a workflow on the version it activated');

select * from finish();
reset role;
rollback;
