-- Removes a member from the session's workspace; only an ACTIVE ADMIN of it may (ZB007). A member
-- who started workflows, approved or uploaded stays (their rows reference the membership: 23503);
-- set_member(..., 'INACTIVE') retires them instead.
create or replace function public.remove_member(p_user_id text)
returns void
language plpgsql
security definer
set search_path = pg_catalog, pg_temp
as $$
declare
  v_scope record := apms_private.caller_scope();
begin
  if v_scope.unrestricted then
    raise exception 'remove_member() acts for the session''s workspace: this session has none'
      using errcode = 'ZB007', hint = 'the owner changes workspace_members directly';
  end if;
  perform apms_private.require_member(v_scope.workspace_id, v_scope.user_id, 'change the members', array['ADMIN']);
  delete from public.workspace_members m
  where m.workspace_id = v_scope.workspace_id and m.user_id = remove_member.p_user_id;
  if not found then
    raise exception 'user % is not a member of workspace %', p_user_id, v_scope.workspace_id
      using errcode = 'ZB007';
  end if;
end
$$;

-- Nobody but the owner by default; the application calls it.
revoke execute on function public.remove_member(text) from public;
grant execute on function public.remove_member(text) to apms_app;
