-- Lifecycle guard on every config_versions row change (also fires in the cascade from workspaces).
create or replace trigger trg_100_guard_config_version
  before insert or update or delete on public.config_versions
  for each row execute function public.guard_config_version();
