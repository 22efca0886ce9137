-- I3: audit_logs is append-only: update, delete and truncate are refused (ZC001) even for the
-- owner, and the application role has no INSERT/UPDATE/DELETE privilege on it at all.
begin;
\ir ../_support/helpers.psql
select plan(7);

-- SETUP: a workspace whose creation of a DRAFT wrote an audit row
do $$
declare
  v_ws uuid := pg_temp.gn_make_workspace();
begin
  perform pg_temp.gn_set('ws', v_ws::text);
  perform pg_temp.gn_set('cv', pg_temp.gn_make_config(v_ws));
end $$;

-- TEST: the owner cannot rewrite the trail
select throws_ok(
  format($$update public.audit_logs set actor = 'someone else' where workspace_id = %L and table_name = 'config_versions' and row_id = %L$$,
    pg_temp.gn_get('ws'), pg_temp.gn_get('cv')),
  'ZC001', 'audit_logs is append-only: UPDATE refused', 'i3: updating an audit row is refused with ZC001');
select throws_ok(
  format($$delete from public.audit_logs where workspace_id = %L and table_name = 'config_versions' and row_id = %L$$,
    pg_temp.gn_get('ws'), pg_temp.gn_get('cv')),
  'ZC001', 'audit_logs is append-only: DELETE refused', 'i3: deleting an audit row is refused with ZC001');
-- (TRUNCATE's ACCESS EXCLUSIVE lock is taken without queueing: every audited write of a live
-- application would wait behind a queued one)
select is(pg_temp.gn_try_without_queueing('truncate public.audit_logs', array['public.audit_logs'::regclass]),
  'ZC001: audit_logs is append-only: TRUNCATE refused', 'i3: truncating audit_logs is refused with ZC001');
select is((select count(*)::int from public.audit_logs
            where workspace_id = pg_temp.gn_get('ws')::uuid and table_name = 'config_versions' and row_id = pg_temp.gn_get('cv')), 1,
  'i3: the audit row survives the attempts');

-- TEST: the application role holds no privilege to write or change it (only the audit trigger writes)
select ok(not has_table_privilege('apms_app', 'public.audit_logs', 'INSERT'), 'i3: apms_app cannot forge audit rows (no INSERT privilege)');
select ok(not has_table_privilege('apms_app', 'public.audit_logs', 'UPDATE'), 'i3: apms_app has no UPDATE privilege on audit_logs');
select ok(not has_table_privilege('apms_app', 'public.audit_logs', 'DELETE'), 'i3: apms_app has no DELETE privilege on audit_logs');

select * from finish();
rollback;
