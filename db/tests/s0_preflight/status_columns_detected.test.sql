-- Section 0, step 4: the status columns of workflow_instances and workflow_stages are named
-- status/workflow_status and status/stage_status depending on the environment; exactly one each.
begin;
\ir ../_support/helpers.psql
select plan(4);

-- TEST: each table has exactly one of its candidate status columns, reported to the orchestrator
select diag('section0.statusColumn: ' || pg_temp.gn_instance_status_column())
where pg_temp.gn_instance_status_column() is not null;
select diag('section0.stageStatusColumn: ' || pg_temp.gn_stage_status_column())
where pg_temp.gn_stage_status_column() is not null;

select is(
  (select count(*)::int from unnest(array['status', 'workflow_status']) c
   where pg_temp.gn_column_type('workflow_instances', c) is not null),
  1,
  's0: workflow_instances has exactly one status column (status or workflow_status)'
);
select is(
  (select count(*)::int from unnest(array['status', 'stage_status']) c
   where pg_temp.gn_column_type('workflow_stages', c) is not null),
  1,
  's0: workflow_stages has exactly one status column (status or stage_status)'
);


-- TEST: the migration's status checks guard the detected columns
select matches(
  coalesce((select pg_get_constraintdef(oid) from pg_constraint where conname = 'workflow_instances_status_check'
    and conrelid = to_regclass('public.workflow_instances')), 'missing'),
  quote_ident(coalesce(pg_temp.gn_instance_status_column(), '?')) || ' = ANY',
  's0: workflow_instances_status_check is on the detected instance status column');
select matches(
  coalesce((select pg_get_constraintdef(oid) from pg_constraint where conname = 'workflow_stages_status_check'
    and conrelid = to_regclass('public.workflow_stages')), 'missing'),
  quote_ident(coalesce(pg_temp.gn_stage_status_column(), '?')) || ' = ANY',
  's0: workflow_stages_status_check is on the detected stage status column');

select * from finish();
rollback;
