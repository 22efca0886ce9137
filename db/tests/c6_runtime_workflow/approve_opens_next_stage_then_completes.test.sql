-- C6: start an instance, approve each stage: the approval is recorded and audited, the next stage
-- opens, and approving the last stage completes the instance.
begin;
\ir ../_support/helpers.psql
select plan(14);

-- SETUP: an ACTIVE 3-stage config and a started instance
do $$
declare
  v_i uuid;
begin
  perform pg_temp.gn_make_active_workspace('a', 3);
  v_i := public.start_workflow_instance(pg_temp.gn_get('a_ws')::uuid, 'ATP', 'SITE-001', pg_temp.gn_get('a_u1'));
  perform pg_temp.gn_set('i', v_i::text);
  perform pg_temp.gn_set('s1', (select id::text from public.workflow_stages where workflow_instance_id = v_i and stage_order = 1));
  perform pg_temp.gn_set('s2', (select id::text from public.workflow_stages where workflow_instance_id = v_i and stage_order = 2));
  perform pg_temp.gn_set('s3', (select id::text from public.workflow_stages where workflow_instance_id = v_i and stage_order = 3));
end $$;

-- TEST: the started instance
select is(pg_temp.gn_instance_status(pg_temp.gn_get('i')::uuid), 'IN_PROGRESS', 'c6: a started instance is IN_PROGRESS');
select is(pg_temp.gn_stage_status(pg_temp.gn_get('s1')::uuid), 'IN_PROGRESS', 'c6: the first stage starts IN_PROGRESS');
select is(pg_temp.gn_stage_status(pg_temp.gn_get('s2')::uuid), 'PENDING', 'c6: the second stage starts PENDING');
select is(pg_temp.gn_stage_status(pg_temp.gn_get('s3')::uuid), 'PENDING', 'c6: the third stage starts PENDING');

-- TEST: approving stage 1 records the approval, audits it and opens stage 2
select lives_ok(format('select public.decide_stage(%L, %L, %L, %L)', pg_temp.gn_get('s1'), pg_temp.gn_get('a_u2'), 'APPROVED', 'looks good'),
  'c6: an OPERATOR_APPROVER member approves the first stage');
select is((select decision from public.workflow_approvals where workflow_stage_id = pg_temp.gn_get('s1')::uuid and approver_id = pg_temp.gn_get('a_u2')),
  'APPROVED', 'c6: the approval is recorded in workflow_approvals');
select is((select count(*)::int from public.audit_logs
            where workspace_id = pg_temp.gn_get('a_ws')::uuid and table_name = 'workflow_approvals' and action = 'INSERT'
   and new_values ->> 'workflow_stage_id' = pg_temp.gn_get('s1')), 1, 'c6: the approval wrote its audit row');
select is(pg_temp.gn_stage_status(pg_temp.gn_get('s1')::uuid), 'APPROVED', 'c6: the approved stage is APPROVED');
select is(pg_temp.gn_stage_status(pg_temp.gn_get('s2')::uuid), 'IN_PROGRESS', 'c6: approving stage 1 opens stage 2');
select is(pg_temp.gn_instance_status(pg_temp.gn_get('i')::uuid), 'IN_PROGRESS', 'c6: the instance stays IN_PROGRESS between stages');

-- TEST: approving the remaining stages completes the instance
select lives_ok(format('select public.decide_stage(%L, %L, %L)', pg_temp.gn_get('s2'), pg_temp.gn_get('a_u2'), 'APPROVED'),
  'c6: the second stage is approved');
select lives_ok(format('select public.decide_stage(%L, %L, %L)', pg_temp.gn_get('s3'), pg_temp.gn_get('a_u2'), 'APPROVED'),
  'c6: the last stage is approved');
select is(pg_temp.gn_instance_status(pg_temp.gn_get('i')::uuid), 'COMPLETED', 'c6: approving the last stage completes the instance');
select isnt((select completed_at from public.workflow_instances where id = pg_temp.gn_get('i')::uuid), null,
  'c6: the completed instance records completed_at');

select * from finish();
rollback;
