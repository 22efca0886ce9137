-- E3 end to end, as the application (apms_app, acting for approver u2): each approval is audited under the
-- approver, opens the next stage, and the last one completes the instance, with the whole
-- progression in the audit trail.
begin;
\ir ../_support/helpers.psql
select plan(11);

-- SETUP: an ACTIVE 3-stage config (owner), then the application session
do $$
begin
  perform pg_temp.gn_make_active_workspace('a', 3);
  perform pg_temp.gn_act_as(pg_temp.gn_get('a_ws')::uuid, pg_temp.gn_get('a_u2'));
end $$;
set local role apms_app;
do $$
declare
  v_i uuid := public.start_workflow_instance(pg_temp.gn_get('a_ws')::uuid, 'ATP', 'SITE-001', pg_temp.gn_get('a_u2'));
begin
  perform pg_temp.gn_set('i', v_i::text);
  perform pg_temp.gn_set('s1', (select id::text from public.workflow_stages where workflow_instance_id = v_i and stage_order = 1));
  perform pg_temp.gn_set('s2', (select id::text from public.workflow_stages where workflow_instance_id = v_i and stage_order = 2));
  perform pg_temp.gn_set('s3', (select id::text from public.workflow_stages where workflow_instance_id = v_i and stage_order = 3));
end $$;

-- TEST: stage 1 approved -> audited -> stage 2 open
select lives_ok(format('select public.decide_stage(%L, %L, %L)', pg_temp.gn_get('s1'), pg_temp.gn_get('a_u2'), 'APPROVED'),
  'e3: the application approves stage 1');
select is(
  (select count(*)::int from public.audit_logs where workspace_id = pg_temp.gn_get('a_ws')::uuid and table_name = 'workflow_approvals' and action = 'INSERT'
     and actor = pg_temp.gn_get('a_u2') and new_values ->> 'workflow_stage_id' = pg_temp.gn_get('s1')),
  1, 'e3: approving stage 1 wrote an audit row naming the approver');
select is(
  (select count(*)::int from public.audit_logs where workspace_id = pg_temp.gn_get('a_ws')::uuid and table_name = 'workflow_stages' and action = 'UPDATE'
     and row_id = pg_temp.gn_get('s2') and new_values ->> pg_temp.gn_stage_status_column() = 'IN_PROGRESS'),
  1, 'e3: the opening of stage 2 is in the audit trail');
select is(pg_temp.gn_stage_status(pg_temp.gn_get('s2')::uuid), 'IN_PROGRESS', 'e3: stage 2 is IN_PROGRESS after stage 1 is approved');

-- TEST: stage 2 approved -> stage 3 open
select lives_ok(format('select public.decide_stage(%L, %L, %L)', pg_temp.gn_get('s2'), pg_temp.gn_get('a_u2'), 'APPROVED'),
  'e3: the application approves stage 2');
select is(pg_temp.gn_stage_status(pg_temp.gn_get('s3')::uuid), 'IN_PROGRESS', 'e3: stage 3 is IN_PROGRESS after stage 2 is approved');

-- TEST: stage 3 approved -> instance complete, audited
select lives_ok(format('select public.decide_stage(%L, %L, %L)', pg_temp.gn_get('s3'), pg_temp.gn_get('a_u2'), 'APPROVED'),
  'e3: the application approves the last stage');
select is(pg_temp.gn_instance_status(pg_temp.gn_get('i')::uuid), 'COMPLETED', 'e3: the instance is COMPLETED after the last approval');
select is(
  (select count(*)::int from public.audit_logs where workspace_id = pg_temp.gn_get('a_ws')::uuid and table_name = 'workflow_instances' and action = 'UPDATE'
     and row_id = pg_temp.gn_get('i') and new_values ->> pg_temp.gn_instance_status_column() = 'COMPLETED'),
  1, 'e3: the completion of the instance is in the audit trail');
select is(
  (select count(*)::int from public.workflow_approvals where workflow_instance_id = pg_temp.gn_get('i')::uuid and decision = 'APPROVED'),
  3, 'e3: three approvals are recorded for the three stages');
select is(
  (select array_agg(pg_temp.gn_stage_status(id) order by stage_order) from public.workflow_stages where workflow_instance_id = pg_temp.gn_get('i')::uuid),
  array['APPROVED', 'APPROVED', 'APPROVED'], 'e3: every stage of the completed instance is APPROVED');

select * from finish();
reset role;
rollback;
