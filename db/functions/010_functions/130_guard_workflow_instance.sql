-- Freeze-by-reference: a workflow instance starts on its workspace's ACTIVE config version (ZB002)
-- and keeps that version for life (ZB001), so activating a new version never changes it. A session
-- of the application writes only its workspace's instances (42501), and only through
-- public.start_workflow_instance and public.decide_stage: it holds no INSERT or UPDATE on the table.
-- Runs as the caller, which is therefore always a role that sees every row (those two functions,
-- definers, or the owner): it reads the version as it is. An instance may only name a version of
-- its own workspace, so the error describes no other workspace's version: one of another workspace
-- is "missing", exactly like one that does not exist.
create or replace function public.guard_workflow_instance()
returns trigger
language plpgsql
set search_path = pg_catalog, pg_temp
as $$
declare
  v_status text;
  v_scope record;
begin
  if tg_table_schema <> 'public' or tg_table_name <> 'workflow_instances' then
    perform public.refuse_foreign_table('guard_workflow_instance', tg_table_schema, tg_table_name);
  end if;
  v_scope := apms_private.scope_of_row(tg_table_name, new.workspace_id);
  if tg_op = 'INSERT' then
    select cv.status into v_status
    from public.config_versions cv
    where cv.id = new.config_version_id and cv.workspace_id = new.workspace_id;
    if v_status is distinct from 'ACTIVE' then
      raise exception 'cannot start workflow instance on config version %: it is %, a new instance must use its workspace''s ACTIVE version',
        new.config_version_id, coalesce(v_status, 'missing')
        using errcode = 'ZB002';
    end if;
    return new;
  end if;

  if new.config_version_id is distinct from old.config_version_id then
    raise exception 'cannot change config_version_id of workflow instance %: running workflows are frozen to the config version they started with',
      old.id
      using errcode = 'ZB001';
  end if;
  return new;
end
$$;

-- Nobody but the owner: triggers fire without EXECUTE on their function, attaching one needs it.
revoke execute on function public.guard_workflow_instance() from public;
