-- I3: changes to memberships and stage documents are audited like the rest: one audit_logs row per
-- inserted, updated and deleted row, with the table, the row id and the action.
begin;
\ir ../_support/helpers.psql
select plan(6);

-- SETUP: a busy workspace; then a membership and a document inserted, updated and deleted
do $$
declare
  v_ws uuid;
  v_u text := pg_temp.gn_make_user();
  v_doc uuid;
  v_member uuid;
begin
  perform pg_temp.gn_make_busy_workspace('b');
  v_ws := pg_temp.gn_get('b_ws')::uuid;
  insert into public.workspace_members (workspace_id, user_id, role) values (v_ws, v_u, 'VIEWER') returning id into v_member;
  update public.workspace_members set role = 'QA_REVIEWER' where id = v_member;
  delete from public.workspace_members where id = v_member;
  insert into public.workflow_stage_documents (workspace_id, config_version_id, workflow_stage_id, document_type_id,
    file_name, storage_key, uploaded_by)
  select v_ws, d.config_version_id, pg_temp.gn_get('b_s2')::uuid, d.id, 'atp.pdf', gen_random_uuid()::text, pg_temp.gn_get('b_u1')
  from public.master_document_types d where d.workspace_id = v_ws and d.code = 'DOC-2'
  returning id into v_doc;
  update public.workflow_stage_documents set file_name = 'atp-signed.pdf' where id = v_doc;
  delete from public.workflow_stage_documents where id = v_doc;
  perform pg_temp.gn_set('member', v_member::text);
  perform pg_temp.gn_set('doc', v_doc::text);
end $$;

-- TEST: three audit rows each, one per action
select is((select count(*)::int from public.audit_logs where table_name = 'workspace_members' and row_id = pg_temp.gn_get('member') and action = a), 1,
  format('i3: the membership''s %s is audited', a))
from unnest(array['INSERT', 'UPDATE', 'DELETE']) a;
select is((select count(*)::int from public.audit_logs where table_name = 'workflow_stage_documents' and row_id = pg_temp.gn_get('doc') and action = a), 1,
  format('i3: the document''s %s is audited', a))
from unnest(array['INSERT', 'UPDATE', 'DELETE']) a;

select * from finish();
rollback;
