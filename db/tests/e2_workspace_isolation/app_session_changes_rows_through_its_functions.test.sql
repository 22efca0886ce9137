-- E2 end to end, as the application: what the application role may not do directly it does through
-- its functions, in its own workspace and as its user. An ADMIN changes a member's role and removes
-- a member (set_member, remove_member); the uploader removes a document (remove_stage_document),
-- another member who is no ADMIN may not (ZB007); a DRAFT is discarded with its master rows
-- (discard_config_version); B's members, documents and versions are "not a member" / "do not
-- exist", as if they were not there.
begin;
\ir ../_support/helpers.psql
select plan(10);

-- SETUP: two busy workspaces; in A an ADMIN (u3), a VIEWER (u4) and a DRAFT, as the owner
do $$
declare
  v_u3 text := pg_temp.gn_make_user();
  v_u4 text := pg_temp.gn_make_user();
begin
  perform pg_temp.gn_make_busy_workspace('a');
  perform pg_temp.gn_make_busy_workspace('b');
  perform pg_temp.gn_make_member(pg_temp.gn_get('a_ws')::uuid, v_u3, 'ADMIN');
  perform pg_temp.gn_make_member(pg_temp.gn_get('a_ws')::uuid, v_u4, 'VIEWER');
  perform pg_temp.gn_set('a_u3', v_u3);
  perform pg_temp.gn_set('a_u4', v_u4);
  perform pg_temp.gn_set('a_draft', pg_temp.gn_make_config(pg_temp.gn_get('a_ws')::uuid, 'draft.xlsx'));
  perform pg_temp.gn_load_config(pg_temp.gn_get('a_ws')::uuid, pg_temp.gn_get('a_draft'), 1);
  perform pg_temp.gn_set('a_doc', (select id::text from public.workflow_stage_documents where workspace_id = pg_temp.gn_get('a_ws')::uuid));
  perform pg_temp.gn_set('b_doc', (select id::text from public.workflow_stage_documents where workspace_id = pg_temp.gn_get('b_ws')::uuid));
  perform pg_temp.gn_act_as(pg_temp.gn_get('a_ws')::uuid, v_u3);
end $$;

-- TEST: the ADMIN of A changes and removes members of A, and only of A
set local role apms_app;
select lives_ok(format('select public.set_member(%L, %L)', pg_temp.gn_get('a_u4'), 'QA_REVIEWER'),
  'e2: an ADMIN changes a member''s role');
select is((select role from public.workspace_users() where user_id = pg_temp.gn_get('a_u4')), 'QA_REVIEWER',
  'e2: the member has the new role');
select lives_ok(format('select public.remove_member(%L)', pg_temp.gn_get('a_u4')), 'e2: an ADMIN removes a member');
select throws_ok(format('select public.set_member(%L, %L)', pg_temp.gn_get('b_u1'), 'ADMIN'),
  'ZB007', format('user %s is not a member of workspace %s', pg_temp.gn_get('b_u1'), pg_temp.gn_get('a_ws')),
  'e2: a user of B is "not a member" to A''s ADMIN');
select throws_ok(format('select public.remove_stage_document(%L)', pg_temp.gn_get('b_doc')),
  'ZB003', format('cannot remove stage document %s: it does not exist in this workspace', pg_temp.gn_get('b_doc')),
  'e2: B''s document does not exist for A');
select lives_ok(format('select public.discard_config_version(%L::%s)', pg_temp.gn_get('a_draft'), pg_temp.gn_cv_type()),
  'e2: a member discards a DRAFT');
reset role;

-- TEST: a document is removed by its uploader, not by another member who is no ADMIN
do $$ begin perform pg_temp.gn_act_as(pg_temp.gn_get('a_ws')::uuid, pg_temp.gn_get('a_u2')); end $$;
set local role apms_app;
select throws_ok(format('select public.remove_stage_document(%L)', pg_temp.gn_get('a_doc')),
  'ZB007', null, 'e2: a member who is neither the uploader nor an ADMIN cannot remove a document');
reset role;
do $$ begin perform pg_temp.gn_act_as(pg_temp.gn_get('a_ws')::uuid, pg_temp.gn_get('a_u1')); end $$;
set local role apms_app;
select lives_ok(format('select public.remove_stage_document(%L)', pg_temp.gn_get('a_doc')),
  'e2: the uploader removes the document');
reset role;

-- TEST: as the owner: what was done is done, B untouched
select is(
  (select array[(select count(*)::int from public.workflow_stage_documents where id::text = pg_temp.gn_get('a_doc')),
                (select count(*)::int from public.config_versions where id::text = pg_temp.gn_get('a_draft')),
                (select count(*)::int from public.workspace_members where workspace_id = pg_temp.gn_get('a_ws')::uuid
                   and user_id = pg_temp.gn_get('a_u4'))]),
  array[0, 0, 0], 'e2: the document, the DRAFT and the membership are gone');
select is(
  (select count(*)::int from public.workflow_stage_documents where workspace_id = pg_temp.gn_get('b_ws')::uuid), 1,
  'e2: B''s document is still there');

select * from finish();
rollback;
