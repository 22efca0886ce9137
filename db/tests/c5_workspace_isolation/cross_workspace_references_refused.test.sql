-- C5: no row may reference another workspace's rows: the composite foreign keys carry workspace_id,
-- so a master row, a stage or an approval pointing into another workspace is refused (23503), and
-- apms_app cannot write into another workspace (RLS, 42501).
begin;
\ir ../_support/helpers.psql
select plan(6);

-- SETUP: two busy workspaces; a DRAFT in each to write master rows into
do $$
begin
  perform pg_temp.gn_make_busy_workspace('a');
  perform pg_temp.gn_make_busy_workspace('b');
  perform pg_temp.gn_set('a_draft', pg_temp.gn_make_config(pg_temp.gn_get('a_ws')::uuid, 'draft.xlsx'));
  perform pg_temp.gn_set('b_draft', pg_temp.gn_make_config(pg_temp.gn_get('b_ws')::uuid, 'draft.xlsx'));
end $$;

-- TEST: master rows cannot reach into another workspace
select throws_ok(
  format($$insert into public.master_sites (workspace_id, config_version_id, region_id, site_code, site_name)
    select %L, cv.id, (select id from public.master_regions where workspace_id = %L limit 1), 'X-1', 'x'
    from public.config_versions cv where cv.id::text = %L$$, pg_temp.gn_get('a_ws'), pg_temp.gn_get('b_ws'), pg_temp.gn_get('a_draft')),
  '23503', 'insert or update on table "master_sites" violates foreign key constraint "master_sites_region_fkey"',
  'c5: a site of workspace A cannot reference a region of workspace B');
select throws_ok(
  format($$insert into public.master_regions (workspace_id, config_version_id, code, name)
    select %L, cv.id, 'RX', 'x' from public.config_versions cv where cv.id::text = %L$$, pg_temp.gn_get('a_ws'), pg_temp.gn_get('b_draft')),
  '23503', 'insert or update on table "master_regions" violates foreign key constraint "master_regions_config_version_fkey"',
  'c5: a region of workspace A cannot belong to a DRAFT config version of workspace B');

-- TEST: runtime rows cannot reach into another workspace
select throws_ok(
  format($$insert into public.workflow_stages (workspace_id, workflow_instance_id, stage_template_id, stage_order, name)
    values (%L, %L, (select id from public.master_stage_templates where workspace_id = %L limit 1), 9, 'x')$$,
    pg_temp.gn_get('a_ws'), pg_temp.gn_get('b_i'), pg_temp.gn_get('a_ws')),
  '23503', 'insert or update on table "workflow_stages" violates foreign key constraint "workflow_stages_instance_fkey"',
  'c5: a stage of workspace A cannot belong to an instance of workspace B');
select throws_ok(
  format($$insert into public.workflow_approvals (workspace_id, workflow_instance_id, workflow_stage_id, approver_id, decision)
    values (%L, %L, %L, %L, 'APPROVED')$$, pg_temp.gn_get('a_ws'), pg_temp.gn_get('a_i'), pg_temp.gn_get('b_s2'), pg_temp.gn_get('a_u2')),
  '23503', 'insert or update on table "workflow_approvals" violates foreign key constraint "workflow_approvals_stage_fkey"',
  'c5: an approval in workspace A cannot point at a stage of workspace B');
select throws_ok(
  format($$insert into public.workflow_instances (workspace_id, config_version_id, started_by)
    select %L, cv.id, %L from public.config_versions cv where cv.id::text = %L$$,
    pg_temp.gn_get('a_ws'), pg_temp.gn_get('a_u1'), pg_temp.gn_get('b_cv')),
  'ZB002', format('cannot start workflow instance on config version %s: it is missing, a new instance must use its workspace''s ACTIVE version', pg_temp.gn_get('b_cv')),
  'c5: an instance of workspace A cannot run on the ACTIVE config of workspace B');

-- TEST: apms_app in workspace A cannot write a row into workspace B
do $$ begin perform pg_temp.gn_act_as(pg_temp.gn_get('a_ws')::uuid, pg_temp.gn_get('a_u1')); end $$;
set local role apms_app;
select throws_ok(
  format($$insert into public.config_versions (workspace_id, status, source_file_name) values (%L, 'DRAFT', 'x.xlsx')$$,
    pg_temp.gn_get('b_ws')),
  '42501', 'new row violates row-level security policy for table "config_versions"',
  'c5: apms_app in workspace A cannot insert a config version into workspace B');
select * from finish();
reset role;
rollback;
