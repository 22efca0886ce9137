-- The session's workspace: its row, for the application. apms_app holds no SELECT on workspaces
-- (the migration's grants: the unique index on code is led by no workspace, so a range scan under
-- EXPLAIN ANALYZE would count every workspace's codes); this is how it reads its own.
create or replace function public.current_workspace()
returns table (id uuid, code text, name text)
language sql
stable
security definer
set search_path = pg_catalog, pg_temp
as $$
  select w.id, w.code, w.name from public.workspaces w where w.id = public.current_workspace_id()
$$;

-- Nobody but the owner by default; the application calls it.
revoke execute on function public.current_workspace() from public;
grant execute on function public.current_workspace() to apms_app;
