-- Refuses a user who is not an ACTIVE member (and ACTIVE user) of the workspace, or, with p_roles,
-- not one holding one of those roles (ZB007), for the functions that act in a user's name:
-- activating a config, discarding one, changing the members, removing a document.
create or replace function apms_private.require_member(
  p_workspace_id uuid,
  p_user_id text,
  p_action text,
  p_roles text[] default null
)
returns void
language plpgsql
stable
set search_path = pg_catalog, pg_temp
as $$
begin
  if not exists (select from public.workspace_members m join public.users u on u.id = m.user_id
                 where m.workspace_id = require_member.p_workspace_id and m.user_id = require_member.p_user_id
                   and m.status = 'ACTIVE' and u.status = 'ACTIVE'
                   and (require_member.p_roles is null or m.role = any (require_member.p_roles))) then
    raise exception 'user % may not %: not an ACTIVE % of workspace %', coalesce(p_user_id, 'null'), p_action,
      coalesce(pg_catalog.array_to_string(p_roles, ' or ') || ' member', 'member'), p_workspace_id
      using errcode = 'ZB007';
  end if;
end
$$;

-- Nobody but the owner: the definer functions of db/functions call it, as the owner.
revoke execute on function apms_private.require_member(uuid, text, text, text[]) from public;
