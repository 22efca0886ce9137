-- Who the audit trail names: the application's user (app.user_id) or else the login role
-- (session_user: the audit trigger runs as its definer, so current_user would name the owner).
-- No `set search_path` clause on purpose: it would stop this one-line SQL function from being
-- inlined, and the audit trigger calls it for every row (about 10 us a row, measured by
-- bench/trigger-cost.mjs). It references nothing through the search_path (its one type is qualified),
-- and the audit trigger, its only caller, pins pg_catalog first.
create or replace function public.current_actor()
returns text
language sql
stable
as $$
  select coalesce(nullif(pg_catalog.current_setting('app.user_id', true), ''), session_user::pg_catalog.text)
$$;

-- Nobody but the owner by default; only the audit trigger (as its owner) calls it.
revoke execute on function public.current_actor() from public;
