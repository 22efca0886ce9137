-- Deletes a DRAFT or SUPERSEDED config version with its master rows (the foreign keys cascade); an
-- ACTIVE one is refused by its guard (ZA001), one that running workflows use by their keys (23503).
-- A session of the application discards a version of its own workspace only (another one "does not
-- exist", ZA005), as an ACTIVE member (ZB007). apms_app holds no DELETE: this is the only way.
create or replace function public.discard_config_version(p_config_version_id public.config_versions.id%type)
returns void
language plpgsql
security definer
set search_path = pg_catalog, pg_temp
as $$
declare
  v_scope record := apms_private.caller_scope();
  v_workspace_id uuid;
begin
  select cv.workspace_id into v_workspace_id
  from public.config_versions cv
  where cv.id = discard_config_version.p_config_version_id
    and (v_scope.unrestricted or cv.workspace_id = v_scope.workspace_id);
  if not found then
    raise exception 'cannot discard config version %: it does not exist', p_config_version_id
      using errcode = 'ZA005';
  end if;
  if not v_scope.unrestricted then
    perform apms_private.require_member(v_workspace_id, v_scope.user_id, 'discard a config version');
  end if;
  delete from public.config_versions cv where cv.id = discard_config_version.p_config_version_id;
end
$$;

-- Nobody but the owner by default; the application calls it.
revoke execute on function public.discard_config_version(public.config_versions.id%type) from public;
grant execute on function public.discard_config_version(public.config_versions.id%type) to apms_app;
