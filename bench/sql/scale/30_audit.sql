-- generate_scale_data.sql, part 3 of 4: audit_logs, then its indexes.
\set ON_ERROR_STOP on
\set QUIET on
set client_min_messages = warning;
set session_replication_role = replica;
set maintenance_work_mem = '512MB';
set max_parallel_maintenance_workers = 1;
set synchronous_commit = off;

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

-- rebuild the indexes dropped for the load
do $rebuild$
declare r record;
begin
  for r in select name, def from public.bench_saved_indexes where tbl in ('audit_logs') loop
    execute r.def;
  end loop;
end
$rebuild$;
