-- C5: the two ways around isolation that grants and function settings open: a SECURITY DEFINER
-- function that runs with the caller's search_path (the caller could put look-alike objects first),
-- and write access for the application role to the tables shared by all workspaces (users) or that
-- define them (workspaces), which it may only read, and to a membership's user and workspace (it
-- may change only a member's role and status).
begin;
\ir ../_support/helpers.psql
select plan(9);

-- SETUP: a workspace the application session acts for
do $$
begin
  perform pg_temp.gn_make_active_workspace('a', 1);
end $$;

-- TEST: every SECURITY DEFINER function in public pins its search_path
select isnt_empty(
  $$ select p.oid from pg_proc p where p.pronamespace = 'public'::regnamespace and p.prosecdef $$,
  'c5: the schema has SECURITY DEFINER functions (the audit trigger and the guards)');
select is_empty(
  $$ select p.oid::regprocedure::text from pg_proc p
     where p.pronamespace = 'public'::regnamespace and p.prosecdef
       and not exists (select from unnest(coalesce(p.proconfig, '{}')) c where c like 'search_path=%') $$,
  'c5: every SECURITY DEFINER function in public sets its own search_path');

-- TEST: apms_app reads users and workspaces but cannot write them, even its own workspace's row
do $$ begin perform set_config('app.workspace_id', pg_temp.gn_get('a_ws'), true); end $$;
set local role apms_app;
select throws_ok($$insert into public.users (id, email) values ('gn-forged', 'forged@gonogo.test')$$,
  '42501', 'permission denied for table users', 'c5: apms_app cannot insert users');
select throws_ok(format('update public.users set email = email where id = %L', pg_temp.gn_get('a_u1')),
  '42501', 'permission denied for table users', 'c5: apms_app cannot update users');
select throws_ok(format('delete from public.users where id = %L', pg_temp.gn_get('a_u1')),
  '42501', 'permission denied for table users', 'c5: apms_app cannot delete users');
select throws_ok($$insert into public.workspaces (code, name) values ('GN-FORGED', 'forged')$$,
  '42501', 'permission denied for table workspaces', 'c5: apms_app cannot insert workspaces');
select throws_ok(format('update public.workspaces set name = name where id = %L', pg_temp.gn_get('a_ws')),
  '42501', 'permission denied for table workspaces', 'c5: apms_app cannot update its own workspace row');
select throws_ok(format('delete from public.workspaces where id = %L', pg_temp.gn_get('a_ws')),
  '42501', 'permission denied for table workspaces', 'c5: apms_app cannot delete its own workspace');
select throws_ok(format('update public.workspace_members set user_id = user_id where workspace_id = %L', pg_temp.gn_get('a_ws')),
  '42501', 'permission denied for table workspace_members', 'c5: apms_app cannot move a membership to another user');
reset role;

select * from finish();
rollback;
