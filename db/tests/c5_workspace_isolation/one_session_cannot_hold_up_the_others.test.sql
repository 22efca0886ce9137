-- C5: one session of the application, driven by an attacker, cannot deny service to the other
-- workspaces. Judged from the catalog for apms_app and every login that is a member of it: no
-- temporary tables and no advisory locks (each fills the shared lock table: about 12,800 of them
-- stop every new connection, the superuser's included), no pg_cancel_backend or
-- pg_terminate_backend (the other sessions of the same login). Then tried: each is refused, and no
-- table can be locked in a mode that blocks another workspace's reads or writes (SHARE UPDATE
-- EXCLUSIVE and up, FOR UPDATE/SHARE rows); every attempt runs without queueing (NOWAIT) in a
-- subtransaction that is rolled back, so a schema that lets one through holds it for no time.
begin;
\ir ../_support/helpers.psql
select plan(9);

-- SETUP: a busy workspace, as the owner
do $$
begin
  perform pg_temp.gn_make_busy_workspace('a');
end $$;
-- apms_app and the logins of the application: its members, but the role this file runs as (a DBA
-- member of apms_app so as to play it here: the suite's own helpers need temporary objects)
create temp view gn_app_roles as
select r.oid, r.rolname from pg_roles r
where pg_has_role(r.oid, 'apms_app', 'MEMBER') and not r.rolsuper and r.rolname <> session_user;
create temp view gn_withheld_functions as
select p.oid, p.oid::regprocedure::text as name from pg_proc p
where p.pronamespace = 'pg_catalog'::regnamespace
  and (p.proname ~ '^pg_(try_)?advisory_(xact_)?lock(_shared)?$' or p.proname in ('pg_cancel_backend', 'pg_terminate_backend'));

-- TEST: from the catalog
select is_empty(
  $$ select rolname from gn_app_roles where has_database_privilege(oid, current_database(), 'TEMPORARY') $$,
  'c5: neither apms_app nor a login of the application may create temporary tables');
select is_empty(
  $$ select r.rolname || ': ' || f.name from gn_app_roles r, gn_withheld_functions f
     where has_function_privilege(r.oid, f.oid, 'EXECUTE') $$,
  'c5: neither apms_app nor a login of the application may take advisory locks or signal other sessions');

-- TEST: as apms_app in workspace A, each is tried
do $$ begin perform pg_temp.gn_act_as(pg_temp.gn_get('a_ws')::uuid, pg_temp.gn_get('a_u1')); end $$;
set local role apms_app;
select is(pg_temp.gn_try_and_undo('select pg_advisory_lock(1)'), '42501: permission denied for function pg_advisory_lock',
  'c5: apms_app cannot take a session advisory lock');
select is(pg_temp.gn_try_and_undo('select pg_advisory_xact_lock(1)'), '42501: permission denied for function pg_advisory_xact_lock',
  'c5: apms_app cannot take a transaction advisory lock (the key another workspace''s activation would wait on)');
-- (the refusal names the database, or the session's temporary schema once the suite's role made it)
select ok(pg_temp.gn_try_and_undo('create temporary table gn_t ()') like '42501: permission denied %',
  'c5: apms_app cannot create a temporary table');
select is(pg_temp.gn_try_and_undo('select pg_terminate_backend(0)'), '42501: permission denied for function pg_terminate_backend',
  'c5: apms_app cannot end other sessions');
select is(pg_temp.gn_try_and_undo('select pg_cancel_backend(0)'), '42501: permission denied for function pg_cancel_backend',
  'c5: apms_app cannot cancel other sessions'' statements');
select is_empty(
  $$ select t || ' ' || m || ': ' || r from unnest(pg_temp.gn_tables()) t,
       unnest(array['share update exclusive', 'share', 'share row exclusive', 'exclusive', 'access exclusive']) m,
       lateral pg_temp.gn_try_and_undo(format('lock table public.%I in %s mode nowait', t, m)) r
     where r <> format('42501: permission denied for table %s', t) $$,
  'c5: apms_app can lock none of the sixteen tables in a mode that blocks reads or writes');
select is_empty(
  $$ select t || ' ' || m || ': ' || r from unnest(pg_temp.gn_app_read_tables()) t,
       unnest(array['update', 'no key update', 'share', 'key share']) m,
       lateral pg_temp.gn_try_and_undo(format('select from public.%I for %s nowait', t, m)) r
     where r <> format('42501: permission denied for table %s', t) $$,
  'c5: apms_app can lock no row of any table it reads');

select * from finish();
reset role;
rollback;
