-- DRAFT -> ACTIVE, superseding the workspace's current ACTIVE version in the same transaction.
-- Race-free: concurrent activations in one workspace queue on a transaction-scoped advisory lock
-- keyed on the workspace, then each re-reads under the lock, so they never collide on the partial
-- unique index config_versions_one_active_per_workspace (no unique_violation, exactly one ACTIVE).
-- The parameter takes config_versions.id's type (uuid or text) when this file is applied.
create or replace function public.activate_config_version(p_config_version_id public.config_versions.id%type)
returns void
language plpgsql
set search_path = pg_catalog, pg_temp
as $$
declare
  v_workspace_id uuid;
  v_status text;
  v_actor text;
begin
  select cv.workspace_id into v_workspace_id
  from public.config_versions cv
  where cv.id = activate_config_version.p_config_version_id;
  if not found then
    raise exception 'cannot activate config version %: it does not exist', p_config_version_id
      using errcode = 'ZA005';
  end if;

  perform pg_catalog.pg_advisory_xact_lock(
    pg_catalog.hashtextextended('gonogo.activate_config_version:' || v_workspace_id::text, 0));

  -- re-read under the lock: the session that held it may have changed this version meanwhile
  select cv.status into v_status
  from public.config_versions cv
  where cv.id = activate_config_version.p_config_version_id
  for update;
  if v_status is distinct from 'DRAFT' then
    raise exception 'cannot activate config version %: it is %, only a DRAFT version can be activated',
      p_config_version_id, coalesce(v_status, 'missing')
      using errcode = 'ZA005';
  end if;

  -- activated_by only when the actor is a known user (it is a foreign key to users)
  select u.id into v_actor from public.users u where u.id = pg_catalog.current_setting('app.user_id', true);

  update public.config_versions cv
  set status = 'SUPERSEDED', superseded_at = pg_catalog.now()
  where cv.workspace_id = v_workspace_id and cv.status = 'ACTIVE';

  update public.config_versions cv
  set status = 'ACTIVE', activated_at = pg_catalog.now(), activated_by = v_actor
  where cv.id = activate_config_version.p_config_version_id;
end
$$;

-- Nobody but the owner by default; the application calls it.
revoke execute on function public.activate_config_version(public.config_versions.id%type) from public;
grant execute on function public.activate_config_version(public.config_versions.id%type) to apms_app;
