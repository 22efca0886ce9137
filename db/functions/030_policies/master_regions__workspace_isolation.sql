-- Workspace isolation for roles subject to RLS (apms_app): only rows of app.workspace_id, for
-- reads and writes. The initplan (select ...) keeps the predicate index-friendly.
drop policy if exists workspace_isolation on public.master_regions;
create policy workspace_isolation on public.master_regions
  using (workspace_id = (select public.current_workspace_id()))
  with check (workspace_id = (select public.current_workspace_id()));
