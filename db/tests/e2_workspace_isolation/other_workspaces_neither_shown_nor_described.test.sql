-- E2 end to end, as the application: a session of apms_app for workspace A learns nothing about
-- workspace B. It sees only the users who are members of A (not B's users, not their e-mail
-- addresses), cannot make a user of B a member of A, gets the same answer for B's workspace and
-- config versions as for ones that do not exist (never "is ACTIVE" or "is DRAFT"), and B's keys
-- never collide with A's (keys that belong to a workspace are unique per workspace).
begin;
\ir ../_support/helpers.psql
select plan(11);

-- SETUP: two busy workspaces and a DRAFT in B, as the owner; B's stage document storage key
do $$
begin
  perform pg_temp.gn_make_busy_workspace('a');
  perform pg_temp.gn_make_busy_workspace('b');
  perform pg_temp.gn_set('a_draft', pg_temp.gn_make_config(pg_temp.gn_get('a_ws')::uuid, 'draft.xlsx'));
  perform pg_temp.gn_set('b_draft', pg_temp.gn_make_config(pg_temp.gn_get('b_ws')::uuid, 'draft.xlsx'));
  perform pg_temp.gn_load_config(pg_temp.gn_get('b_ws')::uuid, pg_temp.gn_get('b_draft'), 1);
  perform pg_temp.gn_set('b_key', (select storage_key from public.workflow_stage_documents
    where workspace_id = pg_temp.gn_get('b_ws')::uuid limit 1));
  perform pg_temp.gn_act_as(pg_temp.gn_get('a_ws')::uuid, pg_temp.gn_get('a_u1'));
end $$;
set local role apms_app;

-- TEST: users: A sees its members only
select is(
  (select array_agg(user_id order by user_id) from public.workspace_users()),
  (select array_agg(u order by u) from unnest(array[pg_temp.gn_get('a_u1'), pg_temp.gn_get('a_u2')]) u),
  'e2: apms_app for A sees exactly the users who are members of A');
select throws_ok(
  format('select email from public.users where id in (%L, %L)', pg_temp.gn_get('b_u1'), pg_temp.gn_get('b_u2')),
  '42501', 'permission denied for table users',
  'e2: apms_app for A cannot read the e-mail address of a user of B');
select throws_ok(
  format($$insert into public.workspace_members (workspace_id, user_id, role) values (%L, %L, 'ADMIN')$$,
    pg_temp.gn_get('a_ws'), pg_temp.gn_get('b_u1')),
  '42501', 'permission denied for table workspace_members',
  'e2: apms_app for A cannot make a user of B an ADMIN of A');

-- TEST: B's workspace and config versions are answered like ones that do not exist
select throws_ok(
  format($$insert into public.master_regions (workspace_id, config_version_id, code, name)
    select %L, cv.id, 'RX', 'x' from (select %L::%s as id) cv$$,
    pg_temp.gn_get('b_ws'), pg_temp.gn_get('b_cv'), pg_temp.gn_cv_type()),
  '42501', 'new row violates row-level security policy for table "master_regions"',
  'e2: a master row written into B''s ACTIVE version is refused by RLS, without saying it is ACTIVE');
select throws_ok(
  format($$insert into public.master_regions (workspace_id, config_version_id, code, name)
    select %L, cv.id, 'R1', 'x' from (select %L::%s as id) cv$$,
    pg_temp.gn_get('a_ws'), pg_temp.gn_get('b_draft'), pg_temp.gn_cv_type()),
  '23503', 'insert or update on table "master_regions" violates foreign key constraint "master_regions_config_version_fkey"',
  'e2: a region of A in B''s DRAFT is refused by the foreign key, not by B''s region code R1');
select throws_ok(
  format('select public.start_workflow_instance(%L, %L, %L, %L)', w, 'ATP', 'SITE-001', pg_temp.gn_get('a_u1')),
  'ZB002', format('cannot start a workflow in workspace %s: it has no ACTIVE config version', w),
  format('e2: starting a workflow in %s gets the answer of a workspace without an ACTIVE version', label))
from (values (pg_temp.gn_get('b_ws'), 'B (which has one)'), (gen_random_uuid()::text, 'a workspace that does not exist')) as v (w, label);
select throws_ok(
  format('select public.activate_config_version(%L::%s)', v.config_id, pg_temp.gn_cv_type()),
  'ZA005', format('cannot activate config version %s: it does not exist', v.config_id),
  format('e2: activating %s gets the answer of a version that does not exist', v.label))
from (values (pg_temp.gn_get('b_draft'), 'B''s DRAFT'), (gen_random_uuid()::text, 'a version that does not exist')) as v (config_id, label);

-- TEST: keys of a workspace are unique per workspace: B's storage key does not collide with A's
select lives_ok(
  format($$insert into public.workflow_stage_documents (workspace_id, config_version_id, workflow_stage_id,
      document_type_id, file_name, storage_key, uploaded_by)
    select %L, d.config_version_id, %L, d.id, 'atp.pdf', %L, %L
    from public.master_document_types d where d.workspace_id = %L and d.code = 'DOC-2'$$,
    pg_temp.gn_get('a_ws'), pg_temp.gn_get('a_s2'), pg_temp.gn_get('b_key'), pg_temp.gn_get('a_u1'), pg_temp.gn_get('a_ws')),
  'e2: A stores a document under a storage key B already uses (no 23505 telling A that B uses it)');
reset role;
select is(
  (select array_agg(distinct workspace_id::text order by workspace_id::text) from public.workflow_stage_documents
   where storage_key = pg_temp.gn_get('b_key')),
  (select array_agg(w order by w) from unnest(array[pg_temp.gn_get('a_ws'), pg_temp.gn_get('b_ws')]) w),
  'e2: the same storage key now exists once in A and once in B');

select * from finish();
rollback;
