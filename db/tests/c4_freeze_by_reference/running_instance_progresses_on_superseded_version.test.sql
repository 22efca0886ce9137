-- C4: a running workflow keeps working on the version it started on: after a new version is
-- activated, its stages are still decided by the SUPERSEDED version's approval rules, to the end.
begin;
\ir ../_support/helpers.psql
select plan(6);

-- SETUP: a running instance on a 2-stage version 1, then version 2 activated; version 2's rules
-- name another role, so only version 1's rules let u2 (OPERATOR_APPROVER) decide
do $$
declare
  v_cv2 text;
begin
  perform pg_temp.gn_make_active_workspace('a', 2);
  perform pg_temp.gn_start_instance('a');
  v_cv2 := pg_temp.gn_make_config(pg_temp.gn_get('a_ws')::uuid, 'v2.xlsx');
  perform pg_temp.gn_load_config(pg_temp.gn_get('a_ws')::uuid, v_cv2, 2);
  update public.master_approval_rules set approver_role = 'QA_REVIEWER' where config_version_id::text = v_cv2;
  perform pg_temp.gn_activate(v_cv2);
end $$;

-- TEST: its version is SUPERSEDED, and its stages are still decided under that version's rules
select is(pg_temp.gn_config_status(pg_temp.gn_get('a_cv')), 'SUPERSEDED', 'c4: the running instance''s version is SUPERSEDED');
select lives_ok(format('select public.decide_stage(%L, %L, %L)', pg_temp.gn_get('a_s1'), pg_temp.gn_get('a_u2'), 'APPROVED'),
  'c4: a stage of the running instance is approved under its SUPERSEDED version''s rules');
select is(pg_temp.gn_stage_status(pg_temp.gn_get('a_s2')::uuid), 'IN_PROGRESS', 'c4: the next stage of the running instance opens');
select lives_ok(format('select public.decide_stage(%L, %L, %L)', pg_temp.gn_get('a_s2'), pg_temp.gn_get('a_u2'), 'APPROVED'),
  'c4: the last stage of the running instance is approved');
select is(pg_temp.gn_instance_status(pg_temp.gn_get('a_i')::uuid), 'COMPLETED', 'c4: the running instance completes on its SUPERSEDED version');
select is((select config_version_id::text from public.workflow_instances where id = pg_temp.gn_get('a_i')::uuid),
  pg_temp.gn_get('a_cv'), 'c4: the completed instance still references the version it started on');

select * from finish();
rollback;
