-- Master rows of a non-DRAFT config version are frozen.
create or replace trigger trg_100_guard_master_row
  before insert or update or delete on public.master_regions
  for each row execute function public.guard_master_row();
