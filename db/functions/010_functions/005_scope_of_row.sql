-- The scope of a session that writes a row of p_workspace_id (apms_private.caller_scope), refusing
-- the row first when it lies outside the session's workspace. The guards call it before they look
-- at anything: BEFORE triggers run before row-level security checks a new row, so a guard that
-- looked first (a config version's status, say) would describe another workspace's rows to the
-- session. The refusal is row-level security's own, word for word (42501).
create or replace function apms_private.scope_of_row(
  p_table text,
  p_workspace_id uuid,
  out unrestricted boolean,
  out workspace_id uuid,
  out user_id text
)
returns record
language plpgsql
stable
parallel restricted
set search_path = pg_catalog, pg_temp
as $$
begin
  select s.unrestricted, s.workspace_id, s.user_id into unrestricted, workspace_id, user_id
  from apms_private.caller_scope() s;
  if not unrestricted and (scope_of_row.workspace_id is null or p_workspace_id is distinct from scope_of_row.workspace_id) then
    raise exception 'new row violates row-level security policy for table "%"', p_table
      using errcode = '42501';
  end if;
end
$$;

-- Nobody but the owner: the guards of db/functions (definers) call it, as the owner.
revoke execute on function apms_private.scope_of_row(text, uuid) from public;
