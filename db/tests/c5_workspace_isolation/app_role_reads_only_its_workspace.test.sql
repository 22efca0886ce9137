-- C5: the application role apms_app (NOLOGIN, no superuser, no BYPASSRLS, owns nothing) reads only
-- the rows of its session's workspace in every table it may read, nothing without a request
-- context, and none of the tables shared by all workspaces (users, workspaces, workspace_members):
-- those it reads through public.current_workspace() and public.workspace_users().
begin;
\ir ../_support/helpers.psql
select plan(22);

-- SETUP: two busy workspaces (a row in every table for each), as the owner
do $$
begin
  perform pg_temp.gn_make_busy_workspace('a');
  perform pg_temp.gn_make_busy_workspace('b');
end $$;

-- TEST: apms_app is subject to RLS, and so is every role that can act as it
select ok(exists (select from pg_roles where rolname = 'apms_app' and not rolsuper and not rolbypassrls and not rolcanlogin),
  'c5: apms_app exists, cannot log in, is not a superuser and has no BYPASSRLS');
select is_empty(
  $$ select r.rolname from pg_roles r
     where pg_has_role(r.oid, 'apms_app', 'MEMBER') and r.rolname not in ('apms_app', session_user) and not r.rolsuper
       and (r.rolbypassrls or pg_has_role(r.oid, (select c.relowner from pg_class c where c.oid = 'public.config_versions'::regclass), 'MEMBER')) $$,
  'c5: no login of the application (a member of apms_app) bypasses RLS or can act as the tables'' owner');
select is_empty(
  $$ select t from unnest(pg_temp.gn_rls_tables() || array['users']) t join pg_class c on c.oid = to_regclass('public.' || t)
     where not c.relrowsecurity or pg_has_role('apms_app', c.relowner, 'MEMBER') $$,
  'c5: every table has RLS enabled and is not owned by apms_app');

-- TEST: as apms_app in workspace A, each table it reads shows A's rows and only those
do $$ begin perform pg_temp.gn_act_as(pg_temp.gn_get('a_ws')::uuid, pg_temp.gn_get('a_u1')); end $$;
set local role apms_app;
select is(pg_temp.gn_visible_workspaces(t), array[pg_temp.gn_get('a_ws')],
  format('c5: apms_app in workspace A sees A''s rows of %s and no other workspace''s', t))
from unnest(pg_temp.gn_app_read_tables()) t;

-- TEST: the shared tables are not readable at all; the session's own share comes from functions
select throws_ok(format('select count(*) from public.%I', t), '42501', format('permission denied for table %s', t),
  format('c5: apms_app cannot read %s directly', t))
from unnest(array['workspaces', 'users', 'workspace_members']) t;
select is((select array_agg(id::text) from public.current_workspace()), array[pg_temp.gn_get('a_ws')],
  'c5: current_workspace() gives apms_app its own workspace and no other');
select is((select array_agg(user_id order by user_id) from public.workspace_users()),
  (select array_agg(u order by u) from unnest(array[pg_temp.gn_get('a_u1'), pg_temp.gn_get('a_u2')]) u),
  'c5: workspace_users() gives apms_app the members of its workspace and nobody else');

-- TEST: without a request context nothing is visible
do $$ begin perform pg_temp.gn_act_as(null, null); end $$;
select is(
  (select count(*)::int from public.workflow_instances) + (select count(*)::int from public.config_versions)
    + (select count(*)::int from public.workspace_users()) + (select count(*)::int from public.current_workspace()),
  0, 'c5: apms_app without a request context sees no instance, version, member or workspace');
select * from finish();
reset role;
rollback;
