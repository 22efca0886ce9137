-- Master rows belong to a config version and are frozen with it: inserting, updating or deleting
-- a master row of a non-DRAFT version is refused (ZA003). Deleting is allowed when the version row
-- itself is gone (the cascade of deleting a DRAFT/SUPERSEDED version) or its workspace is gone (the
-- cascade of deleting the workspace; an ACTIVE version still stops that cascade in its own guard).
-- Runs as the caller (not a definer): it describes only a version the caller can see, so a row
-- pointing at another workspace's version is refused by RLS or the foreign key, never with its status.
-- The caller's RLS shows it every version a master row of its own workspace can belong to.
create or replace function public.guard_master_row()
returns trigger
language plpgsql
set search_path = pg_catalog, pg_temp
as $$
declare
  v_status text;
begin
  if tg_table_schema <> 'public'
     or tg_table_name <> all (public.master_tables()) then
    perform public.refuse_foreign_table('guard_master_row', tg_table_schema, tg_table_name);
  end if;
  if tg_op in ('INSERT', 'UPDATE') then
    select cv.status into v_status from public.config_versions cv where cv.id = new.config_version_id;
    if found and v_status <> 'DRAFT' then
      raise exception 'cannot % % row: config version % is %, only a DRAFT version''s master rows can change',
        pg_catalog.lower(tg_op), tg_table_name, new.config_version_id, v_status
        using errcode = 'ZA003',
              hint = 'create a new DRAFT version with the change and activate it';
    end if;
  end if;

  if tg_op in ('UPDATE', 'DELETE') then
    select cv.status into v_status from public.config_versions cv where cv.id = old.config_version_id;
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
