-- Audit trail: runs last (900), after the guards have accepted the change.
create or replace trigger trg_900_audit
  after insert or update or delete on public.workflow_stages
  for each row execute function public.audit_row_change();
