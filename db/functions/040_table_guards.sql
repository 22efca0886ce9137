-- Guards written for one table each: the config lifecycle, freeze-by-reference, a document's
-- uploader and the append-only audit trail. Each trigger function refuses any other table (ZE001).

-- Lifecycle guard on every config_versions row change (also fires in the cascade from workspaces).
create or replace trigger trg_100_guard_config_version
  before insert or update or delete on public.config_versions
  for each row execute function public.guard_config_version();

-- TRUNCATE skips row triggers: refuse it while an ACTIVE version exists.
create or replace trigger trg_110_guard_config_version_truncate
  before truncate on public.config_versions
  for each statement execute function public.guard_config_version_truncate();

-- Freeze-by-reference: start on the ACTIVE version, never switch version.
create or replace trigger trg_100_guard_workflow_instance
  before insert or update on public.workflow_instances
  for each row execute function public.guard_workflow_instance();

-- A document names the session's own user as its uploader.
create or replace trigger trg_100_guard_stage_document
  before insert or update on public.workflow_stage_documents
  for each row execute function public.guard_stage_document();

-- audit_logs is append-only (rows).
create or replace trigger trg_100_refuse_change
  before update or delete on public.audit_logs
  for each row execute function public.refuse_audit_log_change();

-- audit_logs is append-only (TRUNCATE skips row triggers).
create or replace trigger trg_110_refuse_truncate
  before truncate on public.audit_logs
  for each statement execute function public.refuse_audit_log_change();
