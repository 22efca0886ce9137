-- C1: cascades behave for the runtime tables: deleting a workflow instance deletes its stages,
-- their approvals and their stage documents, and nothing of another instance.
begin;
\ir ../_support/helpers.psql
select plan(4);

-- SETUP: a busy workspace (an instance with a stage document and an approved first stage) and a
-- second instance of the same workspace
do $$
begin
  perform pg_temp.gn_make_busy_workspace('a');
  perform pg_temp.gn_set('i2', public.start_workflow_instance(
    pg_temp.gn_get('a_ws')::uuid, 'ATP', 'SITE-001', pg_temp.gn_get('a_u1'))::text);
end $$;

-- Stages, approvals and stage documents of an instance.
create function pg_temp.gn_runtime_rows(p_instance_id text) returns int[]
language sql stable as $$
  select array[
    (select count(*)::int from public.workflow_stages where workflow_instance_id = p_instance_id::uuid),
    (select count(*)::int from public.workflow_approvals
     where workspace_id = pg_temp.gn_get('a_ws')::uuid and workflow_instance_id = p_instance_id::uuid),
    (select count(*)::int from public.workflow_stage_documents d join public.workflow_stages s on s.id = d.workflow_stage_id
     where s.workflow_instance_id = p_instance_id::uuid)]
$$;

-- TEST: the fixture is really there before the delete
select is(pg_temp.gn_runtime_rows(pg_temp.gn_get('a_i')), array[3, 1, 1],
  'c1: the instance has 3 stages, 1 approval and 1 stage document before the delete');

-- TEST: deleting the instance removes what hangs off it
select lives_ok(format('delete from public.workflow_instances where id = %L', pg_temp.gn_get('a_i')),
  'c1: a workflow instance can be deleted');
select is(pg_temp.gn_runtime_rows(pg_temp.gn_get('a_i')), array[0, 0, 0],
  'c1: deleting an instance removes its stages, approvals and stage documents');
select is(pg_temp.gn_runtime_rows(pg_temp.gn_get('i2')), array[3, 0, 0],
  'c1: the other instance keeps its stages');

select * from finish();
rollback;
