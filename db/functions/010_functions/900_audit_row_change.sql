-- The audit trail: one audit_logs row per inserted, updated or deleted row, with the actor and the
-- old and new values. Security definer so that only this trigger writes audit_logs: the
-- application role holds no INSERT on it and cannot forge rows. Safe as a definer: pg_catalog comes
-- before pg_temp in its search_path (with an empty one, a temp type `uuid` of the caller's session
-- would be found first), every relation is schema-qualified, it refuses any table but the audited
-- ones (ZE001: a look-alike temp table cannot write the trail) and only the owner may attach it.
create or replace function public.audit_row_change()
returns trigger
language plpgsql
security definer
set search_path = pg_catalog, pg_temp
as $$
declare
  v_old jsonb;
  v_new jsonb;
  v_row jsonb;
begin
  if tg_table_schema <> 'public'
     or tg_table_name <> all (public.audited_tables()) then
    perform public.refuse_foreign_table('audit_row_change', tg_table_schema, tg_table_name);
  end if;
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

-- Nobody but the owner: triggers fire without EXECUTE on their function, attaching one needs it.
revoke execute on function public.audit_row_change() from public;
