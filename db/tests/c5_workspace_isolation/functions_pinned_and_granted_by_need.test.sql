-- C5: no function lets the application out of its workspace. Judged from the catalog, so a new
-- function cannot reintroduce what the attack tests refuse: every SECURITY DEFINER function pins its
-- search_path with pg_temp last (the session's temporary schema can shadow no type or table it
-- uses) and no schema in it is writable by apms_app; no function of schema public (outside
-- extensions) or apms_private is executable by PUBLIC; apms_app may execute exactly the functions
-- the application calls; and each trigger function refuses to run for a table it was not written for (ZE001).
begin;
\ir ../_support/helpers.psql
select plan(11);

-- TEST: definer functions pin a safe search_path
select is_empty(
  $$ select p.oid::regprocedure::text || ' ' || coalesce(array_to_string(p.proconfig, ','), 'no search_path')
     from pg_catalog.pg_proc p
     join pg_catalog.pg_namespace n on n.oid = p.pronamespace
     where p.prosecdef
       and n.nspname not in ('pg_catalog', 'information_schema') and n.nspname !~ '^pg_(toast|temp_|toast_temp_)'
       and not exists (select from pg_catalog.pg_depend d
                       where d.classid = 'pg_catalog.pg_proc'::regclass and d.objid = p.oid and d.deptype = 'e')
       and not exists (
         select from unnest(p.proconfig) c
         cross join lateral (select string_to_array(replace(substr(c, length('search_path=') + 1), ' ', ''), ',') as path) s
         where c like 'search_path=%'
           and s.path[cardinality(s.path)] = 'pg_temp'
           and not exists (select from unnest(s.path) e
                           where e not in ('pg_temp', '"$user"')
                             and (to_regnamespace(e) is null
                                  or has_schema_privilege('apms_app', to_regnamespace(e), 'CREATE')))) $$,
  'c5: every SECURITY DEFINER function pins search_path with pg_temp last and no schema apms_app can write to');

-- TEST: EXECUTE is never granted to PUBLIC
select is_empty(
  $$ select p.oid::regprocedure::text
     from pg_catalog.pg_proc p
     where p.pronamespace in ('public'::regnamespace, 'apms_private'::regnamespace)
       and not exists (select from pg_catalog.pg_depend d
                       where d.classid = 'pg_catalog.pg_proc'::regclass and d.objid = p.oid and d.deptype = 'e')
       and (p.proacl is null
            or exists (select from aclexplode(p.proacl) a where a.grantee = 0 and a.privilege_type = 'EXECUTE')) $$,
  'c5: no function of schema public or apms_private is executable by PUBLIC (extensions aside)');

-- TEST: apms_app executes what the application calls, and nothing else of the migration
select is(
  (select array_agg(p.proname::text order by p.proname)
   from pg_catalog.pg_proc p
   where p.pronamespace in ('public'::regnamespace, 'apms_private'::regnamespace)
     and not exists (select from pg_catalog.pg_depend d
                     where d.classid = 'pg_catalog.pg_proc'::regclass and d.objid = p.oid and d.deptype = 'e')
     and has_function_privilege('apms_app', p.oid, 'EXECUTE')),
  array['activate_config_version', 'current_user_id', 'current_workspace', 'current_workspace_id', 'decide_stage',
    'discard_config_version', 'remove_member', 'remove_stage_document', 'set_member', 'start_workflow_instance',
    'workspace_users'],
  'c5: apms_app may execute the application''s functions and the one its policies call, no trigger or internal function');
select ok(not has_schema_privilege('apms_app', 'apms_private', 'USAGE'),
  'c5: apms_app cannot use schema apms_private (the signing keys, the scope the guards decide from)');

-- TEST: each trigger function refuses a table it was not written for (here a temp table)
create temp table gn_foreign (id uuid primary key, workspace_id uuid, config_version_id uuid, status text);
create function pg_temp.gn_fire_on_foreign(p_function text, p_statement_level boolean) returns text
language plpgsql as $$
declare
  v_result text;
begin
  execute format('create trigger gn_foreign_trigger before %s on pg_temp.gn_foreign for each %s execute function public.%I()',
    case when p_statement_level then 'truncate' else 'insert' end,
    case when p_statement_level then 'statement' else 'row' end, p_function);
  v_result := pg_temp.gn_try(case when p_statement_level then 'truncate pg_temp.gn_foreign'
                                  else 'insert into pg_temp.gn_foreign values (gen_random_uuid())' end);
  execute 'drop trigger gn_foreign_trigger on pg_temp.gn_foreign';
  return v_result;
end $$;
select is(pg_temp.gn_fire_on_foreign(f, statement_level),
  format('ZE001: %s() refused: it was not written for table %s.gn_foreign', f, pg_my_temp_schema()::regnamespace),
  format('c5: %s refuses a table it was not written for', f))
from (values ('guard_config_version', false), ('guard_config_version_truncate', true), ('guard_master_row', false),
             ('guard_workflow_instance', false), ('guard_stage_document', false), ('refuse_audit_log_change', false),
             ('audit_row_change', false))
  as t (f, statement_level);

select * from finish();
rollback;
