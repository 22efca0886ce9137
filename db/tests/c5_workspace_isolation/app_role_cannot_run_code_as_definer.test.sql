-- C5: the application role cannot run its own code with the rights of a SECURITY DEFINER function.
-- The attack: apms_app shadows a type in its session's temporary schema (a temp table `uuid` or
-- `text` is also a composite type) and adds casts to and from it whose functions it owns; a definer
-- function that resolves `uuid` or `text` through a search_path searching pg_temp before pg_catalog
-- would then run the attacker's cast as the function owner (the superuser). Every write that fires
-- a definer function is tried; the attacker's functions must never run as anyone but apms_app.
begin;
\ir ../_support/helpers.psql
select plan(5);

-- SETUP: a busy workspace and a DRAFT of it to write master rows into, as the owner
do $$
begin
  perform pg_temp.gn_make_busy_workspace('a');
  perform pg_temp.gn_set('a_draft', pg_temp.gn_make_config(pg_temp.gn_get('a_ws')::uuid, 'draft.xlsx'));
  perform pg_temp.gn_act_as(pg_temp.gn_get('a_ws')::uuid, pg_temp.gn_get('a_u1'));
end $$;

-- The trap is set by apms_app itself when it may create temporary objects (PostgreSQL's default,
-- TEMP granted to PUBLIC); where a DBA revoked that, by the suite's role, so the definer functions
-- are judged the same way. The writes that fire them are always apms_app's.
create function pg_temp.gn_as_trap_setter() returns void
language plpgsql as $$
begin
  if has_database_privilege('apms_app', current_database(), 'TEMPORARY') then
    execute 'set local role apms_app';
  else
    execute 'reset role';
  end if;
end $$;

-- SETUP: functions that record who runs them (and try to give apms_app BYPASSRLS, as in the
-- reported attack; all of it rolls back), and the writes that fire every definer function
do $$ begin perform pg_temp.gn_as_trap_setter(); end $$;
create function pg_temp.gn_attack(p_value pg_catalog.text) returns pg_catalog.text
language plpgsql as $$
begin
  if current_user <> 'apms_app' then
    perform pg_catalog.set_config('gnfx.attack_ran_as', current_user::pg_catalog.text, true);
    begin
      alter role apms_app bypassrls;
    exception when others then
      null;
    end;
  end if;
  return p_value;
end $$;
create function pg_temp.gn_writes(p_trap pg_catalog.text) returns void
language plpgsql as $$
begin
  perform pg_temp.gn_set(p_trap || '_doc', pg_temp.gn_try(pg_catalog.format(
    $q$insert into public.workflow_stage_documents (workspace_id, config_version_id, workflow_stage_id,
        document_type_id, file_name, storage_key, uploaded_by)
      select %L, d.config_version_id, %L, d.id, 'atp.pdf', pg_catalog.gen_random_uuid()::pg_catalog.text, %L
      from public.master_document_types d where d.workspace_id = %L and d.code = 'DOC-2'$q$,
    pg_temp.gn_get('a_ws'), pg_temp.gn_get('a_s2'), pg_temp.gn_get('a_u1'), pg_temp.gn_get('a_ws'))));
  perform pg_temp.gn_set(p_trap || '_region', pg_temp.gn_try(pg_catalog.format(
    $q$insert into public.master_regions (workspace_id, config_version_id, code, name)
      select %L, cv.id, 'R-' || pg_catalog.upper(%L), 'x' from public.config_versions cv where cv.id::pg_catalog.text = %L$q$,
    pg_temp.gn_get('a_ws'), p_trap, pg_temp.gn_get('a_draft'))));
  perform pg_temp.gn_set(p_trap || '_start', pg_temp.gn_try(pg_catalog.format(
    'select public.start_workflow_instance(%L, %L, %L, %L)',
    pg_temp.gn_get('a_ws'), 'ATP', 'SITE-001', pg_temp.gn_get('a_u1'))));
end $$;

-- TEST: trap 1, the reported one: pg_temp.uuid with casts text -> pg_temp.uuid -> uuid
create temp table uuid (v pg_catalog.text);
create function pg_temp.gn_to_uuid(pg_catalog.text) returns pg_temp.uuid
language sql as $$ select row(pg_temp.gn_attack($1))::pg_temp.uuid $$;
create function pg_temp.gn_from_uuid(pg_temp.uuid) returns pg_catalog.uuid
language sql as $$ select ($1).v::pg_catalog.uuid $$;
create cast (pg_catalog.text as pg_temp.uuid) with function pg_temp.gn_to_uuid(pg_catalog.text);
create cast (pg_temp.uuid as pg_catalog.uuid) with function pg_temp.gn_from_uuid(pg_temp.uuid) as assignment;
-- a fresh session of the attacker would plan everything anew: so does this one
set local role apms_app;
discard plans;
do $$ begin perform pg_temp.gn_writes('uuid'); end $$;
do $$ begin perform pg_temp.gn_as_trap_setter(); end $$;
drop table pg_temp.uuid cascade;

-- TEST: trap 2: pg_temp.text with implicit casts both ways (declared variables, ::text)
create temp table text (v pg_catalog.text);
create function pg_temp.gn_to_text(pg_catalog.text) returns pg_temp.text
language sql as $$ select row(pg_temp.gn_attack($1))::pg_temp.text $$;
create function pg_temp.gn_from_text(pg_temp.text) returns pg_catalog.text
language sql as $$ select pg_temp.gn_attack(($1).v) $$;
create cast (pg_catalog.text as pg_temp.text) with function pg_temp.gn_to_text(pg_catalog.text) as implicit;
create cast (pg_temp.text as pg_catalog.text) with function pg_temp.gn_from_text(pg_temp.text) as implicit;
set local role apms_app;
discard plans;
do $$ begin perform pg_temp.gn_writes('text'); end $$;
do $$ begin perform pg_temp.gn_as_trap_setter(); end $$;
drop table pg_temp.text cascade;
set local role apms_app;

select is(array[pg_temp.gn_get('uuid_doc'), pg_temp.gn_get('uuid_region'), pg_temp.gn_get('uuid_start')],
  array['ok', 'ok', 'ok'],
  'c5: with pg_temp.uuid set, apms_app still writes a stage document, a master row and an instance (definer functions fire)');
select is(array[pg_temp.gn_get('text_doc'), pg_temp.gn_get('text_region'), pg_temp.gn_get('text_start')],
  array['ok', 'ok', 'ok'],
  'c5: with pg_temp.text set, apms_app still writes a stage document, a master row and an instance');
select is(pg_temp.gn_try('truncate public.config_versions'), '42501: permission denied for table config_versions',
  'c5: apms_app cannot reach the truncate guard (no TRUNCATE privilege)');

-- TEST: the attacker's code never ran as another role, and apms_app gained nothing
select is(pg_temp.gn_get('attack_ran_as'), null,
  'c5: the application''s own casts never run with a definer function''s rights');
reset role;
select ok(exists (select from pg_roles where rolname = 'apms_app' and not rolsuper and not rolbypassrls),
  'c5: apms_app still has no BYPASSRLS and is not a superuser after the attempts');

select * from finish();
rollback;
