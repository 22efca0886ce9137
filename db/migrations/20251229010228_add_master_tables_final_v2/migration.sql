-- Migration 20251229010228_add_master_tables_final_v2
--
-- What it creates: the master tables of a versioned site-acceptance config (operator XLSMART,
-- vendor AVIAT) and the runtime tables around them: workspace_members, master_regions,
-- master_sites, master_workflow_templates, master_stage_templates, master_approval_rules,
-- master_checklist_items, master_document_types, workflow_approvals, workflow_stage_documents,
-- audit_logs (11 tables, 16 with the baseline's five); the columns, composite keys, checks and
-- indexes they need on the baseline tables; the partial unique index
-- config_versions_one_active_per_workspace; the role apms_app (NOLOGIN) with its grants; RLS
-- enabled on every workspace-scoped table; the seed workspace XLSMART-AVIAT.
-- Functions, triggers and RLS policies live in db/functions (repeatable, applied after this file).
--
-- What it requires: PostgreSQL 15; the five baseline tables (workspaces, users, config_versions,
-- workflow_instances, workflow_stages) with config_versions.id uuid or text and
-- workflow_instances.config_version_id of the same type, users.id text, and exactly one status
-- column per workflow table (status | workflow_status, status | stage_status). Anything else stops
-- the migration with SQLSTATE ZD001 before it changes anything. pgcrypto must be available
-- (SQLSTATE ZD002 otherwise). Creating apms_app needs CREATEROLE the first time.
--
-- Run it in one transaction (the applier does; by hand: psql -1 -v ON_ERROR_STOP=1 -f). It is
-- safe to apply twice: every statement is if-not-exists or guarded by catalog detection.

-- Pre-flight 1: the baseline must be consistent, or nothing below runs (ZD001).
do $preflight$
declare
  v_missing text[];
  v_cv_type text;
  v_wi_cv_type text;
  v_problems text[] := '{}';
  v_wi_status_cols int;
  v_ws_status_cols int;
begin
  select array_agg(t order by t) into v_missing
  from unnest(array['workspaces', 'users', 'config_versions', 'workflow_instances', 'workflow_stages']) as t
  where pg_catalog.to_regclass('public.' || t) is null;
  if v_missing is not null then
    raise exception 'migration 20251229010228 refused: baseline table(s) missing: %', array_to_string(v_missing, ', ')
      using errcode = 'ZD001',
            hint = 'the migration extends an existing schema; load the application baseline first';
  end if;

  select pg_catalog.format_type(a.atttypid, a.atttypmod) into v_cv_type
  from pg_catalog.pg_attribute a
  where a.attrelid = 'public.config_versions'::regclass and a.attname = 'id' and not a.attisdropped;
  select pg_catalog.format_type(a.atttypid, a.atttypmod) into v_wi_cv_type
  from pg_catalog.pg_attribute a
  where a.attrelid = 'public.workflow_instances'::regclass and a.attname = 'config_version_id' and not a.attisdropped;

  if v_cv_type is null or v_cv_type not in ('uuid', 'text') then
    v_problems := v_problems || format('config_versions.id is %s (expected uuid or text)', coalesce(v_cv_type, 'missing'));
  end if;
  if v_wi_cv_type is distinct from v_cv_type then
    v_problems := v_problems || format('workflow_instances.config_version_id is %s but config_versions.id is %s',
      coalesce(v_wi_cv_type, 'missing'), coalesce(v_cv_type, 'missing'));
  end if;
  if not exists (select from pg_catalog.pg_attribute where attrelid = 'public.users'::regclass
                 and attname = 'id' and atttypid = 'text'::regtype and not attisdropped) then
    v_problems := v_problems || 'users.id is not text'::text;
  end if;
  if not exists (select from pg_catalog.pg_attribute where attrelid = 'public.workspaces'::regclass
                 and attname = 'id' and atttypid = 'uuid'::regtype and not attisdropped) then
    v_problems := v_problems || 'workspaces.id is not uuid'::text;
  end if;
  if not exists (select from pg_catalog.pg_attribute where attrelid = 'public.workspaces'::regclass
                 and attname = 'code' and not attisdropped) then
    v_problems := v_problems || 'workspaces.code is missing'::text;
  end if;
  if not exists (select from pg_catalog.pg_attribute where attrelid = 'public.config_versions'::regclass
                 and attname = 'status' and not attisdropped) then
    v_problems := v_problems || 'config_versions.status is missing'::text;
  end if;
  if not exists (select from pg_catalog.pg_attribute where attrelid = 'public.config_versions'::regclass
                 and attname = 'workspace_id' and atttypid = 'uuid'::regtype and not attisdropped) then
    v_problems := v_problems || 'config_versions.workspace_id is missing or not uuid'::text;
  end if;
  if not exists (select from pg_catalog.pg_attribute where attrelid = 'public.workflow_stages'::regclass
                 and attname = 'workflow_instance_id' and atttypid = 'uuid'::regtype and not attisdropped) then
    v_problems := v_problems || 'workflow_stages.workflow_instance_id is missing or not uuid'::text;
  end if;

  select count(*) into v_wi_status_cols from pg_catalog.pg_attribute
  where attrelid = 'public.workflow_instances'::regclass and attname in ('status', 'workflow_status') and not attisdropped;
  select count(*) into v_ws_status_cols from pg_catalog.pg_attribute
  where attrelid = 'public.workflow_stages'::regclass and attname in ('status', 'stage_status') and not attisdropped;
  if v_wi_status_cols <> 1 then
    v_problems := v_problems || format('workflow_instances has %s of the status columns status/workflow_status (expected exactly one)', v_wi_status_cols);
  end if;
  if v_ws_status_cols <> 1 then
    v_problems := v_problems || format('workflow_stages has %s of the status columns status/stage_status (expected exactly one)', v_ws_status_cols);
  end if;

  if cardinality(v_problems) > 0 then
    raise exception 'migration 20251229010228 refused: inconsistent baseline: %', array_to_string(v_problems, '; ')
      using errcode = 'ZD001',
            hint = 'fix the baseline schema first; this migration changed nothing';
  end if;
end
$preflight$;

-- Pre-flight 2: pgcrypto must be enabled (the runbook's Patch A); fail clearly if it cannot be (ZD002).
do $pgcrypto$
begin
  if exists (select from pg_catalog.pg_extension where extname = 'pgcrypto') then
    return;
  end if;
  if not exists (select from pg_catalog.pg_available_extensions where name = 'pgcrypto') then
    raise exception 'migration 20251229010228 refused: extension pgcrypto is not available on this server'
      using errcode = 'ZD002', hint = 'install the postgresql contrib package for this server version';
  end if;
  begin
    create extension if not exists pgcrypto with schema public;
  exception when others then
    raise exception 'migration 20251229010228 refused: cannot enable pgcrypto: %', sqlerrm
      using errcode = 'ZD002', hint = 'run create extension pgcrypto as a role allowed to, then apply again';
  end;
end
$pgcrypto$;

-- Adds a named constraint unless the table already has one of that name: keeps a second apply a no-op.
-- Session-local (pg_temp), dropped at the end of this file.
create or replace function pg_temp.add_constraint_once(p_table regclass, p_name text, p_definition text)
returns void
language plpgsql
as $$
begin
  if not exists (select from pg_catalog.pg_constraint c where c.conrelid = p_table and c.conname = p_name) then
    execute format('alter table %s add constraint %I %s', p_table, p_name, p_definition);
  end if;
end
$$;

-- The application role: RLS applies to it (not the owner, no BYPASSRLS).
do $role$
begin
  if not exists (select from pg_catalog.pg_roles where rolname = 'apms_app') then
    create role apms_app nologin nosuperuser nobypassrls;
  end if;
end
$role$;

-- ---------------------------------------------------------------------------------------------
-- Baseline tables: columns and keys the new tables and the runtime need.
-- ---------------------------------------------------------------------------------------------

-- on conflict (code) for the seed needs a real unique constraint, whatever the baseline shipped
do $ws_code$
begin
  if not exists (
    select from pg_catalog.pg_index i
    join pg_catalog.pg_attribute a on a.attrelid = i.indrelid and a.attnum = i.indkey[0]
    where i.indrelid = 'public.workspaces'::regclass and i.indisunique and i.indnkeyatts = 1
      and i.indpred is null and a.attname = 'code'
  ) then
    alter table public.workspaces add constraint workspaces_code_key unique (code);
  end if;
end
$ws_code$;

alter table public.config_versions add column if not exists created_by text;
alter table public.config_versions add column if not exists activated_at timestamptz;
alter table public.config_versions add column if not exists activated_by text;
alter table public.config_versions add column if not exists superseded_at timestamptz;
select pg_temp.add_constraint_once('public.config_versions', 'config_versions_status_check',
  $$check (status in ('DRAFT', 'ACTIVE', 'SUPERSEDED'))$$);
-- target of every composite (workspace_id, config_version_id) foreign key
select pg_temp.add_constraint_once('public.config_versions', 'config_versions_workspace_id_id_key',
  'unique (workspace_id, id)');

alter table public.workflow_instances add column if not exists workflow_template_id uuid;
alter table public.workflow_instances add column if not exists site_id uuid;
alter table public.workflow_instances add column if not exists started_by text;
alter table public.workflow_instances add column if not exists completed_at timestamptz;
select pg_temp.add_constraint_once('public.workflow_instances', 'workflow_instances_workspace_id_id_key',
  'unique (workspace_id, id)');

alter table public.workflow_stages add column if not exists workspace_id uuid;
alter table public.workflow_stages add column if not exists stage_template_id uuid;
alter table public.workflow_stages add column if not exists stage_order integer;
alter table public.workflow_stages add column if not exists started_at timestamptz;
alter table public.workflow_stages add column if not exists decided_at timestamptz;
-- existing stages inherit their instance's workspace before the column becomes mandatory
update public.workflow_stages s
set workspace_id = i.workspace_id
from public.workflow_instances i
where i.id = s.workflow_instance_id and s.workspace_id is null;
alter table public.workflow_stages alter column workspace_id set not null;
select pg_temp.add_constraint_once('public.workflow_stages', 'workflow_stages_workspace_id_id_key',
  'unique (workspace_id, id)');
select pg_temp.add_constraint_once('public.workflow_stages', 'workflow_stages_instance_order_key',
  'unique (workflow_instance_id, stage_order)');
select pg_temp.add_constraint_once('public.workflow_stages', 'workflow_stages_stage_order_check',
  'check (stage_order > 0)');

-- Status checks on the columns the baseline has (status | workflow_status, status | stage_status).
do $status_checks$
declare
  v_wi_status text;
  v_ws_status text;
begin
  select attname into v_wi_status from pg_catalog.pg_attribute
  where attrelid = 'public.workflow_instances'::regclass and attname in ('status', 'workflow_status') and not attisdropped;
  select attname into v_ws_status from pg_catalog.pg_attribute
  where attrelid = 'public.workflow_stages'::regclass and attname in ('status', 'stage_status') and not attisdropped;
  perform pg_temp.add_constraint_once('public.workflow_instances', 'workflow_instances_status_check',
    format($$check (%I in ('IN_PROGRESS', 'COMPLETED', 'REJECTED', 'CANCELLED'))$$, v_wi_status));
  perform pg_temp.add_constraint_once('public.workflow_stages', 'workflow_stages_status_check',
    format($$check (%I in ('PENDING', 'IN_PROGRESS', 'APPROVED', 'REJECTED', 'SKIPPED'))$$, v_ws_status));
end
$status_checks$;

-- ---------------------------------------------------------------------------------------------
-- New tables. config_version_id is declared uuid here and retyped below to config_versions.id's
-- type (text baselines); foreign keys come after that, so they are added once types agree.
-- Every master row carries (workspace_id, config_version_id) and a unique (workspace_id,
-- config_version_id, id) so children can only reference rows of the same version and workspace.
-- ---------------------------------------------------------------------------------------------

create table if not exists public.workspace_members (
  id uuid primary key default gen_random_uuid(),
  workspace_id uuid not null,
  user_id text not null,
  role text not null,
  status text not null default 'ACTIVE',
  created_at timestamptz not null default now(),
  constraint workspace_members_workspace_user_key unique (workspace_id, user_id),
  constraint workspace_members_role_check
    check (role in ('ADMIN', 'OPERATOR_APPROVER', 'VENDOR_PM', 'VENDOR_ENGINEER', 'QA_REVIEWER', 'VIEWER')),
  constraint workspace_members_status_check check (status in ('ACTIVE', 'INACTIVE'))
);

create table if not exists public.master_regions (
  id uuid primary key default gen_random_uuid(),
  workspace_id uuid not null,
  config_version_id uuid not null,
  code text not null,
  name text not null,
  created_at timestamptz not null default now(),
  constraint master_regions_scope_key unique (workspace_id, config_version_id, id),
  constraint master_regions_code_key unique (workspace_id, config_version_id, code),
  constraint master_regions_code_check check (code ~ '^[A-Z0-9_-]{1,32}$')
);

create table if not exists public.master_sites (
  id uuid primary key default gen_random_uuid(),
  workspace_id uuid not null,
  config_version_id uuid not null,
  region_id uuid not null,
  site_code text not null,
  site_name text not null,
  latitude numeric(9, 6),
  longitude numeric(9, 6),
  created_at timestamptz not null default now(),
  constraint master_sites_scope_key unique (workspace_id, config_version_id, id),
  constraint master_sites_code_key unique (workspace_id, config_version_id, site_code),
  constraint master_sites_latitude_check check (latitude between -90 and 90),
  constraint master_sites_longitude_check check (longitude between -180 and 180)
);

create table if not exists public.master_workflow_templates (
  id uuid primary key default gen_random_uuid(),
  workspace_id uuid not null,
  config_version_id uuid not null,
  code text not null,
  name text not null,
  description text,
  created_at timestamptz not null default now(),
  constraint master_workflow_templates_scope_key unique (workspace_id, config_version_id, id),
  constraint master_workflow_templates_code_key unique (workspace_id, config_version_id, code)
);

create table if not exists public.master_stage_templates (
  id uuid primary key default gen_random_uuid(),
  workspace_id uuid not null,
  config_version_id uuid not null,
  workflow_template_id uuid not null,
  stage_order integer not null,
  code text not null,
  name text not null,
  sla_hours integer not null default 72,
  created_at timestamptz not null default now(),
  constraint master_stage_templates_scope_key unique (workspace_id, config_version_id, id),
  -- workflow_stages reference stage templates by (workspace_id, id)
  constraint master_stage_templates_workspace_id_id_key unique (workspace_id, id),
  constraint master_stage_templates_order_key unique (workspace_id, workflow_template_id, stage_order),
  constraint master_stage_templates_code_key unique (workspace_id, workflow_template_id, code),
  constraint master_stage_templates_stage_order_check check (stage_order > 0),
  constraint master_stage_templates_sla_hours_check check (sla_hours > 0)
);

create table if not exists public.master_approval_rules (
  id uuid primary key default gen_random_uuid(),
  workspace_id uuid not null,
  config_version_id uuid not null,
  stage_template_id uuid not null,
  approver_role text not null,
  min_approvals integer not null default 1,
  created_at timestamptz not null default now(),
  constraint master_approval_rules_role_key unique (workspace_id, stage_template_id, approver_role),
  constraint master_approval_rules_approver_role_check
    check (approver_role in ('ADMIN', 'OPERATOR_APPROVER', 'VENDOR_PM', 'VENDOR_ENGINEER', 'QA_REVIEWER', 'VIEWER')),
  constraint master_approval_rules_min_approvals_check check (min_approvals between 1 and 10)
);

create table if not exists public.master_checklist_items (
  id uuid primary key default gen_random_uuid(),
  workspace_id uuid not null,
  config_version_id uuid not null,
  stage_template_id uuid not null,
  item_code text not null,
  description text not null,
  is_mandatory boolean not null default true,
  sort_order integer not null default 1,
  created_at timestamptz not null default now(),
  constraint master_checklist_items_code_key unique (workspace_id, stage_template_id, item_code),
  constraint master_checklist_items_sort_order_check check (sort_order > 0)
);

create table if not exists public.master_document_types (
  id uuid primary key default gen_random_uuid(),
  workspace_id uuid not null,
  config_version_id uuid not null,
  stage_template_id uuid,
  code text not null,
  name text not null,
  file_extension text not null default 'pdf',
  max_size_mb integer not null default 20,
  is_mandatory boolean not null default true,
  created_at timestamptz not null default now(),
  constraint master_document_types_scope_key unique (workspace_id, config_version_id, id),
  constraint master_document_types_code_key unique (workspace_id, config_version_id, code),
  constraint master_document_types_file_extension_check check (file_extension in ('pdf', 'xlsx', 'jpg', 'png', 'zip')),
  constraint master_document_types_max_size_mb_check check (max_size_mb between 1 and 500)
);

create table if not exists public.workflow_approvals (
  id uuid primary key default gen_random_uuid(),
  workspace_id uuid not null,
  workflow_instance_id uuid not null,
  workflow_stage_id uuid not null,
  approver_id text not null,
  decision text not null,
  comment text,
  decided_at timestamptz not null default now(),
  -- one decision per approver per stage
  constraint workflow_approvals_stage_approver_key unique (workspace_id, workflow_stage_id, approver_id),
  constraint workflow_approvals_decision_check check (decision in ('APPROVED', 'REJECTED'))
);

create table if not exists public.workflow_stage_documents (
  id uuid primary key default gen_random_uuid(),
  workspace_id uuid not null,
  config_version_id uuid not null,
  workflow_stage_id uuid not null,
  document_type_id uuid not null,
  file_name text not null,
  storage_key text not null,
  uploaded_by text not null,
  uploaded_at timestamptz not null default now(),
  constraint workflow_stage_documents_storage_key_key unique (workspace_id, storage_key),
  constraint workflow_stage_documents_file_name_check check (length(btrim(file_name)) > 0)
);

-- No foreign key to workspaces: audit rows outlive what they describe and are never updated.
create table if not exists public.audit_logs (
  id uuid primary key default gen_random_uuid(),
  workspace_id uuid,
  table_name text not null,
  row_id text,
  action text not null,
  actor text not null,
  old_values jsonb,
  new_values jsonb,
  changed_at timestamptz not null default clock_timestamp(),
  txid bigint not null default txid_current(),
  constraint audit_logs_action_check check (action in ('INSERT', 'UPDATE', 'DELETE'))
);

-- config_version_id follows config_versions.id (uuid or text); only empty new tables are retyped.
do $retype$
declare
  v_cv_type text;
  v_table text;
begin
  select pg_catalog.format_type(a.atttypid, a.atttypmod) into v_cv_type
  from pg_catalog.pg_attribute a
  where a.attrelid = 'public.config_versions'::regclass and a.attname = 'id';
  for v_table in
    select c.relname
    from pg_catalog.pg_attribute a
    join pg_catalog.pg_class c on c.oid = a.attrelid
    join pg_catalog.pg_namespace n on n.oid = c.relnamespace
    where n.nspname = 'public' and a.attname = 'config_version_id' and not a.attisdropped
      and c.relname in ('master_regions', 'master_sites', 'master_workflow_templates', 'master_stage_templates',
                        'master_approval_rules', 'master_checklist_items', 'master_document_types',
                        'workflow_stage_documents')
      and pg_catalog.format_type(a.atttypid, a.atttypmod) <> v_cv_type
  loop
    execute format('alter table public.%I alter column config_version_id type %s using config_version_id::%s',
      v_table, v_cv_type, v_cv_type);
  end loop;
end
$retype$;

-- ---------------------------------------------------------------------------------------------
-- Foreign keys (composite where a row must stay inside its workspace and config version).
-- Master rows cascade with their config version (a DRAFT is deleted with its rows; the guards in
-- db/functions refuse it for ACTIVE versions). Runtime rows restrict deletion of what they froze.
-- ---------------------------------------------------------------------------------------------

-- config_versions
select pg_temp.add_constraint_once('public.config_versions', 'config_versions_created_by_fkey',
  'foreign key (created_by) references public.users (id) on delete set null');
select pg_temp.add_constraint_once('public.config_versions', 'config_versions_activated_by_fkey',
  'foreign key (activated_by) references public.users (id) on delete set null');

-- workspace_members
select pg_temp.add_constraint_once('public.workspace_members', 'workspace_members_workspace_id_fkey',
  'foreign key (workspace_id) references public.workspaces (id) on delete cascade');
select pg_temp.add_constraint_once('public.workspace_members', 'workspace_members_user_id_fkey',
  'foreign key (user_id) references public.users (id) on delete cascade');

-- master_regions
select pg_temp.add_constraint_once('public.master_regions', 'master_regions_workspace_id_fkey',
  'foreign key (workspace_id) references public.workspaces (id) on delete cascade');
select pg_temp.add_constraint_once('public.master_regions', 'master_regions_config_version_fkey',
  'foreign key (workspace_id, config_version_id) references public.config_versions (workspace_id, id) on delete cascade');

-- master_sites
select pg_temp.add_constraint_once('public.master_sites', 'master_sites_workspace_id_fkey',
  'foreign key (workspace_id) references public.workspaces (id) on delete cascade');
select pg_temp.add_constraint_once('public.master_sites', 'master_sites_config_version_fkey',
  'foreign key (workspace_id, config_version_id) references public.config_versions (workspace_id, id) on delete cascade');
select pg_temp.add_constraint_once('public.master_sites', 'master_sites_region_fkey',
  'foreign key (workspace_id, config_version_id, region_id) references public.master_regions (workspace_id, config_version_id, id) on delete cascade');

-- master_workflow_templates
select pg_temp.add_constraint_once('public.master_workflow_templates', 'master_workflow_templates_workspace_id_fkey',
  'foreign key (workspace_id) references public.workspaces (id) on delete cascade');
select pg_temp.add_constraint_once('public.master_workflow_templates', 'master_workflow_templates_config_version_fkey',
  'foreign key (workspace_id, config_version_id) references public.config_versions (workspace_id, id) on delete cascade');

-- master_stage_templates
select pg_temp.add_constraint_once('public.master_stage_templates', 'master_stage_templates_workspace_id_fkey',
  'foreign key (workspace_id) references public.workspaces (id) on delete cascade');
select pg_temp.add_constraint_once('public.master_stage_templates', 'master_stage_templates_config_version_fkey',
  'foreign key (workspace_id, config_version_id) references public.config_versions (workspace_id, id) on delete cascade');
select pg_temp.add_constraint_once('public.master_stage_templates', 'master_stage_templates_workflow_template_fkey',
  'foreign key (workspace_id, config_version_id, workflow_template_id) references public.master_workflow_templates (workspace_id, config_version_id, id) on delete cascade');

-- master_approval_rules
select pg_temp.add_constraint_once('public.master_approval_rules', 'master_approval_rules_workspace_id_fkey',
  'foreign key (workspace_id) references public.workspaces (id) on delete cascade');
select pg_temp.add_constraint_once('public.master_approval_rules', 'master_approval_rules_config_version_fkey',
  'foreign key (workspace_id, config_version_id) references public.config_versions (workspace_id, id) on delete cascade');
select pg_temp.add_constraint_once('public.master_approval_rules', 'master_approval_rules_stage_template_fkey',
  'foreign key (workspace_id, config_version_id, stage_template_id) references public.master_stage_templates (workspace_id, config_version_id, id) on delete cascade');

-- master_checklist_items
select pg_temp.add_constraint_once('public.master_checklist_items', 'master_checklist_items_workspace_id_fkey',
  'foreign key (workspace_id) references public.workspaces (id) on delete cascade');
select pg_temp.add_constraint_once('public.master_checklist_items', 'master_checklist_items_config_version_fkey',
  'foreign key (workspace_id, config_version_id) references public.config_versions (workspace_id, id) on delete cascade');
select pg_temp.add_constraint_once('public.master_checklist_items', 'master_checklist_items_stage_template_fkey',
  'foreign key (workspace_id, config_version_id, stage_template_id) references public.master_stage_templates (workspace_id, config_version_id, id) on delete cascade');

-- master_document_types
select pg_temp.add_constraint_once('public.master_document_types', 'master_document_types_workspace_id_fkey',
  'foreign key (workspace_id) references public.workspaces (id) on delete cascade');
select pg_temp.add_constraint_once('public.master_document_types', 'master_document_types_config_version_fkey',
  'foreign key (workspace_id, config_version_id) references public.config_versions (workspace_id, id) on delete cascade');
select pg_temp.add_constraint_once('public.master_document_types', 'master_document_types_stage_template_fkey',
  'foreign key (workspace_id, config_version_id, stage_template_id) references public.master_stage_templates (workspace_id, config_version_id, id) on delete cascade');

-- workflow_instances: frozen to the config version it started with (restrict, never cascade)
select pg_temp.add_constraint_once('public.workflow_instances', 'workflow_instances_config_version_fkey',
  'foreign key (workspace_id, config_version_id) references public.config_versions (workspace_id, id) on delete restrict');
select pg_temp.add_constraint_once('public.workflow_instances', 'workflow_instances_workflow_template_fkey',
  'foreign key (workspace_id, config_version_id, workflow_template_id) references public.master_workflow_templates (workspace_id, config_version_id, id) on delete restrict');
select pg_temp.add_constraint_once('public.workflow_instances', 'workflow_instances_site_fkey',
  'foreign key (workspace_id, config_version_id, site_id) references public.master_sites (workspace_id, config_version_id, id) on delete restrict');
select pg_temp.add_constraint_once('public.workflow_instances', 'workflow_instances_started_by_fkey',
  'foreign key (started_by) references public.users (id)');
select pg_temp.add_constraint_once('public.workflow_instances', 'workflow_instances_started_by_member_fkey',
  'foreign key (workspace_id, started_by) references public.workspace_members (workspace_id, user_id)');

-- workflow_stages
select pg_temp.add_constraint_once('public.workflow_stages', 'workflow_stages_workspace_id_fkey',
  'foreign key (workspace_id) references public.workspaces (id) on delete cascade');
select pg_temp.add_constraint_once('public.workflow_stages', 'workflow_stages_instance_fkey',
  'foreign key (workspace_id, workflow_instance_id) references public.workflow_instances (workspace_id, id) on delete cascade');
select pg_temp.add_constraint_once('public.workflow_stages', 'workflow_stages_stage_template_fkey',
  'foreign key (workspace_id, stage_template_id) references public.master_stage_templates (workspace_id, id) on delete restrict');

-- workflow_approvals
select pg_temp.add_constraint_once('public.workflow_approvals', 'workflow_approvals_workspace_id_fkey',
  'foreign key (workspace_id) references public.workspaces (id) on delete cascade');
select pg_temp.add_constraint_once('public.workflow_approvals', 'workflow_approvals_instance_fkey',
  'foreign key (workspace_id, workflow_instance_id) references public.workflow_instances (workspace_id, id) on delete cascade');
select pg_temp.add_constraint_once('public.workflow_approvals', 'workflow_approvals_stage_fkey',
  'foreign key (workspace_id, workflow_stage_id) references public.workflow_stages (workspace_id, id) on delete cascade');
select pg_temp.add_constraint_once('public.workflow_approvals', 'workflow_approvals_approver_id_fkey',
  'foreign key (approver_id) references public.users (id)');
select pg_temp.add_constraint_once('public.workflow_approvals', 'workflow_approvals_approver_member_fkey',
  'foreign key (workspace_id, approver_id) references public.workspace_members (workspace_id, user_id)');

-- workflow_stage_documents
select pg_temp.add_constraint_once('public.workflow_stage_documents', 'workflow_stage_documents_workspace_id_fkey',
  'foreign key (workspace_id) references public.workspaces (id) on delete cascade');
select pg_temp.add_constraint_once('public.workflow_stage_documents', 'workflow_stage_documents_stage_fkey',
  'foreign key (workspace_id, workflow_stage_id) references public.workflow_stages (workspace_id, id) on delete cascade');
select pg_temp.add_constraint_once('public.workflow_stage_documents', 'workflow_stage_documents_config_version_fkey',
  'foreign key (workspace_id, config_version_id) references public.config_versions (workspace_id, id) on delete restrict');
select pg_temp.add_constraint_once('public.workflow_stage_documents', 'workflow_stage_documents_document_type_fkey',
  'foreign key (workspace_id, config_version_id, document_type_id) references public.master_document_types (workspace_id, config_version_id, id) on delete restrict');
select pg_temp.add_constraint_once('public.workflow_stage_documents', 'workflow_stage_documents_uploaded_by_fkey',
  'foreign key (uploaded_by) references public.users (id)');
select pg_temp.add_constraint_once('public.workflow_stage_documents', 'workflow_stage_documents_uploaded_by_member_fkey',
  'foreign key (workspace_id, uploaded_by) references public.workspace_members (workspace_id, user_id)');

-- ---------------------------------------------------------------------------------------------
-- Indexes. Each serves a named query from docs/hot-queries.md (or the delete a foreign key
-- cascades/checks); the query name is on the line above.
-- ---------------------------------------------------------------------------------------------

-- active_config_for_workspace (and invariant INV2: at most one ACTIVE version per workspace)
create unique index if not exists config_versions_one_active_per_workspace
  on public.config_versions (workspace_id) where status = 'ACTIVE';
-- config_versions_by_workspace
create index if not exists idx_config_versions_workspace_created
  on public.config_versions (workspace_id, created_at desc);
-- config_versions_by_author (and users delete -> set null)
create index if not exists idx_config_versions_created_by on public.config_versions (created_by);
-- memberships_of_user (and users delete -> cascade)
create index if not exists idx_workspace_members_user on public.workspace_members (user_id);
-- approvers_for_role
create index if not exists idx_workspace_members_workspace_role
  on public.workspace_members (workspace_id, role) where status = 'ACTIVE';
-- sites_by_region (and master_regions delete -> cascade)
create index if not exists idx_master_sites_region
  on public.master_sites (workspace_id, config_version_id, region_id);
-- site_history_across_versions
create index if not exists idx_master_sites_workspace_site_code
  on public.master_sites (workspace_id, site_code);
-- stages_of_template (start_workflow_instance)
create index if not exists idx_master_stage_templates_workflow_template
  on public.master_stage_templates (workspace_id, config_version_id, workflow_template_id, stage_order);
-- rules_for_stage (decide_stage)
create index if not exists idx_master_approval_rules_stage_template
  on public.master_approval_rules (workspace_id, config_version_id, stage_template_id);
-- stages_for_role
create index if not exists idx_master_approval_rules_role
  on public.master_approval_rules (config_version_id, approver_role);
-- checklist_for_stage
create index if not exists idx_master_checklist_items_stage_template
  on public.master_checklist_items (workspace_id, config_version_id, stage_template_id, sort_order);
-- documents_required_for_stage
create index if not exists idx_master_document_types_stage_template
  on public.master_document_types (workspace_id, config_version_id, stage_template_id);
-- instances_on_config_version (freeze-by-reference; config_versions delete -> restrict check)
create index if not exists idx_workflow_instances_config_version
  on public.workflow_instances (workspace_id, config_version_id);
-- instances_for_site
create index if not exists idx_workflow_instances_site on public.workflow_instances (workspace_id, site_id);
-- Led by the template, not the version: idx_workflow_instances_config_version already serves
-- (workspace_id, config_version_id); template ids are unique, so this also serves the
-- master_workflow_templates delete check.
-- instances_of_template
create index if not exists idx_workflow_instances_template
  on public.workflow_instances (workspace_id, workflow_template_id);
-- instances_started_by (and users/workspace_members delete checks)
create index if not exists idx_workflow_instances_started_by on public.workflow_instances (started_by);
-- recent_instances
create index if not exists idx_workflow_instances_workspace_created
  on public.workflow_instances (workspace_id, created_at desc);
-- stages_using_template (master_stage_templates delete -> restrict check)
create index if not exists idx_workflow_stages_stage_template
  on public.workflow_stages (workspace_id, stage_template_id);
-- approvals_for_instance
create index if not exists idx_workflow_approvals_instance
  on public.workflow_approvals (workspace_id, workflow_instance_id);
-- approvals_by_approver (and users delete check)
create index if not exists idx_workflow_approvals_approver
  on public.workflow_approvals (approver_id, decided_at desc);
-- documents_of_stage (and workflow_stages delete -> cascade)
create index if not exists idx_workflow_stage_documents_stage
  on public.workflow_stage_documents (workspace_id, workflow_stage_id);
-- documents_of_type (master_document_types delete -> restrict check)
create index if not exists idx_workflow_stage_documents_document_type
  on public.workflow_stage_documents (workspace_id, config_version_id, document_type_id);
-- documents_uploaded_by (and users delete check)
create index if not exists idx_workflow_stage_documents_uploaded_by
  on public.workflow_stage_documents (uploaded_by);
-- audit_feed
create index if not exists idx_audit_logs_workspace_changed_at on public.audit_logs (workspace_id, changed_at desc);
-- row_history
create index if not exists idx_audit_logs_table_row on public.audit_logs (table_name, row_id, changed_at);
-- actions_by_actor
create index if not exists idx_audit_logs_actor on public.audit_logs (actor, changed_at desc);
-- (no index on txid: changes_in_transaction is a rare forensic query, served by the workspace feed
-- index plus a filter; an index there would tax every audited write, the hottest path)

-- The status-dependent indexes name whichever status column the baseline has.
do $status_indexes$
declare
  v_wi_status text;
  v_ws_status text;
begin
  select attname into v_wi_status from pg_catalog.pg_attribute
  where attrelid = 'public.workflow_instances'::regclass and attname in ('status', 'workflow_status') and not attisdropped;
  select attname into v_ws_status from pg_catalog.pg_attribute
  where attrelid = 'public.workflow_stages'::regclass and attname in ('status', 'stage_status') and not attisdropped;
  -- instances_by_status
  execute format('create index if not exists idx_workflow_instances_workspace_status on public.workflow_instances (workspace_id, %I)', v_wi_status);
  -- open_stages_inbox
  execute format($$create index if not exists idx_workflow_stages_open on public.workflow_stages (workspace_id, stage_template_id) where %I = 'IN_PROGRESS'$$, v_ws_status);
end
$status_indexes$;

-- ---------------------------------------------------------------------------------------------
-- Isolation: RLS on every workspace-scoped table (policies in db/functions), grants to apms_app.
-- The owner bypasses RLS (migrations, fixtures); apms_app never does.
-- ---------------------------------------------------------------------------------------------
alter table public.workspaces enable row level security;
-- users: only the members of app.workspace_id (policy in db/functions; docs/security.md)
alter table public.users enable row level security;
alter table public.config_versions enable row level security;
alter table public.workflow_instances enable row level security;
alter table public.workflow_stages enable row level security;
alter table public.workspace_members enable row level security;
alter table public.master_regions enable row level security;
alter table public.master_sites enable row level security;
alter table public.master_workflow_templates enable row level security;
alter table public.master_stage_templates enable row level security;
alter table public.master_approval_rules enable row level security;
alter table public.master_checklist_items enable row level security;
alter table public.master_document_types enable row level security;
alter table public.workflow_approvals enable row level security;
alter table public.workflow_stage_documents enable row level security;
alter table public.audit_logs enable row level security;

grant usage on schema public to apms_app;
grant select on public.workspaces, public.users to apms_app;
grant select, insert, update, delete on
  public.config_versions, public.workflow_instances, public.workflow_stages,
  public.master_regions, public.master_sites, public.master_workflow_templates, public.master_stage_templates,
  public.master_approval_rules, public.master_checklist_items, public.master_document_types,
  public.workflow_approvals, public.workflow_stage_documents
  to apms_app;
-- members: the application changes a member's role or status and removes members; adding a user
-- to a workspace (or re-pointing a membership to another user) is provisioning, done by the owner,
-- so a workspace cannot make another workspace's user its member (docs/security.md)
revoke insert, update on public.workspace_members from apms_app;
grant select, delete, update (role, status) on public.workspace_members to apms_app;
-- audit rows are written only by the security-definer audit trigger: the application reads its
-- workspace's trail but can neither forge nor change it
grant select on public.audit_logs to apms_app;
revoke insert, update, delete, truncate on public.audit_logs from apms_app;

-- ---------------------------------------------------------------------------------------------
-- Seed: the production workspace (row only; its config is loaded from the workbook).
-- ---------------------------------------------------------------------------------------------
insert into public.workspaces (id, code, name)
values (gen_random_uuid(), 'XLSMART-AVIAT', 'XLSMART x AVIAT site acceptance')
on conflict (code) do nothing;

drop function pg_temp.add_constraint_once(regclass, text, text);
