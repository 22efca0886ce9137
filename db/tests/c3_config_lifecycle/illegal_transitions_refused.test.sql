-- C3: every transition but DRAFT -> ACTIVE and ACTIVE -> SUPERSEDED is refused (ZA002), a version
-- cannot be born anything but DRAFT (ZA004), and only an existing DRAFT can be activated (ZA005).
begin;
\ir ../_support/helpers.psql
select plan(10);

-- SETUP: one version in each state
do $$
declare
  v_ws uuid := pg_temp.gn_make_workspace();
  v_sup text := pg_temp.gn_make_config(v_ws, 'superseded.xlsx');
  v_act text := pg_temp.gn_make_config(v_ws, 'active.xlsx');
  v_draft text := pg_temp.gn_make_config(v_ws, 'draft.xlsx');
begin
  perform pg_temp.gn_activate(v_sup);
  perform pg_temp.gn_activate(v_act);
  perform pg_temp.gn_set('ws', v_ws::text);
  perform pg_temp.gn_set('sup', v_sup);
  perform pg_temp.gn_set('act', v_act);
  perform pg_temp.gn_set('draft', v_draft);
  perform pg_temp.gn_set('new', gen_random_uuid()::text);
end $$;

-- TEST: illegal status updates
select throws_ok(
  format('update public.config_versions set status = %L where id::text = %L', 'SUPERSEDED', pg_temp.gn_get('draft')),
  'ZA002', format('illegal config status transition DRAFT -> SUPERSEDED: only DRAFT -> ACTIVE and ACTIVE -> SUPERSEDED are allowed (id %s)', pg_temp.gn_get('draft')),
  'c3: DRAFT -> SUPERSEDED is refused with ZA002');
select throws_ok(
  format('update public.config_versions set status = %L where id::text = %L', 'DRAFT', pg_temp.gn_get('act')),
  'ZA002', format('illegal config status transition ACTIVE -> DRAFT: only DRAFT -> ACTIVE and ACTIVE -> SUPERSEDED are allowed (id %s)', pg_temp.gn_get('act')),
  'c3: ACTIVE -> DRAFT is refused with ZA002');
select throws_ok(
  format('update public.config_versions set status = %L where id::text = %L', 'ACTIVE', pg_temp.gn_get('sup')),
  'ZA002', format('illegal config status transition SUPERSEDED -> ACTIVE: only DRAFT -> ACTIVE and ACTIVE -> SUPERSEDED are allowed (id %s)', pg_temp.gn_get('sup')),
  'c3: SUPERSEDED -> ACTIVE is refused with ZA002');
select throws_ok(
  format('update public.config_versions set status = %L where id::text = %L', 'DRAFT', pg_temp.gn_get('sup')),
  'ZA002', format('illegal config status transition SUPERSEDED -> DRAFT: only DRAFT -> ACTIVE and ACTIVE -> SUPERSEDED are allowed (id %s)', pg_temp.gn_get('sup')),
  'c3: SUPERSEDED -> DRAFT is refused with ZA002');
select throws_ok(
  format('update public.config_versions set status = %L where id::text = %L', 'ARCHIVED', pg_temp.gn_get('draft')),
  'ZA002', format('illegal config status transition DRAFT -> ARCHIVED: only DRAFT -> ACTIVE and ACTIVE -> SUPERSEDED are allowed (id %s)', pg_temp.gn_get('draft')),
  'c3: DRAFT -> an unknown status is refused with ZA002');

-- TEST: a version is born DRAFT
select throws_ok(
  format('insert into public.config_versions (id, workspace_id, status) values (%L, %L, %L)',
    pg_temp.gn_get('new'), pg_temp.gn_get('ws'), 'ACTIVE'),
  'ZA004', format('cannot insert config version as ACTIVE: a new config version must start as DRAFT, never activated (id %s)', pg_temp.gn_get('new')),
  'c3: inserting a config version as ACTIVE is refused with ZA004');
select throws_ok(
  format('insert into public.config_versions (id, workspace_id, status) values (%L, %L, %L)',
    pg_temp.gn_get('new'), pg_temp.gn_get('ws'), 'SUPERSEDED'),
  'ZA004', format('cannot insert config version as SUPERSEDED: a new config version must start as DRAFT, never activated (id %s)', pg_temp.gn_get('new')),
  'c3: inserting a config version as SUPERSEDED is refused with ZA004');

-- TEST: only an existing DRAFT can be activated
select throws_ok(pg_temp.gn_activate_sql(pg_temp.gn_get('act')),
  'ZA005', format('cannot activate config version %s: it is ACTIVE, only a DRAFT version can be activated', pg_temp.gn_get('act')),
  'c3: re-activating an ACTIVE version is refused with ZA005');
select throws_ok(pg_temp.gn_activate_sql(pg_temp.gn_get('sup')),
  'ZA005', format('cannot activate config version %s: it is SUPERSEDED, only a DRAFT version can be activated', pg_temp.gn_get('sup')),
  'c3: activating a SUPERSEDED version is refused with ZA005');
select throws_ok(pg_temp.gn_activate_sql(pg_temp.gn_get('new')),
  'ZA005', format('cannot activate config version %s: it does not exist', pg_temp.gn_get('new')),
  'c3: activating a version that does not exist is refused with ZA005');

select * from finish();
rollback;
