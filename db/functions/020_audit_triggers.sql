-- The audit trail on every audited table: trg_900_audit runs last (900), after the guards have
-- accepted the change. The tables are public.audited_tables(), the one list of them, which
-- public.audit_row_change() also reads to refuse any other table. Taking a table off the list:
-- drop its trg_900_audit as well, or the function refuses that table's writes (ZE001).
do $audit_triggers$
declare
  v_table text;
begin
  foreach v_table in array public.audited_tables() loop
    execute format(
      'create or replace trigger trg_900_audit after insert or update or delete on public.%I
         for each row execute function public.audit_row_change()', v_table);
  end loop;
end
$audit_triggers$;
