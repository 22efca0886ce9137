-- audit_logs is append-only: updates, deletes and truncates are refused (ZC001) so the trail
-- cannot be rewritten, by the application or by a cascade.
create or replace function public.refuse_audit_log_change()
returns trigger
language plpgsql
set search_path = pg_catalog, pg_temp
as $$
begin
  if tg_table_schema <> 'public' or tg_table_name <> 'audit_logs' then
    perform public.refuse_foreign_table('refuse_audit_log_change', tg_table_schema, tg_table_name);
  end if;
  raise exception 'audit_logs is append-only: % refused', tg_op
    using errcode = 'ZC001',
          hint = 'audit rows are written by the audit triggers and never changed';
end
$$;

-- Nobody but the owner: triggers fire without EXECUTE on their function, attaching one needs it.
revoke execute on function public.refuse_audit_log_change() from public;
