-- Benchmark setup for bench/trigger-cost.mjs (not the product), run after generate_scale_data.sql
-- with the same `workspaces` value. psql variables:
--   workspaces   the BENCH-* workspaces generate_scale_data.sql made
--   pool         workflow instances made for the stage-approval script: each starts with stage 1
--                IN_PROGRESS and stages 2-5 PENDING (5 approvals per instance)
-- Also one DRAFT config version per workspace with 50 sites, for the config-edit script.
-- Bulk load with the triggers off (session_replication_role = replica), then ANALYZE.
\set ON_ERROR_STOP on
\set QUIET on
set client_min_messages = warning;
set session_replication_role = replica;

insert into public.config_versions (id, workspace_id, status, source_file_name, created_by)
select md5('dcv' || w)::uuid, md5('ws' || w)::uuid, 'DRAFT', 'bench_draft_' || w || '.xlsx', 'bench-u' || w || '-1'
from generate_series(1, :workspaces) w;

insert into public.master_regions (id, workspace_id, config_version_id, code, name)
select md5('drg' || w)::uuid, md5('ws' || w)::uuid, md5('dcv' || w)::uuid, 'R1', 'Region 1'
from generate_series(1, :workspaces) w;

insert into public.master_sites (id, workspace_id, config_version_id, region_id, site_code, site_name, latitude, longitude)
select md5('dst' || w || '-' || s)::uuid, md5('ws' || w)::uuid, md5('dcv' || w)::uuid, md5('drg' || w)::uuid,
       'S-' || lpad(s::text, 3, '0'), 'Draft site ' || s, -6.2, 106.8
from generate_series(1, :workspaces) w, generate_series(1, 50) s;

insert into public.workflow_instances
  (id, workspace_id, config_version_id, workflow_template_id, site_id, started_by, status)
select md5('pool' || p)::uuid, md5('ws' || w)::uuid, md5('cv' || w)::uuid, md5('wt' || w)::uuid,
       md5('st' || w || '-' || (p % 50 + 1))::uuid, 'bench-u' || w || '-2', 'IN_PROGRESS'
from generate_series(1, :pool) p, lateral (select p % :workspaces + 1 as w) x;

insert into public.workflow_stages
  (id, workspace_id, workflow_instance_id, stage_template_id, stage_order, name, status, started_at)
select md5('pst' || p || '-' || k)::uuid, md5('ws' || w)::uuid, md5('pool' || p)::uuid, md5('sg' || w || '-' || k)::uuid,
       k, 'Stage ' || k, case when k = 1 then 'IN_PROGRESS' else 'PENDING' end, case when k = 1 then now() end
from generate_series(1, :pool) p, lateral (select p % :workspaces + 1 as w) x, generate_series(1, 5) k;

reset session_replication_role;
analyze public.config_versions, public.master_regions, public.master_sites, public.workflow_instances, public.workflow_stages;
