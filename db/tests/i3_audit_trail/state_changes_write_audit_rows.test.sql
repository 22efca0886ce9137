-- I3: every state change writes its audit row, with actor, old and new values, in the same
-- transaction: config insert and activation, instance start (instance and stages), decision.
begin;
\ir ../_support/helpers.psql
select plan(7);

-- SETUP: an actor, a workspace with a member, a loaded DRAFT; the owner does the changes
do $$
declare
  v_ws uuid := pg_temp.gn_make_workspace();
  v_u text := pg_temp.gn_make_user();
  v_cv text;
  v_i uuid;
begin
  perform set_config('app.user_id', v_u, true);
  perform pg_temp.gn_make_member(v_ws, v_u);
  v_cv := pg_temp.gn_make_config(v_ws);
  perform pg_temp.gn_load_config(v_ws, v_cv, 2);
  perform pg_temp.gn_activate(v_cv);
  v_i := public.start_workflow_instance(v_ws, 'ATP', 'SITE-001', v_u);
  perform public.decide_stage((select id from public.workflow_stages where workflow_instance_id = v_i and stage_order = 1), v_u, 'APPROVED');
  perform pg_temp.gn_set('ws', v_ws::text);
  perform pg_temp.gn_set('u', v_u);
  perform pg_temp.gn_set('cv', v_cv);
  perform pg_temp.gn_set('i', v_i::text);
end $$;

-- TEST: the config version's life is audited
select is(
  (select count(*)::int from public.audit_logs
   where workspace_id = pg_temp.gn_get('ws')::uuid and table_name = 'config_versions' and row_id = pg_temp.gn_get('cv') and action = 'INSERT'),
  1, 'i3: inserting a config version writes an INSERT audit row');
select is(
  (select old_values ->> 'status' || '->' || (new_values ->> 'status') from public.audit_logs
   where workspace_id = pg_temp.gn_get('ws')::uuid and table_name = 'config_versions' and row_id = pg_temp.gn_get('cv') and action = 'UPDATE'),
  'DRAFT->ACTIVE', 'i3: activating a config version writes an UPDATE audit row with old and new status');
select is(
  (select count(*)::int from public.audit_logs where table_name like 'master_%' and workspace_id = pg_temp.gn_get('ws')::uuid and action = 'INSERT'),
  11, 'i3: every master row loaded into the version is audited');

-- TEST: the runtime is audited
select is(
  (select count(*)::int from public.audit_logs
   where workspace_id = pg_temp.gn_get('ws')::uuid and table_name = 'workflow_instances' and row_id = pg_temp.gn_get('i') and action = 'INSERT'),
  1, 'i3: starting a workflow writes an INSERT audit row for the instance');
select is(
  (select count(*)::int from public.audit_logs where table_name = 'workflow_stages' and workspace_id = pg_temp.gn_get('ws')::uuid and action = 'INSERT'),
  2, 'i3: starting a workflow writes an INSERT audit row per stage');
select is(
  (select count(*)::int from public.audit_logs where table_name = 'workflow_approvals' and workspace_id = pg_temp.gn_get('ws')::uuid and action = 'INSERT'),
  1, 'i3: a decision writes an INSERT audit row for the approval');

-- TEST: every audit row of the workspace names the actor and this transaction
select is_empty(
  format($$select id from public.audit_logs where workspace_id = %L and (actor <> %L or txid <> txid_current())$$,
    pg_temp.gn_get('ws'), pg_temp.gn_get('u')),
  'i3: every audit row names app.user_id as actor and the transaction that made the change');

select * from finish();
rollback;
