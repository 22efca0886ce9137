-- C2 by behaviour: a version's id flows into every config_version_id column as is, and every
-- master table and workflow_instances joins config_versions on plain equality (a uuid/text mismatch
-- would need a cast and fail here).
begin;
\ir ../_support/helpers.psql
select plan(8);

-- SETUP: an ACTIVE config with its master rows and one running instance
do $$
begin
  perform pg_temp.gn_make_active_workspace('a');
  perform pg_temp.gn_set('inst', public.start_workflow_instance(
    pg_temp.gn_get('a_ws')::uuid, 'ATP', 'SITE-001', pg_temp.gn_get('a_u1'))::text);
end $$;

-- TEST: each table joins its version without a cast
select is(
  pg_temp.gn_try(format(
    'do $j$ begin if (select count(*) from public.%I t join public.config_versions cv on cv.id = t.config_version_id and cv.workspace_id = t.workspace_id where cv.id::text = %L) = 0 then raise exception %L; end if; end $j$',
    t, pg_temp.gn_get('a_cv'), 'no joined rows')),
  'ok',
  format('c2: %s joins config_versions on config_version_id = id without a cast', t)
) from unnest(pg_temp.gn_master_tables() || array['workflow_instances']) t;

select * from finish();
rollback;
