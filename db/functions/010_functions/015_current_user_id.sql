-- The user the session acts for: its verified request context's (001_verified_context.sql), null
-- when app.context is unset. What the audit trail names, and the only user a session may name as
-- an approver, an uploader, a starter or a config's author.
create or replace function public.current_user_id()
returns text
language sql
stable
parallel restricted
security definer
set search_path = pg_catalog, pg_temp
as $$
  select c.user_id from apms_private.verified_context() c
$$;

-- Nobody but the owner by default; the application may ask who it acts for.
revoke execute on function public.current_user_id() from public;
grant execute on function public.current_user_id() to apms_app;
