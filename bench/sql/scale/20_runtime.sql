-- generate_scale_data.sql, part 2 of 4: workflow_instances and workflow_stages, then their indexes.
\set ON_ERROR_STOP on
\set QUIET on
set client_min_messages = warning;
set session_replication_role = replica;
set maintenance_work_mem = '512MB';
set max_parallel_maintenance_workers = 1;
set synchronous_commit = off;

-- workflow_instances: 70% COMPLETED, 25% IN_PROGRESS, 5% REJECTED, one a minute going back
insert into public.workflow_instances
  (id, workspace_id, config_version_id, workflow_template_id, site_id, started_by, status, created_at, updated_at, completed_at)
select md5('wi' || i)::uuid, md5('ws' || w)::uuid, md5('cv' || w)::uuid, md5('wt' || w)::uuid,
       md5('st' || w || '-' || (i / :workspaces % 50 + 1))::uuid, 'bench-u' || w || '-2',
       case when i % 20 < 14 then 'COMPLETED' when i % 20 < 19 then 'IN_PROGRESS' else 'REJECTED' end,
       now() - i * interval '1 minute', now() - i * interval '1 minute',
       case when i % 20 < 14 or i % 20 = 19 then now() - i * interval '1 minute' + interval '3 days' end
from generate_series(1, :instances) i, lateral (select i % :workspaces + 1 as w) x;

-- workflow_stages: 5 per instance, statuses consistent with the instance's
insert into public.workflow_stages
  (id, workspace_id, workflow_instance_id, stage_template_id, stage_order, name, status, started_at, decided_at, created_at, updated_at)
select md5('sx' || i || '-' || k)::uuid, md5('ws' || w)::uuid, md5('wi' || i)::uuid, md5('sg' || w || '-' || k)::uuid,
       k, 'Stage ' || k,
       case
         when i % 20 < 14 then 'APPROVED'
         when i % 20 = 19 then case when k = 1 then 'REJECTED' else 'SKIPPED' end
         when k < i % 5 + 1 then 'APPROVED'
         when k = i % 5 + 1 then 'IN_PROGRESS'
         else 'PENDING'
       end,
       now() - i * interval '1 minute', null, now() - i * interval '1 minute', now() - i * interval '1 minute'
from generate_series(1, :instances) i, lateral (select i % :workspaces + 1 as w) x, generate_series(1, 5) k;

-- rebuild the indexes dropped for the load
do $rebuild$
declare r record;
begin
  for r in select name, def from public.bench_saved_indexes where tbl in ('workflow_instances', 'workflow_stages') loop
    execute r.def;
  end loop;
end
$rebuild$;
