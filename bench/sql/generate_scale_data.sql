-- Benchmark setup (not the product): fills a migrated database with other workspaces' data so the
-- suite runs against realistic volumes. psql variables (all required):
--   workspaces   number of extra workspaces (BENCH-0001 ...), each with one ACTIVE config version
--   instances    workflow_instances rows, spread over those workspaces
--   audit_rows   audit_logs rows
-- workflow_stages gets 5 rows per instance (one per stage template).
--
-- Ids are md5-derived uuids (random-looking, like gen_random_uuid(), but computable), so child rows
-- find their parents without joins. The load runs with session_replication_role = replica: the
-- guard, audit and foreign-key triggers are off for the bulk insert (the generator keeps the rows
-- consistent itself), and the plain idx_* indexes of the three big tables are dropped for the load
-- and rebuilt afterwards (constraint indexes stay live), then everything is ANALYZEd.
--
--   psql -X -v ON_ERROR_STOP=1 -v workspaces=500 -v instances=1000000 -v audit_rows=10000000 \
--        -d DB -f bench/sql/generate_scale_data.sql
\set ON_ERROR_STOP on
\set QUIET on
set client_min_messages = warning;
set session_replication_role = replica;
set maintenance_work_mem = '1GB';
set max_parallel_maintenance_workers = 2;
set synchronous_commit = off;

-- remember and drop the plain indexes of the big tables (rebuilt at the end)
create temp table bench_saved_indexes as
select i.indexrelid::regclass::text as name, pg_get_indexdef(i.indexrelid) as def
from pg_index i
join pg_class t on t.oid = i.indrelid
join pg_namespace n on n.oid = t.relnamespace
where n.nspname = 'public'
  and t.relname in ('workflow_instances', 'workflow_stages', 'audit_logs')
  and not exists (select from pg_constraint c where c.conindid = i.indexrelid);

do $drop$
declare r record;
begin
  for r in select name from bench_saved_indexes loop
    execute 'drop index ' || r.name;
  end loop;
end
$drop$;

-- workspaces, users (4 per workspace, all members), one ACTIVE config version each
insert into public.workspaces (id, code, name)
select md5('ws' || w)::uuid, 'BENCH-' || lpad(w::text, 4, '0'), 'Benchmark workspace ' || w
from generate_series(1, :workspaces) w;

insert into public.users (id, email, name, status)
select 'bench-u' || w || '-' || r, 'u' || w || '-' || r || '@bench.example', 'Bench user ' || w || '/' || r, 'ACTIVE'
from generate_series(1, :workspaces) w, generate_series(1, 4) r;

insert into public.workspace_members (workspace_id, user_id, role, status)
select md5('ws' || w)::uuid, 'bench-u' || w || '-' || r,
       (array['OPERATOR_APPROVER', 'VENDOR_PM', 'VENDOR_ENGINEER', 'QA_REVIEWER'])[r], 'ACTIVE'
from generate_series(1, :workspaces) w, generate_series(1, 4) r;

insert into public.config_versions (id, workspace_id, status, source_file_name, created_by, activated_at, activated_by)
select md5('cv' || w)::uuid, md5('ws' || w)::uuid, 'ACTIVE', 'bench_' || w || '.xlsx',
       'bench-u' || w || '-1', now(), 'bench-u' || w || '-1'
from generate_series(1, :workspaces) w;

-- master rows: 2 regions, 50 sites, 1 workflow template with 5 stages, rules, checklist, documents
insert into public.master_regions (id, workspace_id, config_version_id, code, name)
select md5('rg' || w || '-' || r)::uuid, md5('ws' || w)::uuid, md5('cv' || w)::uuid, 'R' || r, 'Region ' || r
from generate_series(1, :workspaces) w, generate_series(1, 2) r;

