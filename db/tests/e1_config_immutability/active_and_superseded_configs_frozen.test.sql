-- E1 end to end: once a config is ACTIVE, it and its master rows are frozen (ZA003) while a running
-- workflow uses it; changes go into a new DRAFT, which stays editable until it is activated, and
-- then the old version stays frozen as SUPERSEDED with the running workflow unchanged.
begin;
\ir ../_support/helpers.psql
select plan(10);

-- SETUP: an ACTIVE config with a running instance, and a new DRAFT
do $$
begin
  perform pg_temp.gn_make_active_workspace('a', 3);
  perform pg_temp.gn_set('i', public.start_workflow_instance(
    pg_temp.gn_get('a_ws')::uuid, 'ATP', 'SITE-001', pg_temp.gn_get('a_u1'))::text);
  perform pg_temp.gn_set('d', pg_temp.gn_make_config(pg_temp.gn_get('a_ws')::uuid, 'v2.xlsx'));
  perform pg_temp.gn_load_config(pg_temp.gn_get('a_ws')::uuid, pg_temp.gn_get('d'), 3);
end $$;

-- TEST: the ACTIVE version's rows and columns cannot change
select throws_ok(
  format('update public.master_stage_templates set name = %L where config_version_id::text = %L and stage_order = 1', 'renamed', pg_temp.gn_get('a_cv')),
  'ZA003', format('cannot update master_stage_templates row: config version %s is ACTIVE, only a DRAFT version''s master rows can change', pg_temp.gn_get('a_cv')),
  'e1: updating a master row of the ACTIVE version is refused with ZA003');
select throws_ok(
  format('delete from public.master_checklist_items where config_version_id::text = %L', pg_temp.gn_get('a_cv')),
  'ZA003', format('cannot delete master_checklist_items row: config version %s is ACTIVE, only a DRAFT version''s master rows can change', pg_temp.gn_get('a_cv')),
  'e1: deleting a master row of the ACTIVE version is refused with ZA003');
select throws_ok(
  format($$insert into public.master_regions (workspace_id, config_version_id, code, name) select workspace_id, id, 'R9', 'late' from public.config_versions where id::text = %L$$, pg_temp.gn_get('a_cv')),
  'ZA003', format('cannot insert master_regions row: config version %s is ACTIVE, only a DRAFT version''s master rows can change', pg_temp.gn_get('a_cv')),
  'e1: inserting a master row into the ACTIVE version is refused with ZA003');
select throws_ok(
  format('update public.config_versions set source_file_name = %L where id::text = %L', 'other.xlsx', pg_temp.gn_get('a_cv')),
  'ZA003', format('cannot change config version: it is ACTIVE and frozen, only a DRAFT version can be edited (id %s)', pg_temp.gn_get('a_cv')),
  'e1: changing the ACTIVE version''s own columns is refused with ZA003');

-- TEST: the DRAFT is editable, then activated
select lives_ok(
  format('update public.master_stage_templates set name = %L where config_version_id::text = %L and stage_order = 1', 'Survey v2', pg_temp.gn_get('d')),
  'e1: a DRAFT version''s master rows can be edited');
select lives_ok(pg_temp.gn_activate_sql(pg_temp.gn_get('d')), 'e1: the edited DRAFT is activated');

-- TEST: the SUPERSEDED version stays frozen and the running workflow is unchanged
select throws_ok(
  format('update public.master_stage_templates set name = %L where config_version_id::text = %L and stage_order = 1', 'renamed', pg_temp.gn_get('a_cv')),
  'ZA003', format('cannot update master_stage_templates row: config version %s is SUPERSEDED, only a DRAFT version''s master rows can change', pg_temp.gn_get('a_cv')),
  'e1: updating a master row of the SUPERSEDED version is refused with ZA003');
select is((select config_version_id::text from public.workflow_instances where id = pg_temp.gn_get('i')::uuid), pg_temp.gn_get('a_cv'),
  'e1: the running workflow still references the version it started on');
select is(
  (select st.name from public.workflow_stages s join public.master_stage_templates st on st.id = s.stage_template_id
   where s.workflow_instance_id = pg_temp.gn_get('i')::uuid and s.stage_order = 1),
  'Stage 1', 'e1: the running workflow''s first stage still reads its original template');
select is(
  (select name from public.master_stage_templates where config_version_id::text = pg_temp.gn_get('a_cv') and stage_order = 1),
  'Stage 1', 'e1: the SUPERSEDED version''s rows are exactly as they were');

select * from finish();
rollback;
