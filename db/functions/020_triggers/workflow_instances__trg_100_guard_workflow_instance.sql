-- Freeze-by-reference: start on the ACTIVE version, never switch version.
create or replace trigger trg_100_guard_workflow_instance
  before insert or update on public.workflow_instances
  for each row execute function public.guard_workflow_instance();
