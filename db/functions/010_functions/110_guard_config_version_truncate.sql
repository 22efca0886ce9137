-- TRUNCATE bypasses row triggers, so an ACTIVE version could vanish without the row guard: refuse
-- it (ZA001) while any ACTIVE version exists. Security definer so RLS cannot hide an ACTIVE row;
-- safe as one: pg_catalog before pg_temp in its search_path, every relation schema-qualified.
create or replace function public.guard_config_version_truncate()
returns trigger
language plpgsql
security definer
set search_path = pg_catalog, pg_temp
as $$
begin
  if tg_table_schema <> 'public' or tg_table_name <> 'config_versions' then
    perform public.refuse_foreign_table('guard_config_version_truncate', tg_table_schema, tg_table_name);
  end if;
  if exists (select from public.config_versions cv where cv.status = 'ACTIVE') then
    raise exception 'cannot truncate config_versions: it holds ACTIVE config versions that running workflows depend on'
      using errcode = 'ZA001',
            hint = 'delete DRAFT or SUPERSEDED versions row by row instead';
  end if;
  return null;
end
$$;

-- Nobody but the owner: triggers fire without EXECUTE on their function, attaching one needs it.
revoke execute on function public.guard_config_version_truncate() from public;
