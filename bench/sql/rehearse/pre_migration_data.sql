-- Rows for a pre-migration database (one of db/baselines loaded, nothing else): workspaces, users,
-- config versions (one ACTIVE and one SUPERSEDED per workspace), workflow instances and their
-- stages, in whichever status columns the baseline has (status | workflow_status, status |
-- stage_status). Defines pg_temp.gonogo_fill(workspaces, instances, stages_per_instance); the
-- caller runs `select pg_temp.gonogo_fill(...)` on the same session. Used by the rehearse tests
-- (small volumes) and bench/rehearse.mjs (1M instances / 5M stages). Deterministic ids (md5).
create or replace function pg_temp.gonogo_fill(p_workspaces int, p_instances int, p_stages int)
returns void
language plpgsql
as $fill$
declare
  v_cv_type text;
  v_wi_status text;
  v_ws_status text;
begin
  select format_type(atttypid, atttypmod) into v_cv_type from pg_attribute
  where attrelid = 'public.config_versions'::regclass and attname = 'id';
  select attname into v_wi_status from pg_attribute
  where attrelid = 'public.workflow_instances'::regclass and attname in ('status', 'workflow_status') and not attisdropped;
  select attname into v_ws_status from pg_attribute
  where attrelid = 'public.workflow_stages'::regclass and attname in ('status', 'stage_status') and not attisdropped;

  insert into public.workspaces (id, code, name)
  select md5('ws' || w)::uuid, 'OPCO-' || lpad(w::text, 4, '0'), 'Operating company ' || w
  from generate_series(1, p_workspaces) w;

  insert into public.users (id, email, name, status)
  select 'u' || w || '-' || r, 'u' || w || '-' || r || '@example.com', 'User ' || w || '/' || r, 'ACTIVE'
  from generate_series(1, p_workspaces) w, generate_series(1, 3) r;

  -- version 1 SUPERSEDED, version 2 ACTIVE, per workspace
  execute format($q$
    insert into public.config_versions (id, workspace_id, status, source_file_name)
    select md5('cv' || w || '-' || v)::uuid::%1$s, md5('ws' || w)::uuid,
           case v when 1 then 'SUPERSEDED' else 'ACTIVE' end, 'config_' || w || '_v' || v || '.xlsx'
    from generate_series(1, %2$s) w, generate_series(1, 2) v$q$, v_cv_type, p_workspaces);

  execute format($q$
    insert into public.workflow_instances (id, workspace_id, config_version_id, %1$I, created_at)
    select md5('wi' || i)::uuid, md5('ws' || (i %% %2$s + 1))::uuid,
           md5('cv' || (i %% %2$s + 1) || '-' || (1 + i %% 2))::uuid::%3$s,
           case when i %% 5 = 0 then 'COMPLETED' else 'IN_PROGRESS' end,
           now() - (i %% 1000) * interval '1 hour'
    from generate_series(1, %4$s) i$q$, v_wi_status, p_workspaces, v_cv_type, p_instances);

  execute format($q$
    insert into public.workflow_stages (id, workflow_instance_id, name, %1$I)
    select md5('st' || i || '-' || s)::uuid, md5('wi' || i)::uuid, 'Stage ' || s,
           case when s = 1 then 'APPROVED' when s = 2 then 'IN_PROGRESS' else 'PENDING' end
    from generate_series(1, %2$s) i, generate_series(1, %3$s) s$q$, v_ws_status, p_instances, p_stages);
end
$fill$;
