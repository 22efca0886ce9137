-- TRUNCATE bypasses row triggers, so an ACTIVE version could vanish without the row guard: refuse
-- it (ZA001) while any ACTIVE version exists. Security definer so RLS cannot hide an ACTIVE row.
create or replace function public.guard_config_version_truncate()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if exists (select from public.config_versions cv where cv.status = 'ACTIVE') then
    raise exception 'cannot truncate config_versions: it holds ACTIVE config versions that running workflows depend on'
      using errcode = 'ZA001',
            hint = 'delete DRAFT or SUPERSEDED versions row by row instead';
  end if;
  return null;
end
$$;
