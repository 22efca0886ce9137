-- The audit trail: one audit_logs row per inserted, updated or deleted row, with the actor and the
-- old and new values. Security definer so that only this trigger writes audit_logs: the
-- application role holds no INSERT on it and cannot forge rows. Safe as a definer: the search_path
-- is empty and every name is schema-qualified; the row it logs is the one the caller changed.
create or replace function public.audit_row_change()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_old jsonb;
  v_new jsonb;
  v_row jsonb;
begin
  if tg_op in ('UPDATE', 'DELETE') then
    v_old := pg_catalog.to_jsonb(old);
  end if;
  if tg_op in ('INSERT', 'UPDATE') then
    v_new := pg_catalog.to_jsonb(new);
  end if;
  v_row := coalesce(v_new, v_old);
  insert into public.audit_logs (workspace_id, table_name, row_id, action, actor, old_values, new_values)
  values ((v_row ->> 'workspace_id')::uuid, tg_table_name, v_row ->> 'id', tg_op, public.current_actor(), v_old, v_new);
  return null;
end
$$;
