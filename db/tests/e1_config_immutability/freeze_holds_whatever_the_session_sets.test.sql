-- E1 end to end, as the application: an ACTIVE version's master rows stay as they are whatever a
-- session of the application sends or sets in the middle of a statement. The guards read the
-- version as it is (security definer), not as the session may see it: clearing the request context
-- inside the statement that writes makes the row the session's no longer (42501), never "a version
-- that is gone"; deleting rules is not the session's to do (42501); discarding the ACTIVE version is
-- refused (ZA001). Afterwards the version's approval rules are all there.
begin;
\ir ../_support/helpers.psql
select plan(6);

-- SETUP: workspace A with an ACTIVE 2-stage config, as the owner
do $$
begin
  perform pg_temp.gn_make_active_workspace('a', 2);
  perform pg_temp.gn_set('rules', (select count(*)::text from public.master_approval_rules
    where config_version_id::text = pg_temp.gn_get('a_cv')));
  perform pg_temp.gn_act_as(pg_temp.gn_get('a_ws')::uuid, pg_temp.gn_get('a_u1'));
end $$;
set local role apms_app;

-- TEST: writing into the ACTIVE version, with and without the context cleared mid-statement
select throws_ok(
  format($$insert into public.master_approval_rules (workspace_id, config_version_id, stage_template_id, approver_role)
    select st.workspace_id, st.config_version_id, st.id, 'VIEWER' from public.master_stage_templates st
    where st.config_version_id::text = %L and st.stage_order = 1$$, pg_temp.gn_get('a_cv')),
  'ZA003', null, 'e1: apms_app cannot add an approval rule to the ACTIVE version');
select throws_ok(
  format($$insert into public.master_approval_rules (workspace_id, config_version_id, stage_template_id, approver_role)
    select st.workspace_id, st.config_version_id, st.id, 'VIEWER' from public.master_stage_templates st
    where st.config_version_id::text = %L and st.stage_order = 1 and set_config('app.context', '', true) is not null$$,
    pg_temp.gn_get('a_cv')),
  '42501', 'new row violates row-level security policy for table "master_approval_rules"',
  'e1: clearing the request context in the middle of the insert does not make the ACTIVE version look gone');
select throws_ok(
  format($$delete from public.master_approval_rules where config_version_id::text = %L
    and set_config('app.context', '', true) is not null$$, pg_temp.gn_get('a_cv')),
  '42501', 'permission denied for table master_approval_rules',
  'e1: apms_app cannot delete the ACTIVE version''s approval rules, whatever it sets on the way');
select throws_ok(format('select public.discard_config_version(%L::%s)', pg_temp.gn_get('a_cv'), pg_temp.gn_cv_type()),
  'ZA001', null, 'e1: apms_app cannot discard the ACTIVE version');
reset role;

-- TEST: as the owner, the version is whole
select is((select count(*)::text from public.master_approval_rules where config_version_id::text = pg_temp.gn_get('a_cv')),
  pg_temp.gn_get('rules'), 'e1: the ACTIVE version keeps every approval rule');
select is(pg_temp.gn_config_status(pg_temp.gn_get('a_cv')), 'ACTIVE', 'e1: the version is still ACTIVE');

select * from finish();
rollback;
