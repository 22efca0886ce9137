-- C6: rejecting a stage rejects the instance and skips what is left; deciding a stage that is not
-- open (ZB003), by someone who may not (ZB004), or starting on unknown codes (ZB005) or without
-- an ACTIVE config (ZB002) is refused.
begin;
\ir ../_support/helpers.psql
select plan(9);

-- SETUP: a started 3-stage instance, a VIEWER member, an outsider, a workspace without ACTIVE config
do $$
declare
  v_i uuid;
  v_viewer text := pg_temp.gn_make_user();
begin
  perform pg_temp.gn_make_active_workspace('a', 3);
  perform pg_temp.gn_make_member(pg_temp.gn_get('a_ws')::uuid, v_viewer, 'VIEWER');
  v_i := public.start_workflow_instance(pg_temp.gn_get('a_ws')::uuid, 'ATP', 'SITE-001', pg_temp.gn_get('a_u1'));
  perform pg_temp.gn_set('i', v_i::text);
  perform pg_temp.gn_set('viewer', v_viewer);
  perform pg_temp.gn_set('outsider', pg_temp.gn_make_user());
  perform pg_temp.gn_set('empty_ws', pg_temp.gn_make_workspace()::text);
  perform pg_temp.gn_set('s1', (select id::text from public.workflow_stages where workflow_instance_id = v_i and stage_order = 1));
  perform pg_temp.gn_set('s2', (select id::text from public.workflow_stages where workflow_instance_id = v_i and stage_order = 2));
  perform pg_temp.gn_set('s3', (select id::text from public.workflow_stages where workflow_instance_id = v_i and stage_order = 3));
end $$;

-- TEST: who may decide, and what
select throws_ok(format('select public.decide_stage(%L, %L, %L)', pg_temp.gn_get('s2'), pg_temp.gn_get('a_u2'), 'APPROVED'),
  'ZB003', format('cannot decide stage %s: it is PENDING, only an IN_PROGRESS stage can be decided', pg_temp.gn_get('s2')),
  'c6: deciding a PENDING stage is refused with ZB003');
select throws_ok(format('select public.decide_stage(%L, %L, %L)', pg_temp.gn_get('s1'), pg_temp.gn_get('outsider'), 'APPROVED'),
  'ZB004', format('approver %s may not decide stage %s: not an ACTIVE member of workspace %s', pg_temp.gn_get('outsider'), pg_temp.gn_get('s1'), pg_temp.gn_get('a_ws')),
  'c6: a non-member deciding a stage is refused with ZB004');
select throws_ok(format('select public.decide_stage(%L, %L, %L)', pg_temp.gn_get('s1'), pg_temp.gn_get('viewer'), 'APPROVED'),
  'ZB004', format('approver %s may not decide stage %s: role VIEWER is not an approver role of this stage', pg_temp.gn_get('viewer'), pg_temp.gn_get('s1')),
  'c6: a member without the stage''s approver role is refused with ZB004');

-- TEST: starting needs known codes and an ACTIVE config
select throws_ok(format('select public.start_workflow_instance(%L, %L, %L, %L)', pg_temp.gn_get('a_ws'), 'NOPE', 'SITE-001', pg_temp.gn_get('a_u1')),
  'ZB005', format('cannot start a workflow: template NOPE not found in the ACTIVE config version %s of workspace %s', pg_temp.gn_get('a_cv'), pg_temp.gn_get('a_ws')),
  'c6: starting with an unknown template code is refused with ZB005');
select throws_ok(format('select public.start_workflow_instance(%L, %L, %L, %L)', pg_temp.gn_get('a_ws'), 'ATP', 'NOPE', pg_temp.gn_get('a_u1')),
  'ZB005', format('cannot start a workflow: site NOPE not found in the ACTIVE config version %s of workspace %s', pg_temp.gn_get('a_cv'), pg_temp.gn_get('a_ws')),
  'c6: starting with an unknown site code is refused with ZB005');
select throws_ok(format('select public.start_workflow_instance(%L, %L, %L, %L)', pg_temp.gn_get('empty_ws'), 'ATP', 'SITE-001', pg_temp.gn_get('a_u1')),
  'ZB002', format('cannot start a workflow in workspace %s: it has no ACTIVE config version', pg_temp.gn_get('empty_ws')),
  'c6: starting in a workspace without an ACTIVE config is refused with ZB002');

-- TEST: a rejection rejects the instance and skips the stages left
select lives_ok(format('select public.decide_stage(%L, %L, %L, %L)', pg_temp.gn_get('s1'), pg_temp.gn_get('a_u2'), 'REJECTED', 'antenna misaligned'),
  'c6: an approver rejects the first stage');
select is(pg_temp.gn_instance_status(pg_temp.gn_get('i')::uuid), 'REJECTED', 'c6: rejecting a stage rejects the instance');
select is(
  (select array_agg(pg_temp.gn_stage_status(id) order by stage_order) from public.workflow_stages where workflow_instance_id = pg_temp.gn_get('i')::uuid),
  array['REJECTED', 'SKIPPED', 'SKIPPED'], 'c6: the rejected stage is REJECTED and the stages left are SKIPPED');

select * from finish();
rollback;
