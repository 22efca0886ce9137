-- audit_logs is append-only (rows).
create or replace trigger trg_100_refuse_change
  before update or delete on public.audit_logs
  for each row execute function public.refuse_audit_log_change();
