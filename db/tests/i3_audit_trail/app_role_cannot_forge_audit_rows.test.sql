-- I3: the application cannot write the audit trail itself. The attack: apms_app creates a temp
-- table that looks like an audited one, attaches public.audit_row_change() to it and inserts a row
-- naming another workspace, any actor and any values. apms_app may not attach the trigger function
-- (no EXECUTE), and the function refuses to run for a table it was not written for (ZE001), so
-- even a role that may attach it cannot make it log a temp table.
begin;
\ir ../_support/helpers.psql
select plan(4);

-- SETUP: two busy workspaces, as the owner
do $$
begin
  perform pg_temp.gn_make_busy_workspace('a');
  perform pg_temp.gn_make_busy_workspace('b');
  perform pg_temp.gn_act_as(pg_temp.gn_get('a_ws')::uuid, 'gn-forger');
end $$;

-- TEST: as apms_app, a look-alike temp table with the audit trigger attached. apms_app creates it
-- itself with PostgreSQL's default TEMP privilege; where a DBA revoked that, the suite's role creates
-- it and hands it over (every privilege on it), so the trigger functions are judged the same way.
do $$
begin
  if has_database_privilege('apms_app', current_database(), 'TEMPORARY') then
    execute 'set local role apms_app';
  end if;
  create temp table config_versions (id uuid primary key, workspace_id uuid, status text);
  grant all on pg_temp.config_versions to apms_app;
end $$;
set local role apms_app;
select is(
  pg_temp.gn_try($$create trigger trg_900_audit after insert on pg_temp.config_versions
    for each row execute function public.audit_row_change()$$),
  '42501: permission denied for function public.audit_row_change',
  'i3: apms_app cannot attach the audit trigger function to a table of its own (no EXECUTE)');
select is(
  pg_temp.gn_try($$create trigger trg_100_guard after insert on pg_temp.config_versions
    for each row execute function public.guard_config_version()$$),
  '42501: permission denied for function public.guard_config_version',
  'i3: apms_app cannot attach any trigger function of the migration (no EXECUTE)');
do $$
begin
  perform pg_temp.gn_try(format('insert into pg_temp.config_versions values (gen_random_uuid(), %L, %L)',
    pg_temp.gn_get('b_ws'), 'DRAFT'));
end $$;
reset role;
drop table pg_temp.config_versions;

select is(
  (select count(*)::int from public.audit_logs
   where workspace_id in (pg_temp.gn_get('a_ws')::uuid, pg_temp.gn_get('b_ws')::uuid) and actor = 'gn-forger'),
  0, 'i3: no audit row was forged, in A or in B');

-- TEST: even a role allowed to attach it (the owner) cannot make the audit function log a temp table
create temp table config_versions (id uuid primary key, workspace_id uuid, status text);
create trigger trg_900_audit after insert on pg_temp.config_versions
  for each row execute function public.audit_row_change();
select throws_ok(
  format('insert into pg_temp.config_versions values (gen_random_uuid(), %L, %L)', pg_temp.gn_get('b_ws'), 'ACTIVE'),
  'ZE001',
  format('audit_row_change() refused: it was not written for table %I.config_versions', pg_my_temp_schema()::regnamespace),
  'i3: the audit function refuses to log a temp table, even attached by its owner');
drop table pg_temp.config_versions;

select * from finish();
rollback;
