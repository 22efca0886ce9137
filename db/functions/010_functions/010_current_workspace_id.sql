-- The workspace the session acts for (app.workspace_id, set by the application per session or
-- transaction); null when unset. RLS policies call it as (select public.current_workspace_id()) so
-- it is evaluated once per statement (an initplan) and the workspace_id indexes stay usable.
create or replace function public.current_workspace_id()
returns uuid
language sql
stable
parallel safe
set search_path = pg_catalog, pg_temp
as $$
  select nullif(pg_catalog.current_setting('app.workspace_id', true), '')::uuid
$$;

-- Nobody but the owner by default; every row-level security policy calls it as the application.
revoke execute on function public.current_workspace_id() from public;
grant execute on function public.current_workspace_id() to apms_app;
