-- Workspace isolation for roles subject to RLS (apms_app): only rows of app.workspace_id, for
-- reads and writes. The initplan (select ...) keeps the predicate index-friendly.
drop policy if exists workspace_isolation on public.workspaces;
create policy workspace_isolation on public.workspaces
  using (id = (select public.current_workspace_id()))
  with check (id = (select public.current_workspace_id()));
