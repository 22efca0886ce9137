-- C4: the reference itself is locked: an instance's config_version_id cannot be changed (ZB001),
-- a new instance cannot be put on a non-ACTIVE version (ZB002), and the version a running
-- instance uses cannot be deleted (the foreign key restricts).
begin;
\ir ../_support/helpers.psql
select plan(4);

-- SETUP: a running instance on version 1, version 2 activated
do $$
declare
  v_cv2 text;
begin
  perform pg_temp.gn_make_active_workspace('a', 2);
  perform pg_temp.gn_set('i1', public.start_workflow_instance(
    pg_temp.gn_get('a_ws')::uuid, 'ATP', 'SITE-001', pg_temp.gn_get('a_u1'))::text);
  v_cv2 := pg_temp.gn_make_config(pg_temp.gn_get('a_ws')::uuid, 'v2.xlsx');
  perform pg_temp.gn_load_config(pg_temp.gn_get('a_ws')::uuid, v_cv2, 2);
  perform pg_temp.gn_activate(v_cv2);
  perform pg_temp.gn_set('cv2', v_cv2);
end $$;

-- TEST: moving a running instance to the new version is refused
select throws_ok(
  format('update public.workflow_instances set config_version_id = (select id from public.config_versions where id::text = %L) where id = %L',
    pg_temp.gn_get('cv2'), pg_temp.gn_get('i1')),
  'ZB001', format('cannot change config_version_id of workflow instance %s: running workflows are frozen to the config version they started with', pg_temp.gn_get('i1')),
  'c4: changing a running instance''s config_version_id is refused with ZB001');

-- TEST: a new instance on the SUPERSEDED version is refused
select throws_ok(
  format('insert into public.workflow_instances (workspace_id, config_version_id, started_by) select workspace_id, id, %L from public.config_versions where id::text = %L',
    pg_temp.gn_get('a_u1'), pg_temp.gn_get('a_cv')),
  'ZB002', format('cannot start workflow instance on config version %s: it is SUPERSEDED, a new instance must use its workspace''s ACTIVE version', pg_temp.gn_get('a_cv')),
  'c4: inserting an instance on a SUPERSEDED version is refused with ZB002');

-- TEST: the version a running instance uses cannot be deleted (whichever restricting key on
-- workflow_instances fires first: the baseline's plain one or the migration's composite one)
select matches(
  pg_temp.gn_try(format('delete from public.config_versions where id::text = %L', pg_temp.gn_get('a_cv'))),
  '^23503: update or delete on table "config_versions" violates foreign key constraint "workflow_instances_config_version(_id)?_fkey" on table "workflow_instances"$',
  'c4: deleting the SUPERSEDED version a running instance uses is refused with 23503');
select is((select config_version_id::text from public.workflow_instances where id = pg_temp.gn_get('i1')::uuid),
  pg_temp.gn_get('a_cv'), 'c4: after the refused changes the instance still references its version');

select * from finish();
rollback;
