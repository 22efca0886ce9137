-- An approver decides an IN_PROGRESS stage (ZB003 otherwise). The approver must be an ACTIVE
-- member of the stage's workspace holding a role the stage's approval rules name (ZB004); a stage
-- whose rules name no role cannot be decided by anyone (ZB004): the config names its approvers.
-- The decision is recorded in workflow_approvals (the audit triggers log every change); APPROVED
-- with enough approvals (min_approvals of the rule) closes the stage and opens the next one, or
-- completes the instance after the last; REJECTED rejects the stage and the instance and skips the
-- stages left. Decisions on one instance are serialised by locking the instance row.
-- One approval names one person. A session of the application decides in its own workspace only
-- (another workspace's stage "does not exist", ZB003) and only as the user of its verified request
-- context (ZB006). An unrestricted session (the owner, a DBA) may name any approver: when it sets
-- app.user_id that must be the approver (ZB006); when it does not, the decision is audited under
-- the approver for the length of the call (app.user_id is set, then unset again).
-- Security definer: apms_app holds no write on the workflow tables, so this is the only way it
-- decides, and it reads rules, members and stages as they are.
create or replace function public.decide_stage(
  p_stage_id uuid,
  p_approver_id text,
  p_decision text,
  p_comment text default null
)
returns void
language plpgsql
security definer
set search_path = pg_catalog, pg_temp
as $$
declare
  v_instance_status_column text := public.status_column_of('public.workflow_instances');
  v_stage_status_column text := public.status_column_of('public.workflow_stages');
  v_workspace_id uuid;
  v_instance_id uuid;
  v_stage_template_id uuid;
  v_stage_status text;
  v_role text;
  v_required integer;
  v_approvals integer;
  v_next_stage_id uuid;
  v_scope record := apms_private.caller_scope();
  -- who acts: the verified context's user; in an unrestricted session, app.user_id when it is set
  v_session_user text := case when v_scope.unrestricted then nullif(pg_catalog.current_setting('app.user_id', true), '')
                              else v_scope.user_id end;
  -- an unrestricted session that names nobody is audited under the approver for the call
  v_audit_as text := case when v_scope.unrestricted and v_session_user is null then p_approver_id end;
begin
  if p_decision is null or p_decision not in ('APPROVED', 'REJECTED') then
    raise exception 'invalid decision %: use APPROVED or REJECTED', coalesce(p_decision, 'null')
      using errcode = '22023';
  end if;

  select s.workspace_id, s.workflow_instance_id into v_workspace_id, v_instance_id
  from public.workflow_stages s
  where s.id = decide_stage.p_stage_id
    and (v_scope.unrestricted or s.workspace_id = v_scope.workspace_id);
  if not found then
    raise exception 'cannot decide stage %: it does not exist in this workspace', p_stage_id
      using errcode = 'ZB003';
  end if;

  if (v_session_user is not null or not v_scope.unrestricted) and v_session_user is distinct from decide_stage.p_approver_id then
    raise exception 'approver % is not the session''s user %: an approval is recorded and audited under one name',
      p_approver_id, v_session_user
      using errcode = 'ZB006', hint = 'decide with p_approver_id = public.current_user_id() (an unrestricted session: app.user_id, or leave it unset)';
  end if;
  if v_audit_as is not null then
    perform pg_catalog.set_config('app.user_id', v_audit_as, true);
  end if;

  -- one decision at a time per instance, then re-read the stage under the lock
  perform 1 from public.workflow_instances i where i.id = v_instance_id for update;
  execute format('select s.stage_template_id, s.%I from public.workflow_stages s where s.id = $1 for update',
    v_stage_status_column)
  into v_stage_template_id, v_stage_status
  using p_stage_id;
  if v_stage_status is distinct from 'IN_PROGRESS' then
    raise exception 'cannot decide stage %: it is %, only an IN_PROGRESS stage can be decided', p_stage_id, v_stage_status
      using errcode = 'ZB003';
  end if;

  select m.role into v_role
  from public.workspace_members m
  join public.users u on u.id = m.user_id
  where m.workspace_id = v_workspace_id
    and m.user_id = decide_stage.p_approver_id
    and m.status = 'ACTIVE'
    and u.status = 'ACTIVE';
  if not found then
    raise exception 'approver % may not decide stage %: not an ACTIVE member of workspace %', p_approver_id, p_stage_id, v_workspace_id
      using errcode = 'ZB004';
  end if;

  select r.min_approvals into v_required
  from public.master_approval_rules r
  where r.workspace_id = v_workspace_id and r.stage_template_id = v_stage_template_id and r.approver_role = v_role;
  if not found then
    raise exception 'approver % may not decide stage %: role % is not an approver role of this stage', p_approver_id, p_stage_id, v_role
      using errcode = 'ZB004',
            hint = 'the stage''s approval rules (master_approval_rules) name the roles that decide it';
  end if;

  insert into public.workflow_approvals (workspace_id, workflow_instance_id, workflow_stage_id, approver_id, decision, comment)
  values (v_workspace_id, v_instance_id, p_stage_id, p_approver_id, p_decision, p_comment);

  if p_decision = 'REJECTED' then
    execute format('update public.workflow_stages s set %I = $2, decided_at = pg_catalog.now() where s.id = $1',
      v_stage_status_column)
    using p_stage_id, 'REJECTED';
    execute format('update public.workflow_stages s set %1$I = $2 where s.workflow_instance_id = $1 and s.%1$I = $3',
      v_stage_status_column)
    using v_instance_id, 'SKIPPED', 'PENDING';
    execute format('update public.workflow_instances i set %I = $2, completed_at = pg_catalog.now() where i.id = $1',
      v_instance_status_column)
    using v_instance_id, 'REJECTED';
    if v_audit_as is not null then
      perform pg_catalog.set_config('app.user_id', '', true);
    end if;
    return;
  end if;

  -- the stage stays open until its rule's min_approvals approvers of that role have approved
  select count(*) into v_approvals
  from public.workflow_approvals a
  join public.workspace_members m on m.workspace_id = a.workspace_id and m.user_id = a.approver_id
  where a.workflow_stage_id = decide_stage.p_stage_id and a.decision = 'APPROVED' and m.role = v_role;
  if v_approvals < v_required then
    if v_audit_as is not null then
      perform pg_catalog.set_config('app.user_id', '', true);
    end if;
    return;
  end if;

  execute format('update public.workflow_stages s set %I = $2, decided_at = pg_catalog.now() where s.id = $1',
    v_stage_status_column)
  using p_stage_id, 'APPROVED';

  execute format('select s.id from public.workflow_stages s where s.workflow_instance_id = $1 and s.%I = $2
                  order by s.stage_order limit 1', v_stage_status_column)
  into v_next_stage_id
  using v_instance_id, 'PENDING';

  if v_next_stage_id is not null then
    execute format('update public.workflow_stages s set %I = $2, started_at = pg_catalog.now() where s.id = $1',
      v_stage_status_column)
    using v_next_stage_id, 'IN_PROGRESS';
  else
    execute format('update public.workflow_instances i set %I = $2, completed_at = pg_catalog.now() where i.id = $1',
      v_instance_status_column)
    using v_instance_id, 'COMPLETED';
  end if;
  if v_audit_as is not null then
    perform pg_catalog.set_config('app.user_id', '', true);
  end if;
end
$$;

-- Nobody but the owner by default; the application calls it.
revoke execute on function public.decide_stage(uuid, text, text, text) from public;
grant execute on function public.decide_stage(uuid, text, text, text) to apms_app;
