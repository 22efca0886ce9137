-- The members of the session's workspace with their users: what the application shows of people.
-- apms_app holds no SELECT on users or workspace_members (the migration's grants: their indexes on
-- users.id, users.email and workspace_members.user_id are led by no workspace, so a range scan
-- under EXPLAIN ANALYZE would rebuild every workspace's ids and e-mail addresses); this is how it
-- reads its own members, and nobody else.
create or replace function public.workspace_users()
returns table (user_id text, email text, name text, user_status text, role text, member_status text)
language sql
stable
security definer
set search_path = pg_catalog, pg_temp
as $$
  select u.id, u.email, u.name, u.status, m.role, m.status
  from public.workspace_members m
  join public.users u on u.id = m.user_id
  where m.workspace_id = public.current_workspace_id()
  order by u.id
$$;

-- Nobody but the owner by default; the application calls it.
revoke execute on function public.workspace_users() from public;
grant execute on function public.workspace_users() to apms_app;
