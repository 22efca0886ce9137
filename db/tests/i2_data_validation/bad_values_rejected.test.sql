-- I2: invalid values are rejected by named constraints: CHECK (23514), NOT NULL (23502),
-- UNIQUE (23505) and FOREIGN KEY (23503), each pinned by SQLSTATE and constraint name.
begin;
\ir ../_support/helpers.psql
select plan(12);

-- SETUP: a workspace with a member and a loaded DRAFT, and a started instance elsewhere
do $$
declare
  v_ws uuid := pg_temp.gn_make_workspace();
  v_u text := pg_temp.gn_make_user();
  v_cv text := pg_temp.gn_make_config(v_ws);
begin
  perform pg_temp.gn_make_member(v_ws, v_u);
  perform pg_temp.gn_load_config(v_ws, v_cv, 1);
  perform pg_temp.gn_make_active_workspace('a', 1);
  perform pg_temp.gn_set('i', public.start_workflow_instance(pg_temp.gn_get('a_ws')::uuid, 'ATP', 'SITE-001', pg_temp.gn_get('a_u1'))::text);
  perform pg_temp.gn_set('ws', v_ws::text);
  perform pg_temp.gn_set('u', v_u);
  perform pg_temp.gn_set('cv', v_cv);
  perform pg_temp.gn_set('region', (select id::text from public.master_regions where workspace_id = v_ws));
end $$;

-- TEST: CHECK constraints (23514)
select throws_ok(
  format($$insert into public.master_sites (workspace_id, config_version_id, region_id, site_code, site_name, latitude)
    select workspace_id, config_version_id, id, 'SITE-LAT', 'bad latitude', 91 from public.master_regions where id = %L$$, pg_temp.gn_get('region')),
  '23514', 'new row for relation "master_sites" violates check constraint "master_sites_latitude_check"',
  'i2: a latitude above 90 is rejected by master_sites_latitude_check');
select throws_ok(
  format($$insert into public.master_regions (workspace_id, config_version_id, code, name)
    select workspace_id, config_version_id, 'lower case!', 'bad code' from public.master_regions where id = %L$$, pg_temp.gn_get('region')),
  '23514', 'new row for relation "master_regions" violates check constraint "master_regions_code_check"',
  'i2: a region code outside [A-Z0-9_-] is rejected by master_regions_code_check');
select throws_ok(
  format($$insert into public.workspace_members (workspace_id, user_id, role) values (%L, %L, 'KING')$$, pg_temp.gn_get('ws'), pg_temp.gn_make_user()),
  '23514', 'new row for relation "workspace_members" violates check constraint "workspace_members_role_check"',
  'i2: an unknown member role is rejected by workspace_members_role_check');
select throws_ok(
  format($$insert into public.master_document_types (workspace_id, config_version_id, code, name, file_extension)
    select workspace_id, config_version_id, 'DOC-EXE', 'bad type', 'exe' from public.master_regions where id = %L$$, pg_temp.gn_get('region')),
  '23514', 'new row for relation "master_document_types" violates check constraint "master_document_types_file_extension_check"',
  'i2: a document file extension outside the list is rejected by master_document_types_file_extension_check');
select throws_ok(
  format('update public.workflow_instances set %I = %L where id = %L', pg_temp.gn_instance_status_column(), 'PAUSED', pg_temp.gn_get('i')),
  '23514', 'new row for relation "workflow_instances" violates check constraint "workflow_instances_status_check"',
  'i2: an unknown instance status is rejected by workflow_instances_status_check');
select throws_ok(
  format('update public.workflow_stages set %I = %L where workflow_instance_id = %L', pg_temp.gn_stage_status_column(), 'DONE', pg_temp.gn_get('i')),
  '23514', 'new row for relation "workflow_stages" violates check constraint "workflow_stages_status_check"',
  'i2: an unknown stage status is rejected by workflow_stages_status_check');

-- TEST: NOT NULL (23502)
select throws_ok(
  format($$insert into public.master_sites (workspace_id, config_version_id, region_id, site_code, site_name)
    select workspace_id, config_version_id, id, 'SITE-NULL', null from public.master_regions where id = %L$$, pg_temp.gn_get('region')),
  '23502', 'null value in column "site_name" of relation "master_sites" violates not-null constraint',
  'i2: a site without a name is rejected (site_name not null)');
select throws_ok(
  format($$insert into public.workspace_members (workspace_id, user_id, role) values (%L, %L, null)$$, pg_temp.gn_get('ws'), pg_temp.gn_make_user()),
  '23502', 'null value in column "role" of relation "workspace_members" violates not-null constraint',
  'i2: a member without a role is rejected (role not null)');

-- TEST: UNIQUE (23505)
select throws_ok(
  format($$insert into public.master_sites (workspace_id, config_version_id, region_id, site_code, site_name)
    select workspace_id, config_version_id, id, 'SITE-001', 'duplicate' from public.master_regions where id = %L$$, pg_temp.gn_get('region')),
  '23505', 'duplicate key value violates unique constraint "master_sites_code_key"',
  'i2: a duplicate site code in one version is rejected by master_sites_code_key');
select throws_ok(
  format($$insert into public.workspace_members (workspace_id, user_id, role) values (%L, %L, 'VIEWER')$$, pg_temp.gn_get('ws'), pg_temp.gn_get('u')),
  '23505', 'duplicate key value violates unique constraint "workspace_members_workspace_user_key"',
  'i2: a second membership of one user in one workspace is rejected by workspace_members_workspace_user_key');

-- TEST: FOREIGN KEY (23503)
select throws_ok(
  format($$insert into public.master_sites (workspace_id, config_version_id, region_id, site_code, site_name)
    select workspace_id, config_version_id, gen_random_uuid(), 'SITE-ORPHAN', 'orphan' from public.master_regions where id = %L$$, pg_temp.gn_get('region')),
  '23503', 'insert or update on table "master_sites" violates foreign key constraint "master_sites_region_fkey"',
  'i2: a site in a region that does not exist is rejected by master_sites_region_fkey');
select throws_ok(
  format($$insert into public.workspace_members (workspace_id, user_id, role) values (%L, %L, 'VIEWER')$$, pg_temp.gn_get('ws'), 'no-such-user-' || gen_random_uuid()),
  '23503', 'insert or update on table "workspace_members" violates foreign key constraint "workspace_members_user_id_fkey"',
  'i2: a membership of a user that does not exist is rejected by workspace_members_user_id_fkey');

select * from finish();
rollback;
