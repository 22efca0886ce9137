-- Name of the status column of a workflow table: baselines call it status, workflow_status
-- (workflow_instances) or stage_status (workflow_stages). Looked up in pg_attribute at run time so
-- the same functions serve every baseline; callers use it with format('%I').
create or replace function public.status_column_of(p_table regclass)
returns text
language plpgsql
stable
set search_path = pg_catalog, pg_temp
as $$
declare
  v_columns text[];
begin
  select array_agg(a.attname::text order by a.attnum) into v_columns
  from pg_catalog.pg_attribute a
  where a.attrelid = status_column_of.p_table
    and a.attname in ('status', 'workflow_status', 'stage_status')
    and a.attnum > 0
    and not a.attisdropped;
  if v_columns is null or cardinality(v_columns) <> 1 then
    raise exception 'cannot find the status column of %: found %', p_table, coalesce(array_to_string(v_columns, ', '), 'none')
      using errcode = 'ZD001', hint = 'a workflow table needs exactly one of status, workflow_status, stage_status';
  end if;
  return v_columns[1];
end
$$;

-- Nobody but the owner: start_workflow_instance and decide_stage (definers) call it as the owner.
revoke execute on function public.status_column_of(regclass) from public;
revoke execute on function public.status_column_of(regclass) from apms_app;