insert into public.master_sites (id, workspace_id, config_version_id, region_id, site_code, site_name, latitude, longitude)
select md5('st' || w || '-' || s)::uuid, md5('ws' || w)::uuid, md5('cv' || w)::uuid,
       md5('rg' || w || '-' || (s % 2 + 1))::uuid, 'S-' || lpad(s::text, 3, '0'), 'Site ' || s,
       -6 + s / 100.0, 106 + s / 100.0
from generate_series(1, :workspaces) w, generate_series(1, 50) s;

insert into public.master_workflow_templates (id, workspace_id, config_version_id, code, name)
select md5('wt' || w)::uuid, md5('ws' || w)::uuid, md5('cv' || w)::uuid, 'SITE-ACCEPTANCE', 'Site acceptance'
from generate_series(1, :workspaces) w;

insert into public.master_stage_templates (id, workspace_id, config_version_id, workflow_template_id, stage_order, code, name)
select md5('sg' || w || '-' || k)::uuid, md5('ws' || w)::uuid, md5('cv' || w)::uuid, md5('wt' || w)::uuid,
       k, 'STAGE_' || k, 'Stage ' || k
from generate_series(1, :workspaces) w, generate_series(1, 5) k;

insert into public.master_approval_rules (workspace_id, config_version_id, stage_template_id, approver_role, min_approvals)
select md5('ws' || w)::uuid, md5('cv' || w)::uuid, md5('sg' || w || '-' || k)::uuid,
       case when k % 2 = 1 then 'VENDOR_PM' else 'OPERATOR_APPROVER' end, 1
from generate_series(1, :workspaces) w, generate_series(1, 5) k;

insert into public.master_checklist_items (workspace_id, config_version_id, stage_template_id, item_code, description, sort_order)
select md5('ws' || w)::uuid, md5('cv' || w)::uuid, md5('sg' || w || '-' || k)::uuid, 'ITEM_' || k, 'Checklist item ' || k, 1
from generate_series(1, :workspaces) w, generate_series(1, 5) k;

insert into public.master_document_types (workspace_id, config_version_id, stage_template_id, code, name, file_extension)
select md5('ws' || w)::uuid, md5('cv' || w)::uuid, md5('sg' || w || '-' || k)::uuid, 'DOC_' || k, 'Document ' || k, 'pdf'
from generate_series(1, :workspaces) w, generate_series(1, 5) k;

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

-- audit_logs: alternating instance and stage changes of those workspaces
insert into public.audit_logs (id, workspace_id, table_name, row_id, action, actor, old_values, new_values, changed_at, txid)
select md5('al' || j)::uuid, md5('ws' || w)::uuid,
       case when j % 2 = 0 then 'workflow_instances' else 'workflow_stages' end,
       case when j % 2 = 0 then md5('wi' || i)::uuid::text else md5('sx' || i || '-' || (j % 5 + 1))::uuid::text end,
       case when j % 3 = 0 then 'INSERT' else 'UPDATE' end,
       'bench-u' || w || '-' || (j % 4 + 1),
       case when j % 3 = 0 then null else jsonb_build_object('status', 'PENDING') end,
       jsonb_build_object('status', 'APPROVED', 'workspace_id', md5('ws' || w)::uuid),
       now() - j * interval '6 seconds', 1000000 + j / 3
from generate_series(1, :audit_rows) j,
     lateral (select (j - 1) % :instances + 1 as i) y,
     lateral (select i % :workspaces + 1 as w) x;

-- rebuild the dropped indexes
do $rebuild$
declare r record;
begin
  for r in select name, def from bench_saved_indexes loop
    execute r.def;
  end loop;
end
$rebuild$;

reset session_replication_role;
vacuum (analyze) public.workspaces, public.users, public.workspace_members, public.config_versions,
  public.master_regions, public.master_sites, public.master_workflow_templates, public.master_stage_templates,
  public.master_approval_rules, public.master_checklist_items, public.master_document_types,
  public.workflow_instances, public.workflow_stages, public.audit_logs;
