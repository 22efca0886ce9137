-- generate_scale_data.sql, part 4 of 4: forget the saved index definitions, VACUUM ANALYZE.
\set ON_ERROR_STOP on
\set QUIET on
set client_min_messages = warning;
reset session_replication_role;
drop table public.bench_saved_indexes;
vacuum (analyze) public.workspaces, public.users, public.workspace_members, public.config_versions,
  public.master_regions, public.master_sites, public.master_workflow_templates, public.master_stage_templates,
  public.master_approval_rules, public.master_checklist_items, public.master_document_types,
  public.workflow_instances, public.workflow_stages, public.audit_logs;
