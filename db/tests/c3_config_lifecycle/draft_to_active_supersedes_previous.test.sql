-- C3: the legal path DRAFT -> ACTIVE -> SUPERSEDED through activate_config_version(): activating a
-- new version supersedes the previous ACTIVE one in the same transaction.
begin;
\ir ../_support/helpers.psql
select plan(8);

-- SETUP: a workspace with two loaded DRAFT versions
do $$
declare
  v_ws uuid := pg_temp.gn_make_workspace();
  v_cv1 text := pg_temp.gn_make_config(v_ws, 'v1.xlsx');
  v_cv2 text := pg_temp.gn_make_config(v_ws, 'v2.xlsx');
begin
  perform pg_temp.gn_load_config(v_ws, v_cv1);
  perform pg_temp.gn_load_config(v_ws, v_cv2);
  perform pg_temp.gn_set('ws', v_ws::text);
  perform pg_temp.gn_set('cv1', v_cv1);
  perform pg_temp.gn_set('cv2', v_cv2);
end $$;

-- TEST: versions are born DRAFT
select is(pg_temp.gn_config_status(pg_temp.gn_get('cv1')), 'DRAFT', 'c3: a new config version starts as DRAFT');

-- TEST: DRAFT -> ACTIVE
select lives_ok(pg_temp.gn_activate_sql(pg_temp.gn_get('cv1')), 'c3: activating the first DRAFT succeeds');
select is(pg_temp.gn_config_status(pg_temp.gn_get('cv1')), 'ACTIVE', 'c3: the activated version is ACTIVE');
select isnt((select activated_at from public.config_versions where id::text = pg_temp.gn_get('cv1')), null,
  'c3: activation records activated_at');

-- TEST: activating the next DRAFT supersedes the previous ACTIVE
select lives_ok(pg_temp.gn_activate_sql(pg_temp.gn_get('cv2')), 'c3: activating a second DRAFT succeeds');
select is(pg_temp.gn_config_status(pg_temp.gn_get('cv2')), 'ACTIVE', 'c3: the second version is now ACTIVE');
select is(pg_temp.gn_config_status(pg_temp.gn_get('cv1')), 'SUPERSEDED', 'c3: the previous ACTIVE version is SUPERSEDED');
select is(
  (select count(*)::int from public.config_versions where workspace_id = pg_temp.gn_get('ws')::uuid and status = 'ACTIVE'),
  1, 'c3: the workspace has exactly one ACTIVE version after two activations'
);

select * from finish();
rollback;
