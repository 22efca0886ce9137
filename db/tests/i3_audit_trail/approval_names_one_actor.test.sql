-- I3: one approval names one person. decide_stage records its approver in workflow_approvals while
-- the audit trigger records who acts: for a session of the application, the user of its verified
-- request context, who is then the only approver it may name (ZB006), whatever it sets (app.user_id
-- decides nothing for it). An unrestricted session (the owner, a DBA) names the actor in app.user_id
-- (then only that approver: ZB006) or leaves it unset and is audited under the approver it names.
begin;
\ir ../_support/helpers.psql
select plan(8);

-- SETUP: a workspace with two approvers and a running workflow, as the owner
do $$
declare
  v_i uuid;
begin
  perform pg_temp.gn_make_active_workspace('a', 3);
  v_i := public.start_workflow_instance(pg_temp.gn_get('a_ws')::uuid, 'ATP', 'SITE-001', pg_temp.gn_get('a_u1'));
  perform pg_temp.gn_set('s1', (select id::text from public.workflow_stages where workflow_instance_id = v_i and stage_order = 1));
  perform pg_temp.gn_set('s2', (select id::text from public.workflow_stages where workflow_instance_id = v_i and stage_order = 2));
  perform pg_temp.gn_act_as(pg_temp.gn_get('a_ws')::uuid, pg_temp.gn_get('a_u1'));
end $$;

-- TEST: the application session of u1 cannot record a decision in u2's name, even naming u2 itself
set local role apms_app;
select throws_ok(
  format('select public.decide_stage(%L, %L, %L)', pg_temp.gn_get('s1'), pg_temp.gn_get('a_u2'), 'APPROVED'),
  'ZB006',
  format('approver %s is not the session''s user %s: an approval is recorded and audited under one name',
    pg_temp.gn_get('a_u2'), pg_temp.gn_get('a_u1')),
  'i3: the session of u1 cannot approve in the name of u2');
do $$ begin perform set_config('app.user_id', pg_temp.gn_get('a_u2'), true); end $$;
select throws_ok(
  format('select public.decide_stage(%L, %L, %L)', pg_temp.gn_get('s1'), pg_temp.gn_get('a_u2'), 'APPROVED'),
  'ZB006', null, 'i3: setting app.user_id to u2 does not let the session of u1 approve as u2');
select lives_ok(
  format('select public.decide_stage(%L, %L, %L)', pg_temp.gn_get('s1'), pg_temp.gn_get('a_u1'), 'APPROVED'),
  'i3: the session of u1 approves as u1');
select is(
  (select array[a.approver_id, l.actor] from public.workflow_approvals a
   join public.audit_logs l on l.workspace_id = a.workspace_id and l.table_name = 'workflow_approvals' and l.row_id = a.id::text
   where a.workflow_stage_id = pg_temp.gn_get('s1')::uuid),
  array[pg_temp.gn_get('a_u1'), pg_temp.gn_get('a_u1')],
  'i3: the approval and its audit row name the same person, the session''s user, whatever app.user_id says');
reset role;

-- TEST: an unrestricted session names the actor in app.user_id, or is audited under the approver
do $$ begin perform set_config('app.context', '', true); perform set_config('app.user_id', pg_temp.gn_get('a_u1'), true); end $$;
select throws_ok(
  format('select public.decide_stage(%L, %L, %L)', pg_temp.gn_get('s2'), pg_temp.gn_get('a_u2'), 'APPROVED'),
  'ZB006', null, 'i3: an owner session with app.user_id u1 cannot approve in the name of u2');
do $$ begin perform set_config('app.user_id', '', true); end $$;
select lives_ok(
  format('select public.decide_stage(%L, %L, %L)', pg_temp.gn_get('s2'), pg_temp.gn_get('a_u2'), 'APPROVED'),
  'i3: an owner session without app.user_id approves as u2');
select is(
  (select array[a.approver_id, l.actor] from public.workflow_approvals a
   join public.audit_logs l on l.workspace_id = a.workspace_id and l.table_name = 'workflow_approvals' and l.row_id = a.id::text
   where a.workflow_stage_id = pg_temp.gn_get('s2')::uuid),
  array[pg_temp.gn_get('a_u2'), pg_temp.gn_get('a_u2')],
  'i3: without app.user_id, the approval is audited under its approver');
select is(nullif(current_setting('app.user_id', true), ''), null,
  'i3: decide_stage leaves app.user_id as it found it');

select * from finish();
rollback;
