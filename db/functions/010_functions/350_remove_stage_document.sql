-- Removes a stage document of the session's workspace (another one "does not exist", ZB003): its
-- uploader may, or an ACTIVE ADMIN of the workspace (ZB007). apms_app holds no DELETE.
create or replace function public.remove_stage_document(p_document_id uuid)
returns void
language plpgsql
security definer
set search_path = pg_catalog, pg_temp
as $$
declare
  v_scope record := apms_private.caller_scope();
  v_uploaded_by text;
  v_workspace_id uuid;
begin
  select d.uploaded_by, d.workspace_id into v_uploaded_by, v_workspace_id
  from public.workflow_stage_documents d
  where d.id = remove_stage_document.p_document_id
    and (v_scope.unrestricted or d.workspace_id = v_scope.workspace_id);
  if not found then
    raise exception 'cannot remove stage document %: it does not exist in this workspace', p_document_id
      using errcode = 'ZB003';
  end if;
  if not v_scope.unrestricted and v_uploaded_by is distinct from v_scope.user_id then
    perform apms_private.require_member(v_workspace_id, v_scope.user_id, 'remove another user''s document', array['ADMIN']);
  end if;
  delete from public.workflow_stage_documents d where d.id = remove_stage_document.p_document_id;
end
$$;

-- Nobody but the owner by default; the application calls it.
revoke execute on function public.remove_stage_document(uuid) from public;
grant execute on function public.remove_stage_document(uuid) to apms_app;
