-- Who the audit trail names: the user of the verified request context; in an unrestricted session
-- (the owner, a DBA: apms_private.caller_scope) the app.user_id it sets; else the login role
-- (session_user: the audit trigger runs as its definer, so current_user would name the owner). A
-- session of apms_app cannot name anyone by setting app.user_id.
create or replace function public.current_actor()
returns text
language sql
stable
parallel restricted
set search_path = pg_catalog, pg_temp
as $$
  select coalesce(s.user_id,
    case when s.unrestricted then nullif(pg_catalog.current_setting('app.user_id', true), '') end,
    session_user::pg_catalog.text)
  from apms_private.caller_scope() s
$$;

-- Nobody but the owner by default; only the audit trigger (as its owner) calls it.
revoke execute on function public.current_actor() from public;
