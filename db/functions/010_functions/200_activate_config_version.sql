-- DRAFT -> ACTIVE, superseding the workspace's current ACTIVE version in the same transaction.
-- Race-free: concurrent activations in one workspace queue on the workspace's row (FOR NO KEY
-- UPDATE: foreign key checks of new rows pass beside it), then each re-reads under the lock, so
-- they never collide on the partial unique index config_versions_one_active_per_workspace (no
-- unique_violation, exactly one ACTIVE). A row lock, not an advisory lock: apms_app can neither
-- take nor hold the lock of another workspace's row (advisory keys are any session's to take).
-- A session of the application activates a version of its own workspace only (another one is
-- "missing", ZA005, as if it did not exist) and only as an ACTIVE member of it (ZB007), recorded
-- as activated_by. The parameter takes config_versions.id's type (uuid or text) when applied.
create or replace function public.activate_config_version(p_config_version_id public.config_versions.id%type)
returns void
language plpgsql
security definer
set search_path = pg_catalog, pg_temp
as $$
declare
  v_scope record;
  v_workspace_id uuid;
  v_status text;
  v_actor text;
begin
  v_scope := apms_private.caller_scope();
  select cv.workspace_id into v_workspace_id
  from public.config_versions cv
  where cv.id = activate_config_version.p_config_version_id
    and (v_scope.unrestricted or cv.workspace_id = v_scope.workspace_id);
  if not found then
    raise exception 'cannot activate config version %: it does not exist', p_config_version_id
      using errcode = 'ZA005';
  end if;
  if v_scope.unrestricted then
    -- activated_by only when the actor is a known user (it is a foreign key to users)
    select u.id into v_actor from public.users u where u.id = public.current_actor();
  else
    perform apms_private.require_member(v_workspace_id, v_scope.user_id, 'activate a config version');
    v_actor := v_scope.user_id;
  end if;

  perform from public.workspaces w where w.id = v_workspace_id for no key update;

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
