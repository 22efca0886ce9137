-- audit_logs is append-only: updates, deletes and truncates are refused (ZC001) so the trail
-- cannot be rewritten, by the application or by a cascade.
create or replace function public.refuse_audit_log_change()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  raise exception 'audit_logs is append-only: % refused', tg_op
    using errcode = 'ZC001',
          hint = 'audit rows are written by the audit triggers and never changed';
end
$$;
