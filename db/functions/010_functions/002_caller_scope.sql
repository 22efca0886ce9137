-- Who a statement acts for, as the definer functions of db/functions see it. Unrestricted: a
-- session whose role bypasses row-level security on the application's tables (a superuser, a role
-- with BYPASSRLS, the owner of config_versions or a member of it: migrations, fixtures, a DBA).
-- Otherwise the verified request context, or no workspace at all. The session's role is SET ROLE's,
-- else the login's; never current_user, which inside a definer function is the definer.
create or replace function apms_private.caller_scope(out unrestricted boolean, out workspace_id uuid, out user_id text)
returns record
language plpgsql
stable
parallel restricted
set search_path = pg_catalog, pg_temp
as $$
declare
  v_role name := coalesce(nullif(pg_catalog.current_setting('role'), 'none'), session_user);
begin
  select r.rolsuper or r.rolbypassrls
         or pg_catalog.pg_has_role(r.oid, (select c.relowner from pg_catalog.pg_class c
                                           where c.oid = 'public.config_versions'::pg_catalog.regclass), 'USAGE')
  into unrestricted
  from pg_catalog.pg_roles r where r.rolname = v_role;
  select c.workspace_id, c.user_id into workspace_id, user_id from apms_private.verified_context() c;
end
$$;

-- Nobody but the owner: the definer functions of db/functions call it, as the owner.
revoke execute on function apms_private.caller_scope() from public;
