-- C5: the application role apms_app (no superuser, no BYPASSRLS, not the owner) sees only the rows
-- of app.workspace_id in every workspace-scoped table, and nothing when the setting is missing.
begin;
\ir ../_support/helpers.psql
select plan(18);

-- SETUP: two busy workspaces (a row in every table for each), as the owner
do $$
begin
  perform pg_temp.gn_make_busy_workspace('a');
  perform pg_temp.gn_make_busy_workspace('b');
end $$;

-- TEST: apms_app is subject to RLS
select ok(exists (select from pg_roles where rolname = 'apms_app' and not rolsuper and not rolbypassrls),
  'c5: apms_app exists, is not a superuser and has no BYPASSRLS');
select is_empty(
  $$ select t from unnest(pg_temp.gn_rls_tables()) t join pg_class c on c.oid = to_regclass('public.' || t)
     where not c.relrowsecurity or pg_has_role('apms_app', c.relowner, 'MEMBER') $$,
  'c5: every workspace-scoped table has RLS enabled and is not owned by apms_app');

-- TEST: as apms_app in workspace A, each table shows A's rows and only those
do $$ begin perform set_config('app.workspace_id', pg_temp.gn_get('a_ws'), true); end $$;
set local role apms_app;
select is(pg_temp.gn_visible_workspaces(t), array[pg_temp.gn_get('a_ws')],
  format('c5: apms_app in workspace A sees A''s rows of %s and no other workspace''s', t))
from unnest(pg_temp.gn_rls_tables()) t;

-- TEST: without app.workspace_id nothing is visible
do $$ begin perform set_config('app.workspace_id', '', true); end $$;
select is(
  (select count(*)::int from public.workflow_instances) + (select count(*)::int from public.config_versions),
  0, 'c5: apms_app without app.workspace_id sees no instances and no config versions');
select * from finish();
reset role;
rollback;
