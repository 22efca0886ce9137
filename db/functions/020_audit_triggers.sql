-- The audit trail on every audited table: trg_900_audit runs last (900), after the guards have
-- accepted the change. This list is the one list of audited tables; public.audit_row_change()
-- refuses any other table and holds the same names (orchestrator/tables.test.ts proves they
-- agree with each other and with orchestrator/tables.ts AUDITED_TABLES).
do $audit_triggers$
declare
  v_table text;
begin
  foreach v_table in array array[
    'config_versions', 'workflow_instances', 'workflow_stages', 'workspace_members',
    'master_regions', 'master_sites', 'master_workflow_templates', 'master_stage_templates',
    'master_approval_rules', 'master_checklist_items', 'master_document_types',
    'workflow_approvals', 'workflow_stage_documents'
  ] loop
    execute format(
      'create or replace trigger trg_900_audit after insert or update or delete on public.%I
         for each row execute function public.audit_row_change()', v_table);
  end loop;
end
$audit_triggers$;
