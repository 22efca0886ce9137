-- Master rows belong to a config version and are frozen with it: inserting, updating or deleting
-- a master row of a non-DRAFT version is refused (ZA003). Deleting is allowed when the version row
-- itself is gone (the cascade of deleting a DRAFT/SUPERSEDED version) or its workspace is gone (the
-- cascade of deleting the workspace; an ACTIVE version still stops that cascade in its own guard).
-- A session of the application writes only its workspace's rows (42501, before the version is
-- looked at, so no other workspace's version is ever described).
-- Security definer: it reads the version as it is, never what the caller may see of it; a session
-- that changes app.context or any setting in the middle of a statement changes nothing here.
create or replace function public.guard_master_row()
returns trigger
language plpgsql
security definer
set search_path = pg_catalog, pg_temp
as $$
declare
  v_status text;
  v_scope record;
begin
  if tg_table_schema <> 'public'
     or tg_table_name <> all (public.master_tables()) then
    perform public.refuse_foreign_table('guard_master_row', tg_table_schema, tg_table_name);
  end if;
  if tg_op in ('INSERT', 'UPDATE') then
    v_scope := apms_private.scope_of_row(tg_table_name, new.workspace_id);
    select cv.status into v_status from public.config_versions cv
    where cv.id = new.config_version_id and cv.workspace_id = new.workspace_id;
    if found and v_status <> 'DRAFT' then
      raise exception 'cannot % % row: config version % is %, only a DRAFT version''s master rows can change',
        pg_catalog.lower(tg_op), tg_table_name, new.config_version_id, v_status
        using errcode = 'ZA003',
              hint = 'create a new DRAFT version with the change and activate it';
    end if;
  end if;

  if tg_op in ('UPDATE', 'DELETE') then
    v_scope := apms_private.scope_of_row(tg_table_name, old.workspace_id);
    select cv.status into v_status from public.config_versions cv
    where cv.id = old.config_version_id and cv.workspace_id = old.workspace_id;
    if found and v_status <> 'DRAFT' then
      if tg_op = 'DELETE' and not exists (select from public.workspaces w where w.id = old.workspace_id) then
        return old;
      end if;
      raise exception 'cannot % % row: config version % is %, only a DRAFT version''s master rows can change',
        pg_catalog.lower(tg_op), tg_table_name, old.config_version_id, v_status
        using errcode = 'ZA003',
              hint = 'create a new DRAFT version with the change and activate it';
    end if;
  end if;

  if tg_op = 'DELETE' then
    return old;
  end if;
  return new;
end
$$;

-- Nobody but the owner: triggers fire without EXECUTE on their function, attaching one needs it.
revoke execute on function public.guard_master_row() from public;
