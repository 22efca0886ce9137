-- A stage document is uploaded by the session's own user: a session of the application writes
-- only its workspace's documents (42501) and names no uploader but its user (ZB006); the
-- composite foreign key then makes that user a member of the workspace.
-- Security definer, as every guard: it decides from what is, not from what the caller may see.
create or replace function public.guard_stage_document()
returns trigger
language plpgsql
security definer
set search_path = pg_catalog, pg_temp
as $$
declare
  v_scope record;
begin
  if tg_table_schema <> 'public' or tg_table_name <> 'workflow_stage_documents' then
    perform public.refuse_foreign_table('guard_stage_document', tg_table_schema, tg_table_name);
  end if;
  v_scope := apms_private.scope_of_row(tg_table_name, new.workspace_id);
  if not v_scope.unrestricted and new.uploaded_by is distinct from v_scope.user_id then
    raise exception 'uploaded_by % is not the session''s user %: a document names the user who uploads it',
      new.uploaded_by, v_scope.user_id
      using errcode = 'ZB006', hint = 'upload with uploaded_by = public.current_user_id()';
  end if;
  return new;
end
$$;

-- Nobody but the owner: triggers fire without EXECUTE on their function, attaching one needs it.
revoke execute on function public.guard_stage_document() from public;
