-- C4: a running workflow is frozen to the config version it started on: activating a new version
-- changes nothing for it, while new instances take the new ACTIVE version.
begin;
\ir ../_support/helpers.psql
select plan(8);

-- SETUP: an ACTIVE 3-stage config with a running instance, then a 2-stage version activated
do $$
declare
  v_cv2 text;
begin
  perform pg_temp.gn_make_active_workspace('a', 3);
  perform pg_temp.gn_set('i1', public.start_workflow_instance(
    pg_temp.gn_get('a_ws')::uuid, 'ATP', 'SITE-001', pg_temp.gn_get('a_u1'))::text);
  v_cv2 := pg_temp.gn_make_config(pg_temp.gn_get('a_ws')::uuid, 'v2.xlsx');
  perform pg_temp.gn_load_config(pg_temp.gn_get('a_ws')::uuid, v_cv2, 2);
  perform pg_temp.gn_activate(v_cv2);
  perform pg_temp.gn_set('cv2', v_cv2);
  perform pg_temp.gn_set('i2', public.start_workflow_instance(
    pg_temp.gn_get('a_ws')::uuid, 'ATP', 'SITE-001', pg_temp.gn_get('a_u1'))::text);
end $$;

-- TEST: the running instance still references and uses its original version
select is((select config_version_id::text from public.workflow_instances where id = pg_temp.gn_get('i1')::uuid),
  pg_temp.gn_get('a_cv'), 'c4: the running instance still references the version it started on');
select is(pg_temp.gn_instance_status(pg_temp.gn_get('i1')::uuid), 'IN_PROGRESS', 'c4: the running instance is still IN_PROGRESS');
select is((select count(*)::int from public.workflow_stages where workflow_instance_id = pg_temp.gn_get('i1')::uuid), 3,
  'c4: the running instance keeps its three stages');
select is(
  (select count(*)::int from public.workflow_stages s join public.master_stage_templates st on st.id = s.stage_template_id
   where s.workflow_instance_id = pg_temp.gn_get('i1')::uuid and st.config_version_id::text = pg_temp.gn_get('a_cv')),
  3, 'c4: the running instance''s stages point at stage templates of its own version');

-- TEST: the old version survives, SUPERSEDED, with its master rows
select is(pg_temp.gn_config_status(pg_temp.gn_get('a_cv')), 'SUPERSEDED', 'c4: the old version is SUPERSEDED, not deleted');
select is(pg_temp.gn_count_for_config('master_stage_templates', pg_temp.gn_get('a_cv')), 3,
  'c4: the old version keeps its stage templates for the running instance');

-- TEST: a new instance takes the new ACTIVE version
select is((select config_version_id::text from public.workflow_instances where id = pg_temp.gn_get('i2')::uuid),
  pg_temp.gn_get('cv2'), 'c4: an instance started after the activation references the new version');
select is((select count(*)::int from public.workflow_stages where workflow_instance_id = pg_temp.gn_get('i2')::uuid), 2,
  'c4: the new instance gets the new version''s two stages');

select * from finish();
rollback;
