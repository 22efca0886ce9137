-- Master rows of a non-DRAFT config version are frozen: trg_100_guard_master_row on every master
-- table. The tables are public.master_tables(), the one list of them, which
-- public.guard_master_row() also reads to refuse any other table. Taking a table off the list:
-- drop its trg_100_guard_master_row as well, or the function refuses that table's writes (ZE001).
do $master_guards$
declare
  v_table text;
begin
  foreach v_table in array public.master_tables() loop
    execute format(
      'create or replace trigger trg_100_guard_master_row before insert or update or delete on public.%I
         for each row execute function public.guard_master_row()', v_table);
  end loop;
end
$master_guards$;
