-- Master rows of a non-DRAFT config version are frozen: trg_100_guard_master_row on every master
-- table. This list is the one list of master tables here; public.guard_master_row() refuses any
-- other table and holds the same names (orchestrator/tables.test.ts proves they agree with each
-- other and with orchestrator/tables.ts MASTER_TABLES).
do $master_guards$
declare
  v_table text;
begin
  foreach v_table in array array[
    'master_regions', 'master_sites', 'master_workflow_templates', 'master_stage_templates',
    'master_approval_rules', 'master_checklist_items', 'master_document_types'
  ] loop
    execute format(
      'create or replace trigger trg_100_guard_master_row before insert or update or delete on public.%I
         for each row execute function public.guard_master_row()', v_table);
  end loop;
end
$master_guards$;
