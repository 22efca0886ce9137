-- I3: every audited table (each workspace-scoped table but audit_logs) carries the row-level audit
-- trigger for insert, update and delete; an insert is logged with its new values only, an update
-- with old and new, a delete with its old values only; activation logs the supersede as well; the
-- actor is app.user_id, else the login role.
begin;
\ir ../_support/helpers.psql
select plan(8);

-- SETUP: as the owner with app.user_id set: a loaded DRAFT, one site renamed, its checklist items
-- deleted, then activated over an ACTIVE version; a member added after app.user_id is unset
do $$
declare
  v_cv text;
begin
  perform pg_temp.gn_make_active_workspace('a', 3);
  perform set_config('app.user_id', 'gn-auditor', true);
  v_cv := pg_temp.gn_make_config(pg_temp.gn_get('a_ws')::uuid, 'v2.xlsx');
  perform pg_temp.gn_load_config(pg_temp.gn_get('a_ws')::uuid, v_cv, 3);
  update public.master_sites set site_name = 'Site renamed' where config_version_id::text = v_cv;
  delete from public.master_checklist_items where config_version_id::text = v_cv;
  perform pg_temp.gn_activate(v_cv);
  perform pg_temp.gn_set('cv', v_cv);
  perform pg_temp.gn_set('site', (select id::text from public.master_sites where config_version_id::text = v_cv));
  perform set_config('app.user_id', '', true);
  perform pg_temp.gn_set('u3', pg_temp.gn_make_user());
  perform pg_temp.gn_make_member(pg_temp.gn_get('a_ws')::uuid, pg_temp.gn_get('u3'), 'VIEWER');
end $$;

-- TEST: the trigger is on every audited table, after each row's insert, update and delete
select is_empty(
  $$ select t from unnest(pg_temp.gn_rls_tables()) t where t not in ('workspaces', 'users', 'audit_logs') and not exists (
       select from pg_trigger g where g.tgrelid = to_regclass('public.' || t) and not g.tgisinternal
         and g.tgfoid = 'public.audit_row_change()'::regprocedure and g.tgenabled <> 'D'
         and g.tgtype::int & 1 = 1 and g.tgtype::int & 2 = 0 and g.tgtype::int & 28 = 28) $$,
  'i3: every workspace-scoped table but audit_logs has the audit trigger after each row''s insert, update and delete');

-- TEST: insert, update and delete of one kind of row, with their values
select is(
  (select array[action, coalesce(old_values ->> 'site_name', 'none'), new_values ->> 'site_name'] from public.audit_logs
   where workspace_id = pg_temp.gn_get('a_ws')::uuid and table_name = 'master_sites' and row_id = pg_temp.gn_get('site') and action = 'INSERT'),
  array['INSERT', 'none', 'Site one'], 'i3: an insert is logged with the new values and no old values');
select is(
  (select array[action, old_values ->> 'site_name', new_values ->> 'site_name'] from public.audit_logs
   where workspace_id = pg_temp.gn_get('a_ws')::uuid and table_name = 'master_sites' and row_id = pg_temp.gn_get('site') and action = 'UPDATE'),
  array['UPDATE', 'Site one', 'Site renamed'], 'i3: an update is logged with the old and the new values');
select is(
  (select count(*)::int from public.audit_logs
   where table_name = 'master_checklist_items' and action = 'DELETE' and new_values is null
     and old_values ->> 'item_code' like 'CHK-%'
     and old_values ->> 'config_version_id' = pg_temp.gn_get('cv') and workspace_id = pg_temp.gn_get('a_ws')::uuid),
  3, 'i3: each deleted row is logged as a DELETE with its old values and no new values');

-- TEST: activation logs both status changes
select is(
  (select old_values ->> 'status' || '->' || (new_values ->> 'status') from public.audit_logs
   where workspace_id = pg_temp.gn_get('a_ws')::uuid and table_name = 'config_versions' and row_id = pg_temp.gn_get('a_cv') and action = 'UPDATE'
     and new_values ->> 'status' = 'SUPERSEDED'),
  'ACTIVE->SUPERSEDED', 'i3: the version an activation supersedes gets an UPDATE audit row ACTIVE -> SUPERSEDED');
select is(
  (select old_values ->> 'status' || '->' || (new_values ->> 'status') from public.audit_logs
   where workspace_id = pg_temp.gn_get('a_ws')::uuid and table_name = 'config_versions' and row_id = pg_temp.gn_get('cv') and action = 'UPDATE'),
  'DRAFT->ACTIVE', 'i3: the activated version gets its UPDATE audit row DRAFT -> ACTIVE in the same activation');

-- TEST: the actor
select is(
  (select array_agg(distinct actor) from public.audit_logs
   where workspace_id = pg_temp.gn_get('a_ws')::uuid and table_name in ('master_sites', 'master_checklist_items')
     and (new_values ->> 'config_version_id' = pg_temp.gn_get('cv') or old_values ->> 'config_version_id' = pg_temp.gn_get('cv'))),
  array['gn-auditor'], 'i3: the changes made with app.user_id set name it as the actor');
select is(
  (select actor from public.audit_logs where workspace_id = pg_temp.gn_get('a_ws')::uuid and table_name = 'workspace_members' and action = 'INSERT'
   and new_values ->> 'user_id' = pg_temp.gn_get('u3')),
  session_user::text, 'i3: without app.user_id the actor is the login role (session_user)');

select * from finish();
rollback;
