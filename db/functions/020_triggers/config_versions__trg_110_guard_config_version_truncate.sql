-- TRUNCATE skips row triggers: refuse it while an ACTIVE version exists.
create or replace trigger trg_110_guard_config_version_truncate
  before truncate on public.config_versions
  for each statement execute function public.guard_config_version_truncate();
