-- INV1: the delete guard protects the ACTIVE version only: a SUPERSEDED version that no workflow
-- uses can be deleted, and its frozen master rows go with it (the cascade is not stopped by the
-- guard that freezes them), while the ACTIVE version and its rows stay.
begin;
\ir ../_support/helpers.psql
select plan(5);

-- SETUP: version 1 loaded and activated, then version 2 activated: version 1 is SUPERSEDED
do $$
declare
  v_cv2 text;
begin
  perform pg_temp.gn_make_active_workspace('a', 3);
  v_cv2 := pg_temp.gn_make_config(pg_temp.gn_get('a_ws')::uuid, 'v2.xlsx');
  perform pg_temp.gn_load_config(pg_temp.gn_get('a_ws')::uuid, v_cv2, 3);
  perform pg_temp.gn_activate(v_cv2);
  perform pg_temp.gn_set('cv2', v_cv2);
end $$;

-- TEST: the SUPERSEDED version holds its master rows, then is deleted with them
select is(
  (select sum(pg_temp.gn_count_for_config(t, pg_temp.gn_get('a_cv')))::int from unnest(pg_temp.gn_master_tables()) t),
  15, 'inv1: the SUPERSEDED version holds its 15 master rows before the delete');
select lives_ok(
  format('delete from public.config_versions where id::text = %L', pg_temp.gn_get('a_cv')),
  'inv1: a SUPERSEDED version no workflow uses can be deleted');
select is(pg_temp.gn_config_status(pg_temp.gn_get('a_cv')), null, 'inv1: the SUPERSEDED version is gone');
select is(
  (select sum(pg_temp.gn_count_for_config(t, pg_temp.gn_get('a_cv')))::int from unnest(pg_temp.gn_master_tables()) t),
  0, 'inv1: deleting the SUPERSEDED version removes its rows from all seven master tables');

-- TEST: the ACTIVE version is untouched
select is(
  (select sum(pg_temp.gn_count_for_config(t, pg_temp.gn_get('cv2')))::int from unnest(pg_temp.gn_master_tables()) t),
  15, 'inv1: the ACTIVE version keeps its 15 master rows');

select * from finish();
rollback;
