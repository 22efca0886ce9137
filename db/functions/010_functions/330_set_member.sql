-- Changes a member's role and status (who may approve what, and whether at all). Only an ACTIVE
-- ADMIN of the workspace may (ZB007): a member cannot make itself an approver. Adding a member is
-- provisioning, done by the owner role. A session of the application changes members of its own
-- workspace only; a user who is not a member of it is "not a member" (ZB007), whatever else it is.
create or replace function public.set_member(p_user_id text, p_role text, p_status text default 'ACTIVE')
returns void
language plpgsql
security definer
set search_path = pg_catalog, pg_temp
as $$
declare
  v_scope record := apms_private.caller_scope();
begin
  if v_scope.unrestricted then
    raise exception 'set_member() acts for the session''s workspace: this session has none'
      using errcode = 'ZB007', hint = 'the owner changes workspace_members directly';
  end if;
  perform apms_private.require_member(v_scope.workspace_id, v_scope.user_id, 'change the members', array['ADMIN']);
  update public.workspace_members m
  set role = set_member.p_role, status = set_member.p_status
  where m.workspace_id = v_scope.workspace_id and m.user_id = set_member.p_user_id;
  if not found then
    raise exception 'user % is not a member of workspace %', p_user_id, v_scope.workspace_id
      using errcode = 'ZB007';
  end if;
end
$$;

-- Nobody but the owner by default; the application calls it.
revoke execute on function public.set_member(text, text, text) from public;
grant execute on function public.set_member(text, text, text) to apms_app;
