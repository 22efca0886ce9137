-- Starts a site-acceptance workflow on the workspace's ACTIVE config (ZB002 if none): the
-- instance (IN_PROGRESS) references that version for life, and gets one stage per stage template,
-- the first IN_PROGRESS, the rest PENDING. Unknown template or site code: ZB005.
-- A session of the application starts instances in its own workspace only (another workspace reads
-- as one without an ACTIVE version: ZB002, the same words) and in its own user's name (ZB006).
-- Security definer: apms_app holds no INSERT on workflow_instances or workflow_stages, so this is
-- the only way it starts a workflow, and it reads the config as it is.
create or replace function public.start_workflow_instance(
  p_workspace_id uuid,
  p_template_code text,
  p_site_code text,
  p_started_by text
)
returns uuid
language plpgsql
security definer
set search_path = pg_catalog, pg_temp
as $$
declare
  v_config_version_id public.config_versions.id%type;
  v_template_id uuid;
  v_site_id uuid;
  v_instance_id uuid := pg_catalog.gen_random_uuid();
  v_instance_status_column text := public.status_column_of('public.workflow_instances');
  v_stage_status_column text := public.status_column_of('public.workflow_stages');
  v_stage record;
  v_stages integer := 0;
  v_scope record := apms_private.caller_scope();
begin
  select cv.id into v_config_version_id
  from public.config_versions cv
  where cv.workspace_id = start_workflow_instance.p_workspace_id and cv.status = 'ACTIVE'
    and (v_scope.unrestricted or cv.workspace_id = v_scope.workspace_id);
  if not found then
    raise exception 'cannot start a workflow in workspace %: it has no ACTIVE config version', p_workspace_id
      using errcode = 'ZB002', hint = 'activate a config version with public.activate_config_version()';
  end if;
  if not v_scope.unrestricted and p_started_by is distinct from v_scope.user_id then
    raise exception 'starter % is not the session''s user %: a workflow is started in its user''s name',
      p_started_by, v_scope.user_id
      using errcode = 'ZB006', hint = 'start it with p_started_by = public.current_user_id()';
  end if;

  select t.id into v_template_id
  from public.master_workflow_templates t
  where t.workspace_id = start_workflow_instance.p_workspace_id
    and t.config_version_id = v_config_version_id
    and t.code = start_workflow_instance.p_template_code;
  if not found then
    raise exception 'cannot start a workflow: template % not found in the ACTIVE config version % of workspace %',
      p_template_code, v_config_version_id, p_workspace_id
      using errcode = 'ZB005';
  end if;

  select s.id into v_site_id
  from public.master_sites s
  where s.workspace_id = start_workflow_instance.p_workspace_id
    and s.config_version_id = v_config_version_id
    and s.site_code = start_workflow_instance.p_site_code;
  if not found then
    raise exception 'cannot start a workflow: site % not found in the ACTIVE config version % of workspace %',
      p_site_code, v_config_version_id, p_workspace_id
      using errcode = 'ZB005';
  end if;

  execute format(
    'insert into public.workflow_instances (id, workspace_id, config_version_id, workflow_template_id, site_id, started_by, %I)
     values ($1, $2, $3, $4, $5, $6, $7)', v_instance_status_column)
  using v_instance_id, p_workspace_id, v_config_version_id, v_template_id, v_site_id, p_started_by, 'IN_PROGRESS';

  for v_stage in
    select st.id, st.stage_order, st.name
    from public.master_stage_templates st
    where st.workspace_id = start_workflow_instance.p_workspace_id
      and st.config_version_id = v_config_version_id
      and st.workflow_template_id = v_template_id
    order by st.stage_order
  loop
    execute format(
      'insert into public.workflow_stages (id, workspace_id, workflow_instance_id, stage_template_id, stage_order, name, started_at, %I)
       values ($1, $2, $3, $4, $5, $6, $7, $8)', v_stage_status_column)
    using pg_catalog.gen_random_uuid(), p_workspace_id, v_instance_id, v_stage.id, v_stage.stage_order, v_stage.name,
      case when v_stages = 0 then pg_catalog.now() end,
      case when v_stages = 0 then 'IN_PROGRESS' else 'PENDING' end;
    v_stages := v_stages + 1;
  end loop;

  if v_stages = 0 then
    raise exception 'cannot start a workflow: template % has no stage templates in config version %',
      p_template_code, v_config_version_id
      using errcode = 'ZB005';
  end if;
  return v_instance_id;
end
$$;

-- Nobody but the owner by default; the application calls it.
revoke execute on function public.start_workflow_instance(uuid, text, text, text) from public;
grant execute on function public.start_workflow_instance(uuid, text, text, text) to apms_app;
