-- C5: the application role reads and appends, and changes nothing directly. Judged from the
-- catalog for every table of the database (a staging database's own tables too): apms_app holds no
-- UPDATE, DELETE, TRUNCATE, REFERENCES or TRIGGER, on a table or on a column; it may INSERT into
-- the tables the application appends to and SELECT the ones it reads, nothing else. Without UPDATE
-- no INSERT ... ON CONFLICT DO UPDATE (whose WHERE sees a conflicting row of another workspace),
-- no SELECT ... FOR UPDATE/SHARE and no LOCK TABLE above ROW EXCLUSIVE. Then tried: an update or
-- delete, of another workspace's rows or of its own, is refused (42501), an insert into another
-- workspace is refused (42501), and that workspace's rows are untouched.
begin;
\ir ../_support/helpers.psql
select plan(16);

-- SETUP: two busy workspaces, as the owner
do $$
begin
  perform pg_temp.gn_make_busy_workspace('a');
  perform pg_temp.gn_make_busy_workspace('b');
  perform pg_temp.gn_set('b_site', (select site_name from public.master_sites where workspace_id = pg_temp.gn_get('b_ws')::uuid));
end $$;
-- every table and view of the database outside the system schemas and extensions
create temp view gn_user_tables as
select c.oid, quote_ident(n.nspname) || '.' || quote_ident(c.relname) as name
from pg_class c join pg_namespace n on n.oid = c.relnamespace
where c.relkind in ('r', 'p', 'v', 'm', 'f')
  and n.nspname not in ('pg_catalog', 'information_schema') and n.nspname !~ '^pg_(toast|temp_|toast_temp_)'
  and not exists (select from pg_depend d where d.classid = 'pg_class'::regclass and d.objid = c.oid and d.deptype = 'e');

-- TEST: the grants, from the catalog
select is_empty(
  $$ select t.name || ': ' || p from gn_user_tables t, unnest(array['UPDATE', 'DELETE', 'TRUNCATE', 'REFERENCES', 'TRIGGER']) p
     where has_table_privilege('apms_app', t.oid, p)
        or (p in ('UPDATE', 'REFERENCES') and has_any_column_privilege('apms_app', t.oid, p)) $$,
  'c5: apms_app holds no UPDATE, DELETE, TRUNCATE, REFERENCES or TRIGGER on any table or column of the database');
select is(
  (select array_agg(t.name order by t.name) from gn_user_tables t where has_table_privilege('apms_app', t.oid, 'INSERT')),
  (select array_agg('public.' || t order by 'public.' || t) from unnest(pg_temp.gn_app_insert_tables()) t),
  'c5: apms_app may insert into the tables the application appends to, and no other');
select is(
  (select array_agg(t.name order by t.name) from gn_user_tables t where has_any_column_privilege('apms_app', t.oid, 'SELECT')),
  (select array_agg('public.' || t order by 'public.' || t) from unnest(pg_temp.gn_app_read_tables()) t),
  'c5: apms_app may read the tables the application reads under RLS, and no other');

-- TEST: as apms_app in workspace A
do $$ begin perform pg_temp.gn_act_as(pg_temp.gn_get('a_ws')::uuid, pg_temp.gn_get('a_u1')); end $$;
set local role apms_app;
select throws_ok(format($$update public.master_sites set site_name = 'hacked' where workspace_id = %L$$, pg_temp.gn_get('b_ws')),
  '42501', 'permission denied for table master_sites', 'c5: apms_app in workspace A cannot update B''s master rows');
select throws_ok(format($$update public.master_sites set site_name = 'renamed' where workspace_id = %L$$, pg_temp.gn_get('a_ws')),
  '42501', 'permission denied for table master_sites', 'c5: apms_app cannot update its own master rows directly either');
select throws_ok(format('delete from public.workflow_instances where id = %L', pg_temp.gn_get('b_i')),
  '42501', 'permission denied for table workflow_instances', 'c5: apms_app in workspace A cannot delete B''s workflow instances');
select throws_ok(format('delete from public.workflow_stage_documents where workspace_id = %L', pg_temp.gn_get('a_ws')),
  '42501', 'permission denied for table workflow_stage_documents', 'c5: apms_app deletes no stage document directly');
select throws_ok(
  format('insert into public.config_versions (workspace_id, source_file_name) values (%L, %L)', pg_temp.gn_get('b_ws'), 'forged.xlsx'),
  '42501', 'new row violates row-level security policy for table "config_versions"',
  'c5: apms_app in workspace A cannot insert a config version into workspace B');
select throws_ok($$insert into public.users (id, email) values ('gn-forged', 'forged@gonogo.test')$$,
  '42501', 'permission denied for table users', 'c5: apms_app cannot insert users');
select throws_ok($$insert into public.workspaces (code, name) values ('GN-FORGED', 'forged')$$,
  '42501', 'permission denied for table workspaces', 'c5: apms_app cannot insert workspaces');
select throws_ok(format('update public.workspace_members set role = %L where workspace_id = %L', 'ADMIN', pg_temp.gn_get('a_ws')),
  '42501', 'permission denied for table workspace_members', 'c5: apms_app cannot change a membership directly');
select throws_ok(format($$insert into public.audit_logs (workspace_id, table_name, action, actor) values (%L, 'x', 'INSERT', 'x')$$,
    pg_temp.gn_get('a_ws')),
  '42501', 'permission denied for table audit_logs', 'c5: apms_app cannot write the audit trail');
reset role;

-- TEST: as the owner, B is as it was
select is((select site_name from public.master_sites where workspace_id = pg_temp.gn_get('b_ws')::uuid), pg_temp.gn_get('b_site'),
  'c5: B''s site keeps its name');
select is((select count(*)::int from public.workflow_instances where id = pg_temp.gn_get('b_i')::uuid), 1,
  'c5: B''s workflow instance is still there');
select is((select count(*)::int from public.workflow_stage_documents where workspace_id = pg_temp.gn_get('b_ws')::uuid), 1,
  'c5: B''s stage document is still there');
select is((select count(*)::int from public.config_versions where workspace_id = pg_temp.gn_get('b_ws')::uuid), 1,
  'c5: B has no version more');

select * from finish();
rollback;
