-- I1: at realistic volume the planner picks the index each hot query was built for. Rows are
-- inserted inside this transaction (never ANALYZE: it would change real statistics for good) and
-- each query is EXPLAINed, not run; enable_seqscan stays on, so the choice is the planner's own.
begin;
\ir ../_support/helpers.psql
select plan(6);

-- SETUP: 2000 instances with one stage each (every tenth open) in a workspace of this file
do $$
declare
  v_ws uuid;
begin
  perform pg_temp.gn_make_active_workspace('a', 1);
  v_ws := pg_temp.gn_get('a_ws')::uuid;
  execute format($f$
    insert into public.workflow_instances (workspace_id, config_version_id, workflow_template_id, site_id, started_by, %I)
    select $1, t.config_version_id, t.id, s.id, $2, 'IN_PROGRESS'
    from public.master_workflow_templates t join public.master_sites s on s.config_version_id = t.config_version_id,
      generate_series(1, 2000)
    where t.workspace_id = $1$f$, pg_temp.gn_instance_status_column())
  using v_ws, pg_temp.gn_get('a_u1');
  execute format($f$
    insert into public.workflow_stages (workspace_id, workflow_instance_id, stage_template_id, stage_order, name, %I)
    select i.workspace_id, i.id, st.id, 1, 'Stage 1', case when row_number() over () %% 10 = 0 then 'IN_PROGRESS' else 'APPROVED' end
    from public.workflow_instances i join public.master_stage_templates st on st.config_version_id = i.config_version_id
    where i.workspace_id = $1$f$, pg_temp.gn_stage_status_column())
  using v_ws;
  perform pg_temp.gn_set('i', (select id::text from public.workflow_instances where workspace_id = v_ws limit 1));
end $$;

-- TEST: each hot query's plan uses its index (docs/hot-queries.md names query and index)
select ok(
  pg_temp.gn_plan_uses_index_on(format(
    'select id from public.workflow_instances where workspace_id = %L and config_version_id = %L', pg_temp.gn_get('a_ws'), pg_temp.gn_get('a_cv')),
    'workflow_instances', array['workspace_id', 'config_version_id']),
  'i1: instances_on_config_version uses an index led by (workspace_id, config_version_id)');
select ok(
  'idx_workflow_instances_site' = any(pg_temp.gn_plan_indexes(format(
    'select id from public.workflow_instances where workspace_id = %L and site_id = %L',
    pg_temp.gn_get('a_ws'), (select site_id::text from public.workflow_instances where id = pg_temp.gn_get('i')::uuid)))),
  'i1: instances_for_site uses idx_workflow_instances_site');
select ok(
  'idx_workflow_instances_started_by' = any(pg_temp.gn_plan_indexes(format(
    'select id, workspace_id from public.workflow_instances where started_by = %L', pg_temp.gn_get('a_u1')))),
  'i1: instances_started_by uses idx_workflow_instances_started_by');
select ok(
  'idx_workflow_stages_open' = any(pg_temp.gn_plan_indexes(format(
    'select id, workflow_instance_id from public.workflow_stages where workspace_id = %L and %I = %L',
    pg_temp.gn_get('a_ws'), pg_temp.gn_stage_status_column(), 'IN_PROGRESS'))),
  'i1: open_stages_inbox uses idx_workflow_stages_open');
select ok(
  'idx_audit_logs_workspace_changed_at' = any(pg_temp.gn_plan_indexes(format(
    'select table_name, action, changed_at from public.audit_logs where workspace_id = %L order by changed_at desc limit 50', pg_temp.gn_get('a_ws')))),
  'i1: audit_feed uses idx_audit_logs_workspace_changed_at');
select ok(
  'idx_audit_logs_table_row' = any(pg_temp.gn_plan_indexes(format(
    'select action, changed_at from public.audit_logs where table_name = %L and row_id = %L order by changed_at', 'workflow_instances', pg_temp.gn_get('i')))),
  'i1: row_history uses idx_audit_logs_table_row');

select * from finish();
rollback;
