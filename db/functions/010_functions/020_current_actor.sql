-- Who the audit trail names: the application's user (app.user_id) or else the database role.
create or replace function public.current_actor()
returns text
language sql
stable
set search_path = ''
as $$
  select coalesce(nullif(pg_catalog.current_setting('app.user_id', true), ''), current_user::text)
$$;
