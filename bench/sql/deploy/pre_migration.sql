-- The application's data before migration 20251229010228, on the uuid baseline: :workspaces
-- workspaces with 4 ACTIVE users each and one ACTIVE config version, :instances workflow instances
-- (+ 1 per workspace) with 5 stages each. Only the baseline's columns: this is what the
-- migration meets in production. Used by bench/deploy.mjs (psql -v workspaces=N -v instances=N).
\set ON_ERROR_STOP on
\set QUIET on
set client_min_messages = warning;
set maintenance_work_mem = '512MB';
set synchronous_commit = off;

insert into public.workspaces (id, code, name)
select md5('ws' || w)::uuid, 'BENCH-' || lpad(w::text, 4, '0'), 'Benchmark workspace ' || w
from generate_series(1, :workspaces) w;

insert into public.users (id, email, name, status)
select 'bench-u' || w || '-' || r, 'u' || w || '-' || r || '@bench.example', 'Bench user ' || w || '/' || r, 'ACTIVE'
from generate_series(1, :workspaces) w, generate_series(1, 4) r;

insert into public.config_versions (id, workspace_id, status, source_file_name)
select md5('cv' || w)::uuid, md5('ws' || w)::uuid, 'ACTIVE', 'bench_' || w || '.xlsx'
from generate_series(1, :workspaces) w;

-- the primary keys are rebuilt after the load (faster than maintaining them row by row)
alter table public.workflow_stages drop constraint workflow_stages_workflow_instance_id_fkey;
alter table public.workflow_stages drop constraint workflow_stages_pkey;
alter table public.workflow_instances drop constraint workflow_instances_pkey;

insert into public.workflow_instances (id, workspace_id, config_version_id, status, created_at, updated_at)
select md5('wi' || i)::uuid, md5('ws' || w)::uuid, md5('cv' || w)::uuid,
       case when i % 20 < 14 then 'COMPLETED' when i % 20 < 19 then 'IN_PROGRESS' else 'REJECTED' end,
       now() - i * interval '1 minute', now() - i * interval '1 minute'
from generate_series(1, :instances + :workspaces) i, lateral (select i % :workspaces + 1 as w) x;

insert into public.workflow_stages (id, workflow_instance_id, name, status, created_at, updated_at)
select md5('sx' || i || '-' || k)::uuid, md5('wi' || i)::uuid, 'Stage ' || k,
       case
         when i % 20 < 14 then 'APPROVED'
         when i % 20 = 19 then case when k = 1 then 'REJECTED' else 'SKIPPED' end
         when k < i % 5 + 1 then 'APPROVED'
         when k = i % 5 + 1 then 'IN_PROGRESS'
         else 'PENDING'
       end,
       now() - i * interval '1 minute', now() - i * interval '1 minute'
from generate_series(1, :instances + :workspaces) i, generate_series(1, 5) k;

alter table public.workflow_instances add constraint workflow_instances_pkey primary key (id);
alter table public.workflow_stages add constraint workflow_stages_pkey primary key (id);
alter table public.workflow_stages add constraint workflow_stages_workflow_instance_id_fkey
  foreign key (workflow_instance_id) references public.workflow_instances (id) on delete cascade;

vacuum (analyze) public.workspaces, public.users, public.config_versions, public.workflow_instances,
  public.workflow_stages;
