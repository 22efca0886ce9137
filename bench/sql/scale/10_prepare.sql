-- generate_scale_data.sql, part 1 of 4: drop the plain indexes of the three big tables (their
-- definitions are kept in public.bench_saved_indexes), then the workspaces, users, members, one
-- ACTIVE config version per workspace and its master rows. Parts 2 and 3 may run concurrently.
\set ON_ERROR_STOP on
\set QUIET on
set client_min_messages = warning;
set session_replication_role = replica;
set maintenance_work_mem = '512MB';
set max_parallel_maintenance_workers = 1;
set synchronous_commit = off;

-- remember and drop the plain indexes of the big tables (rebuilt at the end)
create table public.bench_saved_indexes as
select t.relname::text as tbl, i.indexrelid::regclass::text as name, pg_get_indexdef(i.indexrelid) as def
from pg_index i
join pg_class t on t.oid = i.indrelid
join pg_namespace n on n.oid = t.relnamespace
where n.nspname = 'public'
  and t.relname in ('workflow_instances', 'workflow_stages', 'audit_logs')
  and not exists (select from pg_constraint c where c.conindid = i.indexrelid);

do $drop$
declare r record;
begin
  for r in select name from public.bench_saved_indexes loop
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
