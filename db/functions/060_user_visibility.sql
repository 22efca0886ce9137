-- What a workspace sees of users: users have no workspace of their own, they belong to workspaces
-- through workspace_members. A role subject to RLS (apms_app) sees exactly the users who are
-- members (ACTIVE or INACTIVE) of app.workspace_id: not the users, names or e-mail addresses of
-- other workspaces. apms_app holds no INSERT on workspace_members and may UPDATE only role and
-- status (migration grants), so it cannot make another workspace's user its member: bringing a user
-- into a workspace is provisioning, done by the owner role (as db/fixtures does). docs/security.md.
drop policy if exists workspace_members_only on public.users;
create policy workspace_members_only on public.users
  for select
  using (exists (select from public.workspace_members m
                 where m.workspace_id = (select public.current_workspace_id()) and m.user_id = users.id));
