-- C6: a decision is taken once, by an ACTIVE member, and is APPROVED or REJECTED: deciding a stage
-- already decided (ZB003), by a member whose membership is INACTIVE (ZB004), or with any other
-- decision (22023) is refused and records nothing.
begin;
\ir ../_support/helpers.psql
select plan(6);

-- SETUP: a started 3-stage instance whose first stage u2 approved; u1's membership made INACTIVE
do $$
begin
  perform pg_temp.gn_make_active_workspace('a', 3);
  perform pg_temp.gn_start_instance('a');
  perform public.decide_stage(pg_temp.gn_get('a_s1')::uuid, pg_temp.gn_get('a_u2'), 'APPROVED');
  update public.workspace_members set status = 'INACTIVE'
  where workspace_id = pg_temp.gn_get('a_ws')::uuid and user_id = pg_temp.gn_get('a_u1');
end $$;

-- TEST: a stage is decided once
select throws_ok(format('select public.decide_stage(%L, %L, %L)', pg_temp.gn_get('a_s1'), pg_temp.gn_get('a_u2'), 'REJECTED'),
  'ZB003', format('cannot decide stage %s: it is APPROVED, only an IN_PROGRESS stage can be decided', pg_temp.gn_get('a_s1')),
  'c6: deciding a stage already APPROVED is refused with ZB003');

-- TEST: only an ACTIVE membership may decide
select throws_ok(format('select public.decide_stage(%L, %L, %L)', pg_temp.gn_get('a_s2'), pg_temp.gn_get('a_u1'), 'APPROVED'),
  'ZB004', format('approver %s may not decide stage %s: not an ACTIVE member of workspace %s', pg_temp.gn_get('a_u1'), pg_temp.gn_get('a_s2'), pg_temp.gn_get('a_ws')),
  'c6: a member whose membership is INACTIVE deciding a stage is refused with ZB004');

-- TEST: a decision is APPROVED or REJECTED
select throws_ok(format('select public.decide_stage(%L, %L, %L)', pg_temp.gn_get('a_s2'), pg_temp.gn_get('a_u2'), 'MAYBE'),
  '22023', 'invalid decision MAYBE: use APPROVED or REJECTED',
  'c6: a decision other than APPROVED or REJECTED is refused with 22023');

-- TEST: the refusals recorded nothing and moved nothing
select is((select count(*)::int from public.workflow_approvals where workflow_instance_id = pg_temp.gn_get('a_i')::uuid), 1,
  'c6: only the one accepted decision is recorded');
select is(pg_temp.gn_stage_status(pg_temp.gn_get('a_s2')::uuid), 'IN_PROGRESS', 'c6: the open stage is still IN_PROGRESS');
select is(pg_temp.gn_instance_status(pg_temp.gn_get('a_i')::uuid), 'IN_PROGRESS', 'c6: the instance is still IN_PROGRESS');

select * from finish();
rollback;
