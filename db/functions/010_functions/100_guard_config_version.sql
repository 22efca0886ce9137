-- Config lifecycle guard (BEFORE INSERT/UPDATE/DELETE on config_versions, also fired by the
-- cascade from workspaces): versions are born DRAFT and never activated (ZA004), move only
-- DRAFT -> ACTIVE -> SUPERSEDED (ZA002), are frozen once out of DRAFT (ZA003) and an ACTIVE one
-- cannot be deleted (ZA001), because running workflows and the workspace's current config depend
-- on it. A session of the application writes only its workspace's versions (42501, before any of
-- the above is said) and is their author: created_by is its user (ZB006 for anyone else).
-- Security definer: it decides from the rows as they are, never from what the caller may see.
create or replace function public.guard_config_version()
returns trigger
language plpgsql
security definer
set search_path = pg_catalog, pg_temp
as $$
declare
  -- lifecycle bookkeeping columns may change with the status; everything else is frozen
  v_lifecycle_columns text[] := array['status', 'activated_at', 'activated_by', 'superseded_at', 'updated_at'];
  v_scope record;
begin
  if tg_table_schema <> 'public' or tg_table_name <> 'config_versions' then
    perform public.refuse_foreign_table('guard_config_version', tg_table_schema, tg_table_name);
  end if;
  if tg_op = 'DELETE' then
    v_scope := apms_private.scope_of_row(tg_table_name, old.workspace_id);
    if old.status = 'ACTIVE' then
      raise exception 'cannot delete ACTIVE config version: running workflows and the workspace depend on it (id %)', old.id
        using errcode = 'ZA001',
              hint = 'activate another version first; this one then becomes SUPERSEDED';
    end if;
    return old;
  end if;

  v_scope := apms_private.scope_of_row(tg_table_name, new.workspace_id);
  if tg_op = 'INSERT' then
    if new.status is distinct from 'DRAFT' or new.activated_at is not null or new.activated_by is not null
       or new.superseded_at is not null then
      raise exception 'cannot insert config version as %: a new config version must start as DRAFT, never activated (id %)',
        coalesce(new.status, 'null'), new.id
        using errcode = 'ZA004',
              hint = 'insert it as DRAFT, load its master rows, then call public.activate_config_version()';
    end if;
    if not v_scope.unrestricted then
      if new.created_by is distinct from v_scope.user_id and new.created_by is not null then
        raise exception 'created_by % is not the session''s user %: a session authors its own config versions',
          new.created_by, v_scope.user_id
          using errcode = 'ZB006', hint = 'leave created_by empty: it is set to the session''s user';
      end if;
      new.created_by := v_scope.user_id;
    end if;
    return new;
  end if;

  if new.status is distinct from old.status
     and not ((old.status = 'DRAFT' and new.status = 'ACTIVE') or (old.status = 'ACTIVE' and new.status = 'SUPERSEDED')) then
    raise exception 'illegal config status transition % -> %: only DRAFT -> ACTIVE and ACTIVE -> SUPERSEDED are allowed (id %)',
      old.status, coalesce(new.status, 'null'), old.id
      using errcode = 'ZA002';
  end if;

  if old.status <> 'DRAFT' and (pg_catalog.to_jsonb(new) - v_lifecycle_columns) <> (pg_catalog.to_jsonb(old) - v_lifecycle_columns) then
    raise exception 'cannot change config version: it is % and frozen, only a DRAFT version can be edited (id %)', old.status, old.id
      using errcode = 'ZA003',
            hint = 'create a new DRAFT version with the change and activate it';
  end if;
  return new;
end
$$;

-- Nobody but the owner: triggers fire without EXECUTE on their function, attaching one needs it.
revoke execute on function public.guard_config_version() from public;
