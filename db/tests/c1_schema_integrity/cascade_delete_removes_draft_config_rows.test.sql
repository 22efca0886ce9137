-- C1: cascades behave: deleting a DRAFT config version deletes its master rows, deleting a
-- workspace (without an ACTIVE config) deletes its versions, members and master rows.
begin;
\ir ../_support/helpers.psql
select plan(9);

-- SETUP: a workspace with a member and two loaded DRAFT versions
do $$
declare
  v_ws uuid := pg_temp.gn_make_workspace();
  v_user text := pg_temp.gn_make_user();
  v_cv1 text := pg_temp.gn_make_config(v_ws);
  v_cv2 text := pg_temp.gn_make_config(v_ws);
begin
  perform pg_temp.gn_make_member(v_ws, v_user);
  perform pg_temp.gn_load_config(v_ws, v_cv1);
  perform pg_temp.gn_load_config(v_ws, v_cv2);
  perform pg_temp.gn_set('ws', v_ws::text);
  perform pg_temp.gn_set('cv1', v_cv1);
  perform pg_temp.gn_set('cv2', v_cv2);
end $$;

-- TEST: the fixture is really there before the deletes
select is(
  (select sum(pg_temp.gn_count_for_config(t, pg_temp.gn_get('cv1')))::int from unnest(pg_temp.gn_master_tables()) t),
  15, 'c1: the DRAFT version holds its 15 master rows before the delete'
);

-- TEST: deleting a DRAFT version cascades to every master table
select lives_ok(
  format('delete from public.config_versions where id::text = %L', pg_temp.gn_get('cv1')),
  'c1: a DRAFT config version can be deleted'
);
select is(
  (select sum(pg_temp.gn_count_for_config(t, pg_temp.gn_get('cv1')))::int from unnest(pg_temp.gn_master_tables()) t),
  0, 'c1: deleting a DRAFT version removes its rows from all seven master tables'
);
select is(
  (select sum(pg_temp.gn_count_for_config(t, pg_temp.gn_get('cv2')))::int from unnest(pg_temp.gn_master_tables()) t),
  15, 'c1: deleting one version leaves the other version''s master rows alone'
);

-- TEST: deleting the workspace cascades to its versions, members and master rows
select lives_ok(
  format('delete from public.workspaces where id = %L', pg_temp.gn_get('ws')),
  'c1: a workspace without an ACTIVE config can be deleted'
);
select is((select count(*)::int from public.config_versions where workspace_id = pg_temp.gn_get('ws')::uuid), 0,
  'c1: deleting a workspace removes its config versions');
select is((select count(*)::int from public.workspace_members where workspace_id = pg_temp.gn_get('ws')::uuid), 0,
  'c1: deleting a workspace removes its members');
select is((select count(*)::int from public.master_stage_templates where workspace_id = pg_temp.gn_get('ws')::uuid), 0,
  'c1: deleting a workspace removes its stage templates');
select is((select count(*)::int from public.master_sites where workspace_id = pg_temp.gn_get('ws')::uuid), 0,
  'c1: deleting a workspace removes its sites');

select * from finish();
rollback;
