-- INV1: an ACTIVE config version cannot be deleted: not by a row delete, not by the cascade of
-- deleting its workspace, not by TRUNCATE (ZA001), also when a role that row-level security
-- restricts (and that sees no version at all) truncates; a DRAFT still can.
begin;
\ir ../_support/helpers.psql
select plan(8);

-- SETUP: a workspace with an ACTIVE loaded version and a DRAFT
do $$
declare
  v_ws uuid := pg_temp.gn_make_workspace();
  v_act text := pg_temp.gn_make_config(v_ws, 'active.xlsx');
  v_draft text := pg_temp.gn_make_config(v_ws, 'draft.xlsx');
begin
  perform pg_temp.gn_load_config(v_ws, v_act);
  perform pg_temp.gn_activate(v_act);
  perform pg_temp.gn_set('ws', v_ws::text);
  perform pg_temp.gn_set('act', v_act);
  perform pg_temp.gn_set('draft', v_draft);
end $$;

-- TEST: a direct delete is refused
select throws_ok(
  format('delete from public.config_versions where id::text = %L', pg_temp.gn_get('act')),
  'ZA001', format('cannot delete ACTIVE config version: running workflows and the workspace depend on it (id %s)', pg_temp.gn_get('act')),
  'inv1: deleting an ACTIVE config version is refused with ZA001');

-- TEST: the cascade from its workspace is refused
select throws_ok(
  format('delete from public.workspaces where id = %L', pg_temp.gn_get('ws')),
  'ZA001', format('cannot delete ACTIVE config version: running workflows and the workspace depend on it (id %s)', pg_temp.gn_get('act')),
  'inv1: deleting the workspace of an ACTIVE config version is refused with ZA001');

-- TEST: TRUNCATE (which skips row triggers) is refused; its locks are taken without queueing, so a
-- live application is never stalled behind them
select is(
  pg_temp.gn_try_without_queueing('truncate public.config_versions cascade',
    pg_temp.gn_truncate_cascade_tables('public.config_versions')),
  'ZA001: cannot truncate config_versions: it holds ACTIVE config versions that running workflows depend on',
  'inv1: truncating config_versions while a version is ACTIVE is refused with ZA001');

-- TEST: the same TRUNCATE by a role that row-level security restricts and that sees no version (the
-- application role, no request context, given TRUNCATE for this transaction): the guard looks at
-- every version, not at what its caller may see
do $$
begin
  execute format('grant truncate on %s to apms_app',
    array_to_string(pg_temp.gn_truncate_cascade_tables('public.config_versions'), ', '));
  perform pg_temp.gn_act_as(null, null);
end $$;
set local role apms_app;
select is(
  pg_temp.gn_try_without_queueing('truncate public.config_versions cascade',
    pg_temp.gn_truncate_cascade_tables('public.config_versions')),
  'ZA001: cannot truncate config_versions: it holds ACTIVE config versions that running workflows depend on',
  'inv1: truncating config_versions as a role that sees no version is refused with ZA001 too');
reset role;

-- TEST: after all the attempts the version and its rows are intact
select is(pg_temp.gn_config_status(pg_temp.gn_get('act')), 'ACTIVE', 'inv1: the ACTIVE version is still there and ACTIVE');
select is(pg_temp.gn_count_for_config('master_stage_templates', pg_temp.gn_get('act')), 3,
  'inv1: the ACTIVE version''s stage templates are still there');

-- TEST: the guard is specific to ACTIVE: a DRAFT is deleted
select lives_ok(
  format('delete from public.config_versions where id::text = %L', pg_temp.gn_get('draft')),
  'inv1: a DRAFT version of the same workspace can still be deleted');
select is(pg_temp.gn_config_status(pg_temp.gn_get('draft')), null, 'inv1: the DRAFT version is gone');

select * from finish();
rollback;
