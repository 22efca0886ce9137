-- audit_logs is append-only (TRUNCATE skips row triggers).
create or replace trigger trg_110_refuse_truncate
  before truncate on public.audit_logs
  for each statement execute function public.refuse_audit_log_change();
