-- C5: EXPLAIN ANALYZE tells a session how many rows a scan visited before row-level security
-- filtered them; over an index led by anything but workspace_id, a range or equality on a value of
-- another workspace (a user id, a role, a row id) then counts that workspace's rows, and a prefix
-- search rebuilds its values. Judged from the catalog for every table apms_app reads: each index is
-- the primary key (random ids), or leads with workspace_id (the policy's own predicate then bounds
-- the scan to the session's workspace), or holds uuid columns only. Then tried as the attacker:
-- for values of workspace B, the rows an index scan visits must not depend on them.
begin;
\ir ../_support/helpers.psql
select plan(8);

-- SETUP: two busy workspaces, as the owner; B's DRAFT with its author
do $$
begin
  perform pg_temp.gn_make_busy_workspace('a');
  perform pg_temp.gn_make_busy_workspace('b');
  perform pg_temp.gn_set('b_draft', pg_temp.gn_make_config(pg_temp.gn_get('b_ws')::uuid, 'draft.xlsx'));
  update public.config_versions set created_by = pg_temp.gn_get('b_u1') where id::text = pg_temp.gn_get('b_draft');
end $$;

-- TEST: the indexes of the tables apms_app reads
select is_empty(
  $$ select i.indexrelid::regclass::text
     from pg_index i join pg_class c on c.oid = i.indrelid join pg_namespace n on n.oid = c.relnamespace
     where has_any_column_privilege('apms_app', c.oid, 'SELECT')
       and n.nspname not in ('pg_catalog', 'information_schema') and n.nspname !~ '^pg_(toast|temp_|toast_temp_)'
       and not i.indisprimary
       and not exists (select from pg_attribute a where a.attrelid = i.indrelid and a.attnum = i.indkey[0]
                       and a.attname = 'workspace_id')
       and (i.indexprs is not null
            or exists (select from unnest(i.indkey[0:i.indnkeyatts - 1]) k
                       join pg_attribute a on a.attrelid = i.indrelid and a.attnum = k
                       where a.atttypid <> 'uuid'::regtype)) $$,
  'c5: every index of a table apms_app reads is its primary key, leads with workspace_id, or holds uuid columns only');

-- TEST: as apms_app in A, an index scan visits as many rows for B's value of a column as for a
-- value nobody has (a count under a random id it knows, how many stages an instance has, is all
-- a uuid-only index may tell: docs/security.md)
do $$ begin perform pg_temp.gn_act_as(pg_temp.gn_get('a_ws')::uuid, pg_temp.gn_get('a_u1')); end $$;
set local role apms_app;
select is(
  pg_temp.gn_rows_visited(format('select from public.%I where %s', t, replace(p, '$v', quote_literal(b_value))), t),
  pg_temp.gn_rows_visited(format('select from public.%I where %s', t, replace(p, '$v', quote_literal(no_value))), t),
  format('c5: EXPLAIN ANALYZE of %s where %s counts nothing of workspace B''s values', t, replace(p, '$v', label)))
from (values
  ('workflow_approvals', 'approver_id = $v', pg_temp.gn_get('b_u2'), 'gonogo-nobody', 'b_u2'),
  ('workflow_instances', 'started_by = $v', pg_temp.gn_get('b_u1'), 'gonogo-nobody', 'b_u1'),
  ('workflow_stage_documents', 'uploaded_by = $v', pg_temp.gn_get('b_u1'), 'gonogo-nobody', 'b_u1'),
  ('config_versions', 'created_by = $v', pg_temp.gn_get('b_u1'), 'gonogo-nobody', 'b_u1'),
  ('audit_logs', 'row_id = $v', pg_temp.gn_get('b_i'), 'gonogo-nobody', 'b_i'),
  ('master_approval_rules', format('config_version_id = %L and approver_role = $v', pg_temp.gn_get('b_cv')),
    'OPERATOR_APPROVER', 'VIEWER', 'OPERATOR_APPROVER'),
  ('workflow_stages', format('workflow_instance_id = %L and stage_order = $v', pg_temp.gn_get('b_i')), '1', '99', '1')
) as probe (t, p, b_value, no_value, label);

select * from finish();
reset role;
rollback;
