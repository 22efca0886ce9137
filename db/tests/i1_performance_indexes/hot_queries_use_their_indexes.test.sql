-- I1: at realistic volume the planner picks the index each hot query was built for. Rows are
-- inserted inside this transaction (never ANALYZE: it would change real statistics for good) and
-- each query is EXPLAINed, not run; enable_seqscan stays on, so the choice is the planner's own.
begin;
\ir ../_support/helpers.psql
select plan(8);

-- SETUP: 1000 instances with one stage each (every tenth open) in a workspace of this file, and
-- their audit rows. The volume is what matters here, not the triggers (other checks prove those):
-- a superuser (the throwaway cluster) loads it with row triggers and foreign-key checks off for
-- this transaction (session_replication_role) and writes the audit rows the trigger would have
-- written itself, ~8x faster than 4,000 trigger calls; any other role goes through the triggers.
do $$
declare
  v_ws uuid;
  v_direct boolean := (select r.rolsuper from pg_catalog.pg_roles r where r.rolname = current_user);
begin
  perform pg_temp.gn_make_active_workspace('a', 1);
  v_ws := pg_temp.gn_get('a_ws')::uuid;
  if v_direct then
    perform set_config('session_replication_role', 'replica', true);
  end if;
  execute format($f$
    insert into public.workflow_instances (workspace_id, config_version_id, workflow_template_id, site_id, started_by, %I)
    select $1, t.config_version_id, t.id, s.id, $2, 'IN_PROGRESS'
    from public.master_workflow_templates t join public.master_sites s on s.config_version_id = t.config_version_id,
      generate_series(1, 1000)
    where t.workspace_id = $1$f$, pg_temp.gn_instance_status_column())
  using v_ws, pg_temp.gn_get('a_u1');
  execute format($f$
    insert into public.workflow_stages (workspace_id, workflow_instance_id, stage_template_id, stage_order, name, %I)
    select i.workspace_id, i.id, st.id, 1, 'Stage 1', case when row_number() over () %% 10 = 0 then 'IN_PROGRESS' else 'APPROVED' end
    from public.workflow_instances i join public.master_stage_templates st on st.config_version_id = i.config_version_id
    where i.workspace_id = $1$f$, pg_temp.gn_stage_status_column())
  using v_ws;
  if v_direct then
    insert into public.audit_logs (workspace_id, table_name, row_id, action, actor, new_values)
    select i.workspace_id, 'workflow_instances', i.id::text, 'INSERT', current_user, to_jsonb(i)
    from public.workflow_instances i where i.workspace_id = v_ws
    union all
    select s.workspace_id, 'workflow_stages', s.id::text, 'INSERT', current_user, to_jsonb(s)
    from public.workflow_stages s where s.workspace_id = v_ws;
    perform set_config('session_replication_role', 'origin', true);
  end if;
  perform pg_temp.gn_set('i', (select id::text from public.workflow_instances where workspace_id = v_ws limit 1));
end $$;

-- TEST: each hot query (docs/hot-queries.md) reads its table through an index, never a Seq Scan
select ok(
  pg_temp.gn_plan_served_by_index(format(
    'select id from public.workflow_instances where workspace_id = %L and config_version_id = %L',
    pg_temp.gn_get('a_ws'), pg_temp.gn_get('a_cv')), 'workflow_instances'),
  'i1: instances_on_config_version reads workflow_instances by index');
select ok(
  pg_temp.gn_plan_served_by_index(format(
    'select id from public.workflow_instances where workspace_id = %L and site_id = %L',
    pg_temp.gn_get('a_ws'), (select site_id::text from public.workflow_instances where id = pg_temp.gn_get('i')::uuid)),
    'workflow_instances'),
  'i1: instances_for_site reads workflow_instances by index');
select ok(
  pg_temp.gn_plan_served_by_index(format(
    'select id from public.workflow_instances where workspace_id = %L and started_by = %L', pg_temp.gn_get('a_ws'), pg_temp.gn_get('a_u1')),
    'workflow_instances'),
  'i1: instances_started_by reads workflow_instances by index');
select ok(
  pg_temp.gn_plan_served_by_index(format(
    'select id, workflow_instance_id from public.workflow_stages where workspace_id = %L and %I = %L',
    pg_temp.gn_get('a_ws'), pg_temp.gn_stage_status_column(), 'IN_PROGRESS'), 'workflow_stages'),
  'i1: open_stages_inbox reads workflow_stages by index');
select ok(
  pg_temp.gn_plan_served_by_index(format(
    'select table_name, action, changed_at from public.audit_logs where workspace_id = %L order by changed_at desc limit 50',
    pg_temp.gn_get('a_ws')), 'audit_logs'),
  'i1: audit_feed reads audit_logs by index');
select ok(
  pg_temp.gn_plan_served_by_index(format(
    'select action, changed_at from public.audit_logs where workspace_id = %L and table_name = %L and row_id = %L order by changed_at',
    pg_temp.gn_get('a_ws'), 'workflow_instances', pg_temp.gn_get('i')), 'audit_logs', 'row_id'),
  'i1: row_history reads audit_logs by index');

-- TEST: the row-level security predicate stays index-friendly: as the application role, with no
-- WHERE of its own, the read can be served by an index on workspace_id (an initplan, not a per-row
-- call). Whether the planner *prefers* the index here depends on how many workspaces the real table
-- holds (one workspace with most rows is read faster sequentially), so sequential scans are made
-- expensive: a predicate no index can serve still yields a sequential scan, and fails.
do $$ begin perform pg_temp.gn_act_as(pg_temp.gn_get('a_ws')::uuid, pg_temp.gn_get('a_u1')); end $$;
set local enable_seqscan = off;
set local role apms_app;
select ok(
  pg_temp.gn_plan_served_by_index('select id from public.workflow_instances', 'workflow_instances', 'workspace_id'),
  'i1: as apms_app, the workspace policy alone reads workflow_instances by index');
select ok(
  pg_temp.gn_plan_served_by_index('select id from public.workflow_stages', 'workflow_stages', 'workspace_id'),
  'i1: as apms_app, the workspace policy alone reads workflow_stages by index');
reset role;
reset enable_seqscan;

select * from finish();
rollback;
