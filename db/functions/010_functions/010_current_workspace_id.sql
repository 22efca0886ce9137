-- The workspace the session acts for: its verified request context's (001_verified_context.sql),
-- null when app.context is unset. RLS policies call it as (select public.current_workspace_id()) so
-- it is evaluated once per statement (an initplan) and the workspace_id indexes stay usable.
-- Security definer: it reads the keys of apms_private, which apms_app cannot.
create or replace function public.current_workspace_id()
returns uuid
language sql
stable
parallel restricted
security definer
set search_path = pg_catalog, pg_temp
as $$
  select c.workspace_id from apms_private.verified_context() c
$$;

-- Nobody but the owner by default; every row-level security policy calls it as the application.
revoke execute on function public.current_workspace_id() from public;
grant execute on function public.current_workspace_id() to apms_app;
