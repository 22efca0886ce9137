-- Migration 20251229010228_add_master_tables_final_v2
--
-- What it creates: the master tables of a versioned site-acceptance config (operator XLSMART,
-- vendor AVIAT) and the runtime tables around them: workspace_members, master_regions,
-- master_sites, master_workflow_templates, master_stage_templates, master_approval_rules,
-- master_checklist_items, master_document_types, workflow_approvals, workflow_stage_documents,
-- audit_logs (11 tables, 16 with the baseline's five); the columns, composite keys, checks and
-- indexes they need on the baseline tables; the partial unique index
-- config_versions_one_active_per_workspace; the role apms_app (NOLOGIN) with its grants (reads
-- and appends in its workspace; every other change through db/functions) and the PUBLIC
-- privileges withheld from it; schema apms_private with the keys that sign a session's request
-- context; RLS enabled on every workspace-scoped table; the seed workspace XLSMART-AVIAT; the
-- transition trigger that fills workflow_stages.workspace_id for the application release that
-- predates it. Functions, triggers and RLS policies live in db/functions (repeatable, applied after
-- this file). The threat model these serve: docs/security.md.
--
-- What it requires: PostgreSQL 15; the five baseline tables (workspaces, users, config_versions,
-- workflow_instances, workflow_stages) with config_versions.id uuid or text and
-- workflow_instances.config_version_id of the same type, users.id text, and exactly one status
-- column per workflow table (status | workflow_status, status | stage_status). Anything else stops
-- the migration with SQLSTATE ZD001 before it changes anything. pgcrypto must be available
-- (SQLSTATE ZD002 otherwise). Creating apms_app needs CREATEROLE the first time.
--
-- Online: it runs while the application reads and writes the baseline tables (docs/deployment.md).
-- Run it statement by statement, NOT in one transaction: `gonogo migrate`, or by hand
-- `psql -v ON_ERROR_STOP=1 -f migration.sql` (never -1: CREATE INDEX CONCURRENTLY and the
-- batched backfill's COMMITs cannot run inside a transaction block). Every change to a baseline
-- table takes its lock with a short lock_timeout and retries with backoff; constraints are added
-- NOT VALID and validated; indexes on baseline tables are built CONCURRENTLY; the backfill
-- commits per batch. Interrupted anywhere (client killed, server crash), running it again
-- completes it: every statement is if-not-exists or guarded by catalog detection, and an index
-- an interrupted CONCURRENTLY build left INVALID is dropped and rebuilt.
-- Tunables (custom settings, e.g. PGOPTIONS='-c gonogo.ddl_lock_timeout=1s'):
--   gonogo.ddl_lock_timeout (500ms)  how long one DDL statement waits for its lock per attempt
--   gonogo.ddl_attempts (60)         attempts before giving up (backoff 0.1 s doubling to 5 s)
--   gonogo.backfill_batch_pages (250) heap pages of workflow_stages per backfill transaction
--   gonogo.backfill_pause_ms (0)     pause between backfill batches (lets replicas catch up)
-- The lines `-- gonogo:phase <name>` name the phases gonogo reports; psql ignores them.

-- gonogo:phase preflight

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

-- gonogo:phase expand
-- Helpers, session-local (pg_temp) and dropped at the end of this file.

-- Runs one DDL statement in a transaction of its own with a short lock_timeout: when the lock is
-- busy (a long transaction holds the table), it gives up after gonogo.ddl_lock_timeout instead of
-- queueing and blocking every reader and writer behind itself, waits with backoff, and retries.
create or replace procedure pg_temp.ddl(p_sql text)
language plpgsql
as $$
declare
  v_timeout text := coalesce(nullif(current_setting('gonogo.ddl_lock_timeout', true), ''), '500ms');
  v_attempts int := coalesce(nullif(current_setting('gonogo.ddl_attempts', true), '')::int, 60);
  v_attempt int := 0;
begin
  loop
    v_attempt := v_attempt + 1;
    begin
      perform pg_catalog.set_config('lock_timeout', v_timeout, true);
      execute p_sql;
      exit;
    exception when lock_not_available then
      if v_attempt >= v_attempts then
        raise;
      end if;
      raise notice 'lock busy, retry %: %', v_attempt, left(regexp_replace(p_sql, '\s+', ' ', 'g'), 90);
    end;
    commit;
    perform pg_catalog.pg_sleep(least(5, 0.1 * 2 ^ least(v_attempt - 1, 6)) * (0.5 + random()));
  end loop;
  commit;
end
$$;

-- Adds a named constraint unless the table already has one of that name: keeps a second apply a
-- no-op. CHECK and FOREIGN KEY go in NOT VALID (a short lock, no scan) and are then validated
-- under SHARE UPDATE EXCLUSIVE, which lets reads and writes through; a run interrupted between
-- the two validates on the next.
create or replace procedure pg_temp.add_constraint_once(p_table regclass, p_name text, p_definition text)
language plpgsql
as $$
declare
  v_deferrable boolean := p_definition ~* '^\s*(check|foreign key)';
begin
  if not exists (select from pg_catalog.pg_constraint c where c.conrelid = p_table and c.conname = p_name) then
    call pg_temp.ddl(format('alter table %s add constraint %I %s%s', p_table, p_name, p_definition,
      case when v_deferrable then ' not valid' else '' end));
  end if;
  if exists (select from pg_catalog.pg_constraint c
             where c.conrelid = p_table and c.conname = p_name and not c.convalidated) then
    call pg_temp.ddl(format('alter table %s validate constraint %I', p_table, p_name));
  end if;
end
$$;

-- Turns a unique index built CONCURRENTLY into the named constraint (a short lock, no scan).
create or replace procedure pg_temp.attach_unique(p_table regclass, p_name text)
language plpgsql
as $$
begin
  if not exists (select from pg_catalog.pg_constraint c where c.conrelid = p_table and c.conname = p_name) then
    call pg_temp.ddl(format('alter table %s add constraint %I unique using index %I', p_table, p_name, p_name));
  end if;
end
$$;

-- An index an interrupted CREATE INDEX CONCURRENTLY left INVALID would satisfy the IF NOT EXISTS
-- below without serving anything: drop it (concurrently) so it is rebuilt.
select format('drop index concurrently if exists %s', i.indexrelid::regclass)
from pg_catalog.pg_index i
join pg_catalog.pg_class c on c.oid = i.indexrelid
where not i.indisvalid and c.relnamespace = 'public'::regnamespace
\gexec

-- The application role: RLS applies to it (not the owner, no BYPASSRLS). NOLOGIN: the application
-- logs in as a role of its own that is granted apms_app (docs/security.md).
do $role$
begin
  if not exists (select from pg_catalog.pg_roles where rolname = 'apms_app') then
    create role apms_app nologin nosuperuser nobypassrls;
  end if;
end
$role$;

-- The keys that sign a session's request context (workspace, user, backend pid, expiry): the
-- application holds a copy, apms_app cannot read them (no USAGE on the schema), so a session can
-- act only for the workspace and user the application signed (db/functions: verified_context).
-- inner_pad and outer_pad are HMAC-SHA256's key pads (RFC 2104), kept beside the key so that a
-- verification is two sha256() calls of core PostgreSQL, whatever schema pgcrypto lives in.
create schema if not exists apms_private;
revoke all on schema apms_private from public;
create or replace function apms_private.hmac_pad(p_key bytea, p_pad integer)
returns bytea
language plpgsql
immutable
strict
set search_path = pg_catalog, pg_temp
as $$
declare
  v_block bytea := p_key || pg_catalog.decode(pg_catalog.repeat('00', 64 - pg_catalog.octet_length(p_key)), 'hex');
begin
  for v_i in 0 .. 63 loop
    v_block := pg_catalog.set_byte(v_block, v_i, pg_catalog.get_byte(v_block, v_i) # p_pad);
  end loop;
  return v_block;
end
$$;
revoke execute on function apms_private.hmac_pad(bytea, integer) from public;
create table if not exists apms_private.context_keys (
  -- named in each token; a dot would end it early
  id text primary key,
  secret bytea not null,
  inner_pad bytea generated always as (apms_private.hmac_pad(secret, 54)) stored,
  outer_pad bytea generated always as (apms_private.hmac_pad(secret, 92)) stored,
  created_at timestamptz not null default now(),
  revoked_at timestamptz,
  constraint context_keys_id_check check (id ~ '^[a-z0-9_-]{1,32}$'),
  -- 32 bytes or more: a short key is guessable; 64 at most: HMAC hashes a longer one first
  constraint context_keys_secret_check check (octet_length(secret) between 32 and 64)
);
revoke all on apms_private.context_keys from public;

-- ---------------------------------------------------------------------------------------------
-- Baseline tables: columns and keys the new tables and the runtime need. Each ALTER below holds
-- its ACCESS EXCLUSIVE lock for a catalog change only (no rewrite, no scan).
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
    call pg_temp.ddl('alter table public.workspaces add constraint workspaces_code_key unique (code)');
  end if;
end
$ws_code$;

-- new columns are nullable and without default: adding them is a catalog change
call pg_temp.ddl($$alter table public.config_versions
  add column if not exists created_by text,
  add column if not exists activated_at timestamptz,
  add column if not exists activated_by text,
  add column if not exists superseded_at timestamptz$$);
call pg_temp.ddl($$alter table public.workflow_instances
  add column if not exists workflow_template_id uuid,
  add column if not exists site_id uuid,
  add column if not exists started_by text,
  add column if not exists completed_at timestamptz$$);
call pg_temp.ddl($$alter table public.workflow_stages
  add column if not exists workspace_id uuid,
  add column if not exists stage_template_id uuid,
  add column if not exists stage_order integer,
  add column if not exists started_at timestamptz,
  add column if not exists decided_at timestamptz$$);

-- Transition trigger: a stage written without workspace_id (the application release that predates
-- this migration inserts `(workflow_instance_id, name)` only) gets its instance's workspace. It
-- covers the rows that release writes while the backfill runs and keeps its inserts valid after
-- the migration; it is retired by the migration that follows that application's next release
-- (docs/deployment.md, "Compatibility window").
-- Runs as the caller: an instance of another workspace is invisible to it, the column stays null
-- and NOT NULL refuses the row, as it would without the trigger.
create or replace function public.fill_stage_workspace_id()
returns trigger
language plpgsql
set search_path = pg_catalog, pg_temp
as $$
begin
  select i.workspace_id into new.workspace_id
  from public.workflow_instances i
  where i.id = new.workflow_instance_id;
  return new;
end
$$;
revoke execute on function public.fill_stage_workspace_id() from public;
call pg_temp.ddl($$create or replace trigger trg_010_fill_workspace_id
  before insert or update on public.workflow_stages
  for each row when (new.workspace_id is null) execute function public.fill_stage_workspace_id()$$);

-- gonogo:phase backfill
-- Existing stages inherit their instance's workspace, in batches of heap pages that each commit:
-- row locks are held for one batch; a batch that meets a row an application transaction holds
-- for more than 100 ms is redone skipping the locked rows, which the trigger fills when that
-- transaction updates them, or the sweep that follows, one row per transaction. Progress goes out as notices: "backfill <column>: batch N, done of total rows".
create or replace procedure pg_temp.backfill_stage_workspace()
language plpgsql
as $$
declare
  v_pages bigint := pg_catalog.pg_relation_size('public.workflow_stages')
    / pg_catalog.current_setting('block_size')::bigint;
  v_step bigint := coalesce(nullif(current_setting('gonogo.backfill_batch_pages', true), '')::bigint, 250);
  v_pause_ms int := coalesce(nullif(current_setting('gonogo.backfill_pause_ms', true), '')::int, 0);
  v_total bigint;
  v_done bigint := 0;
  v_rows bigint;
  v_from bigint := 0;
  v_batch int := 0;
  v_ctid tid;
begin
  select count(*) into v_total from public.workflow_stages where workspace_id is null;
  if v_total = 0 then
    return;
  end if;
  raise notice 'backfill workflow_stages.workspace_id: batch 0, 0 of % rows', v_total;
  while v_from < v_pages loop
    v_batch := v_batch + 1;
    begin
      -- a row lock wait shorter than deadlock_timeout: in a lock cycle with the application, the
      -- batch gives way (never the application) and redoes the batch skipping the locked rows
      perform pg_catalog.set_config('lock_timeout', '100ms', true);
      update public.workflow_stages s
      set workspace_id = (select i.workspace_id from public.workflow_instances i where i.id = s.workflow_instance_id)
      where s.ctid >= format('(%s,0)', v_from)::tid and s.ctid < format('(%s,0)', v_from + v_step)::tid
        and s.workspace_id is null;
      get diagnostics v_rows = row_count;
    exception when lock_not_available then
      update public.workflow_stages s
      set workspace_id = (select i.workspace_id from public.workflow_instances i where i.id = s.workflow_instance_id)
      where s.ctid = any (array(
        select b.ctid from public.workflow_stages b
        where b.ctid >= format('(%s,0)', v_from)::tid and b.ctid < format('(%s,0)', v_from + v_step)::tid
          and b.workspace_id is null
        for update skip locked));
      get diagnostics v_rows = row_count;
    end;
    commit;
    v_done := v_done + v_rows;
    v_from := v_from + v_step;
    raise notice 'backfill workflow_stages.workspace_id: batch %, % of % rows', v_batch, v_done, v_total;
    if v_pause_ms > 0 then
      perform pg_catalog.pg_sleep(v_pause_ms / 1000.0);
    end if;
  end loop;
  -- sweep: rows skipped because an application transaction held them
  for v_ctid in select ctid from public.workflow_stages where workspace_id is null loop
    update public.workflow_stages s
    set workspace_id = (select i.workspace_id from public.workflow_instances i where i.id = s.workflow_instance_id)
    where s.ctid = v_ctid and s.workspace_id is null;
    commit;
  end loop;
end
$$;
call pg_temp.backfill_stage_workspace();

-- gonogo:phase constrain
-- NOT NULL without a scan under ACCESS EXCLUSIVE: a validated CHECK (workspace_id is not null)
-- proves it, so SET NOT NULL skips its scan (PostgreSQL 12+); the CHECK is dropped afterwards.
do $stage_workspace_not_null$
begin
  if exists (select from pg_catalog.pg_attribute where attrelid = 'public.workflow_stages'::regclass
             and attname = 'workspace_id' and not attnotnull) then
    call pg_temp.add_constraint_once('public.workflow_stages', 'workflow_stages_workspace_id_not_null',
      'check (workspace_id is not null)');
    call pg_temp.ddl('alter table public.workflow_stages alter column workspace_id set not null');
  end if;
  if exists (select from pg_catalog.pg_constraint where conrelid = 'public.workflow_stages'::regclass
             and conname = 'workflow_stages_workspace_id_not_null') then
    call pg_temp.ddl('alter table public.workflow_stages drop constraint workflow_stages_workspace_id_not_null');
  end if;
end
$stage_workspace_not_null$;

call pg_temp.add_constraint_once('public.config_versions', 'config_versions_status_check',
  $$check (status in ('DRAFT', 'ACTIVE', 'SUPERSEDED'))$$);
call pg_temp.add_constraint_once('public.workflow_stages', 'workflow_stages_stage_order_check',
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
  call pg_temp.add_constraint_once('public.workflow_instances', 'workflow_instances_status_check',
    format($$check (%I in ('IN_PROGRESS', 'COMPLETED', 'REJECTED', 'CANCELLED'))$$, v_wi_status));
  call pg_temp.add_constraint_once('public.workflow_stages', 'workflow_stages_status_check',
    format($$check (%I in ('PENDING', 'IN_PROGRESS', 'APPROVED', 'REJECTED', 'SKIPPED'))$$, v_ws_status));
end
$status_checks$;

-- gonogo:phase unique keys
-- CREATE INDEX CONCURRENTLY waits for transactions older than itself (that wait blocks no reader
-- or writer: its SHARE UPDATE EXCLUSIVE lock conflicts with neither); give it time to.
set lock_timeout = '15min';
-- Unique keys on baseline tables: the index is built CONCURRENTLY (reads and writes go on), then
-- becomes the constraint in a catalog change.
-- target of every composite (workspace_id, config_version_id) foreign key
create unique index concurrently if not exists config_versions_workspace_id_id_key
  on public.config_versions (workspace_id, id);
call pg_temp.attach_unique('public.config_versions', 'config_versions_workspace_id_id_key');
create unique index concurrently if not exists workflow_instances_workspace_id_id_key
  on public.workflow_instances (workspace_id, id);
call pg_temp.attach_unique('public.workflow_instances', 'workflow_instances_workspace_id_id_key');
create unique index concurrently if not exists workflow_stages_workspace_id_id_key
  on public.workflow_stages (workspace_id, id);
call pg_temp.attach_unique('public.workflow_stages', 'workflow_stages_workspace_id_id_key');
-- led by workspace_id, as every index apms_app can scan (docs/security.md, "EXPLAIN"); the baseline's
-- own foreign key on workflow_instance_id is served by idx_workflow_stages_instance
create unique index concurrently if not exists workflow_stages_instance_order_key
  on public.workflow_stages (workspace_id, workflow_instance_id, stage_order);
call pg_temp.attach_unique('public.workflow_stages', 'workflow_stages_instance_order_key');

-- gonogo:phase new tables
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

-- gonogo:phase foreign keys
-- ---------------------------------------------------------------------------------------------
-- Foreign keys (composite where a row must stay inside its workspace and config version).
-- Master rows cascade with their config version (a DRAFT is deleted with its rows; the guards in
-- db/functions refuse it for ACTIVE versions). Runtime rows restrict deletion of what they froze.
-- A runtime row names its user twice: through the workspace's membership (the composite key, which
-- refuses a user of another workspace) and straight to users. No index is led by those user ids
-- (the application role could range-scan it across workspaces: docs/security.md, "EXPLAIN"), so
-- deleting a user scans started_by, approver_id and uploaded_by: a rare act, measured in
-- docs/hot-queries.md.
-- ---------------------------------------------------------------------------------------------

-- config_versions
call pg_temp.add_constraint_once('public.config_versions', 'config_versions_created_by_fkey',
  'foreign key (created_by) references public.users (id) on delete set null');
call pg_temp.add_constraint_once('public.config_versions', 'config_versions_activated_by_fkey',
  'foreign key (activated_by) references public.users (id) on delete set null');

-- workspace_members
call pg_temp.add_constraint_once('public.workspace_members', 'workspace_members_workspace_id_fkey',
  'foreign key (workspace_id) references public.workspaces (id) on delete cascade');
call pg_temp.add_constraint_once('public.workspace_members', 'workspace_members_user_id_fkey',
  'foreign key (user_id) references public.users (id) on delete cascade');

-- master_regions
call pg_temp.add_constraint_once('public.master_regions', 'master_regions_workspace_id_fkey',
  'foreign key (workspace_id) references public.workspaces (id) on delete cascade');
call pg_temp.add_constraint_once('public.master_regions', 'master_regions_config_version_fkey',
  'foreign key (workspace_id, config_version_id) references public.config_versions (workspace_id, id) on delete cascade');

-- master_sites
call pg_temp.add_constraint_once('public.master_sites', 'master_sites_workspace_id_fkey',
  'foreign key (workspace_id) references public.workspaces (id) on delete cascade');
call pg_temp.add_constraint_once('public.master_sites', 'master_sites_config_version_fkey',
  'foreign key (workspace_id, config_version_id) references public.config_versions (workspace_id, id) on delete cascade');
call pg_temp.add_constraint_once('public.master_sites', 'master_sites_region_fkey',
  'foreign key (workspace_id, config_version_id, region_id) references public.master_regions (workspace_id, config_version_id, id) on delete cascade');

-- master_workflow_templates
call pg_temp.add_constraint_once('public.master_workflow_templates', 'master_workflow_templates_workspace_id_fkey',
  'foreign key (workspace_id) references public.workspaces (id) on delete cascade');
call pg_temp.add_constraint_once('public.master_workflow_templates', 'master_workflow_templates_config_version_fkey',
  'foreign key (workspace_id, config_version_id) references public.config_versions (workspace_id, id) on delete cascade');

-- master_stage_templates
call pg_temp.add_constraint_once('public.master_stage_templates', 'master_stage_templates_workspace_id_fkey',
  'foreign key (workspace_id) references public.workspaces (id) on delete cascade');
call pg_temp.add_constraint_once('public.master_stage_templates', 'master_stage_templates_config_version_fkey',
  'foreign key (workspace_id, config_version_id) references public.config_versions (workspace_id, id) on delete cascade');
call pg_temp.add_constraint_once('public.master_stage_templates', 'master_stage_templates_workflow_template_fkey',
  'foreign key (workspace_id, config_version_id, workflow_template_id) references public.master_workflow_templates (workspace_id, config_version_id, id) on delete cascade');

-- master_approval_rules
call pg_temp.add_constraint_once('public.master_approval_rules', 'master_approval_rules_workspace_id_fkey',
  'foreign key (workspace_id) references public.workspaces (id) on delete cascade');
call pg_temp.add_constraint_once('public.master_approval_rules', 'master_approval_rules_config_version_fkey',
  'foreign key (workspace_id, config_version_id) references public.config_versions (workspace_id, id) on delete cascade');
call pg_temp.add_constraint_once('public.master_approval_rules', 'master_approval_rules_stage_template_fkey',
  'foreign key (workspace_id, config_version_id, stage_template_id) references public.master_stage_templates (workspace_id, config_version_id, id) on delete cascade');

-- master_checklist_items
call pg_temp.add_constraint_once('public.master_checklist_items', 'master_checklist_items_workspace_id_fkey',
  'foreign key (workspace_id) references public.workspaces (id) on delete cascade');
call pg_temp.add_constraint_once('public.master_checklist_items', 'master_checklist_items_config_version_fkey',
  'foreign key (workspace_id, config_version_id) references public.config_versions (workspace_id, id) on delete cascade');
call pg_temp.add_constraint_once('public.master_checklist_items', 'master_checklist_items_stage_template_fkey',
  'foreign key (workspace_id, config_version_id, stage_template_id) references public.master_stage_templates (workspace_id, config_version_id, id) on delete cascade');

-- master_document_types
call pg_temp.add_constraint_once('public.master_document_types', 'master_document_types_workspace_id_fkey',
  'foreign key (workspace_id) references public.workspaces (id) on delete cascade');
call pg_temp.add_constraint_once('public.master_document_types', 'master_document_types_config_version_fkey',
  'foreign key (workspace_id, config_version_id) references public.config_versions (workspace_id, id) on delete cascade');
call pg_temp.add_constraint_once('public.master_document_types', 'master_document_types_stage_template_fkey',
  'foreign key (workspace_id, config_version_id, stage_template_id) references public.master_stage_templates (workspace_id, config_version_id, id) on delete cascade');

-- workflow_instances: frozen to the config version it started with (restrict, never cascade)
call pg_temp.add_constraint_once('public.workflow_instances', 'workflow_instances_config_version_fkey',
  'foreign key (workspace_id, config_version_id) references public.config_versions (workspace_id, id) on delete restrict');
call pg_temp.add_constraint_once('public.workflow_instances', 'workflow_instances_workflow_template_fkey',
  'foreign key (workspace_id, config_version_id, workflow_template_id) references public.master_workflow_templates (workspace_id, config_version_id, id) on delete restrict');
call pg_temp.add_constraint_once('public.workflow_instances', 'workflow_instances_site_fkey',
  'foreign key (workspace_id, config_version_id, site_id) references public.master_sites (workspace_id, config_version_id, id) on delete restrict');
call pg_temp.add_constraint_once('public.workflow_instances', 'workflow_instances_started_by_fkey',
  'foreign key (started_by) references public.users (id)');
call pg_temp.add_constraint_once('public.workflow_instances', 'workflow_instances_started_by_member_fkey',
  'foreign key (workspace_id, started_by) references public.workspace_members (workspace_id, user_id)');

-- workflow_stages
call pg_temp.add_constraint_once('public.workflow_stages', 'workflow_stages_workspace_id_fkey',
  'foreign key (workspace_id) references public.workspaces (id) on delete cascade');
call pg_temp.add_constraint_once('public.workflow_stages', 'workflow_stages_instance_fkey',
  'foreign key (workspace_id, workflow_instance_id) references public.workflow_instances (workspace_id, id) on delete cascade');
call pg_temp.add_constraint_once('public.workflow_stages', 'workflow_stages_stage_template_fkey',
  'foreign key (workspace_id, stage_template_id) references public.master_stage_templates (workspace_id, id) on delete restrict');

-- workflow_approvals
call pg_temp.add_constraint_once('public.workflow_approvals', 'workflow_approvals_workspace_id_fkey',
  'foreign key (workspace_id) references public.workspaces (id) on delete cascade');
call pg_temp.add_constraint_once('public.workflow_approvals', 'workflow_approvals_instance_fkey',
  'foreign key (workspace_id, workflow_instance_id) references public.workflow_instances (workspace_id, id) on delete cascade');
call pg_temp.add_constraint_once('public.workflow_approvals', 'workflow_approvals_stage_fkey',
  'foreign key (workspace_id, workflow_stage_id) references public.workflow_stages (workspace_id, id) on delete cascade');
call pg_temp.add_constraint_once('public.workflow_approvals', 'workflow_approvals_approver_id_fkey',
  'foreign key (approver_id) references public.users (id)');
call pg_temp.add_constraint_once('public.workflow_approvals', 'workflow_approvals_approver_member_fkey',
  'foreign key (workspace_id, approver_id) references public.workspace_members (workspace_id, user_id)');

-- workflow_stage_documents
call pg_temp.add_constraint_once('public.workflow_stage_documents', 'workflow_stage_documents_workspace_id_fkey',
  'foreign key (workspace_id) references public.workspaces (id) on delete cascade');
call pg_temp.add_constraint_once('public.workflow_stage_documents', 'workflow_stage_documents_stage_fkey',
  'foreign key (workspace_id, workflow_stage_id) references public.workflow_stages (workspace_id, id) on delete cascade');
call pg_temp.add_constraint_once('public.workflow_stage_documents', 'workflow_stage_documents_config_version_fkey',
  'foreign key (workspace_id, config_version_id) references public.config_versions (workspace_id, id) on delete restrict');
call pg_temp.add_constraint_once('public.workflow_stage_documents', 'workflow_stage_documents_document_type_fkey',
  'foreign key (workspace_id, config_version_id, document_type_id) references public.master_document_types (workspace_id, config_version_id, id) on delete restrict');
call pg_temp.add_constraint_once('public.workflow_stage_documents', 'workflow_stage_documents_uploaded_by_fkey',
  'foreign key (uploaded_by) references public.users (id)');
call pg_temp.add_constraint_once('public.workflow_stage_documents', 'workflow_stage_documents_uploaded_by_member_fkey',
  'foreign key (workspace_id, uploaded_by) references public.workspace_members (workspace_id, user_id)');


-- gonogo:phase indexes
-- ---------------------------------------------------------------------------------------------
-- Indexes. Each serves a named query from docs/hot-queries.md (or the delete a foreign key
-- cascades/checks); the query name is on the line above. Those on baseline tables are built
-- CONCURRENTLY: reads and writes go on while they build. Every index of a table apms_app reads
-- leads with workspace_id or holds only uuid columns: EXPLAIN ANALYZE counts the rows an index scan
-- visits before RLS filters them, and the policy's workspace_id = ... bounds that scan to the
-- session's own workspace only when workspace_id leads (docs/security.md, "EXPLAIN").
-- ---------------------------------------------------------------------------------------------

-- active_config_for_workspace (and invariant INV2: at most one ACTIVE version per workspace)
create unique index concurrently if not exists config_versions_one_active_per_workspace
  on public.config_versions (workspace_id) where status = 'ACTIVE';
-- config_versions_by_workspace
create index concurrently if not exists idx_config_versions_workspace_created
  on public.config_versions (workspace_id, created_at desc);
-- config_versions_by_author
create index concurrently if not exists idx_config_versions_created_by
  on public.config_versions (workspace_id, created_by);
-- memberships_of_user (and users delete -> cascade); apms_app does not read workspace_members
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
  on public.master_approval_rules (workspace_id, config_version_id, approver_role);
-- checklist_for_stage
create index if not exists idx_master_checklist_items_stage_template
  on public.master_checklist_items (workspace_id, config_version_id, stage_template_id, sort_order);
-- documents_required_for_stage
create index if not exists idx_master_document_types_stage_template
  on public.master_document_types (workspace_id, config_version_id, stage_template_id);
-- instances_on_config_version (freeze-by-reference; config_versions delete -> restrict check)
create index concurrently if not exists idx_workflow_instances_config_version
  on public.workflow_instances (workspace_id, config_version_id);
-- instances_for_site
create index concurrently if not exists idx_workflow_instances_site on public.workflow_instances (workspace_id, site_id);
-- Led by the template, not the version: idx_workflow_instances_config_version already serves
-- (workspace_id, config_version_id); template ids are unique, so this also serves the
-- master_workflow_templates delete check.
-- instances_of_template
create index concurrently if not exists idx_workflow_instances_template
  on public.workflow_instances (workspace_id, workflow_template_id);
-- instances_started_by (and the workspace_members delete check)
create index concurrently if not exists idx_workflow_instances_started_by
  on public.workflow_instances (workspace_id, started_by);
-- recent_instances
create index concurrently if not exists idx_workflow_instances_workspace_created
  on public.workflow_instances (workspace_id, created_at desc);
-- stages_using_template (master_stage_templates delete -> restrict check)
create index concurrently if not exists idx_workflow_stages_stage_template
  on public.workflow_stages (workspace_id, stage_template_id);
-- deleting an instance cascades to its stages through the baseline's own foreign key on
-- workflow_instance_id (uuid only: what a range of it shows is random ids)
-- stages_of_instance
create index concurrently if not exists idx_workflow_stages_instance
  on public.workflow_stages (workflow_instance_id);
-- approvals_for_instance
create index if not exists idx_workflow_approvals_instance
  on public.workflow_approvals (workspace_id, workflow_instance_id);
-- approvals_by_approver (and the workspace_members delete check)
create index if not exists idx_workflow_approvals_approver
  on public.workflow_approvals (workspace_id, approver_id, decided_at desc);
-- documents_of_stage (and workflow_stages delete -> cascade)
create index if not exists idx_workflow_stage_documents_stage
  on public.workflow_stage_documents (workspace_id, workflow_stage_id);
-- documents_of_type (master_document_types delete -> restrict check)
create index if not exists idx_workflow_stage_documents_document_type
  on public.workflow_stage_documents (workspace_id, config_version_id, document_type_id);
-- documents_uploaded_by (and the workspace_members delete check)
create index if not exists idx_workflow_stage_documents_uploaded_by
  on public.workflow_stage_documents (workspace_id, uploaded_by);
-- audit_feed
create index if not exists idx_audit_logs_workspace_changed_at on public.audit_logs (workspace_id, changed_at desc);
-- row_history
create index if not exists idx_audit_logs_table_row on public.audit_logs (workspace_id, table_name, row_id, changed_at);
-- actions_by_actor
create index if not exists idx_audit_logs_actor on public.audit_logs (workspace_id, actor, changed_at desc);
-- (no index on txid: changes_in_transaction is a rare forensic query, served by the workspace feed
-- index plus a filter; an index there would tax every audited write, the hottest path)

-- The status-dependent indexes name whichever status column the baseline has.
-- instances_by_status
select format('create index concurrently if not exists idx_workflow_instances_workspace_status on public.workflow_instances (workspace_id, %I)', attname)
from pg_catalog.pg_attribute
where attrelid = 'public.workflow_instances'::regclass and attname in ('status', 'workflow_status') and not attisdropped
\gexec
-- open_stages_inbox
select format($$create index concurrently if not exists idx_workflow_stages_open on public.workflow_stages (workspace_id, stage_template_id) where %I = 'IN_PROGRESS'$$, attname)
from pg_catalog.pg_attribute
where attrelid = 'public.workflow_stages'::regclass and attname in ('status', 'stage_status') and not attisdropped
\gexec

-- gonogo:phase finish
-- ---------------------------------------------------------------------------------------------
-- Isolation: RLS on every workspace-scoped table (policies in db/functions), grants to apms_app.
-- The owner bypasses RLS (migrations, fixtures); apms_app never does.
-- ---------------------------------------------------------------------------------------------
call pg_temp.ddl('alter table public.workspaces enable row level security');
call pg_temp.ddl('alter table public.users enable row level security');
call pg_temp.ddl('alter table public.config_versions enable row level security');
call pg_temp.ddl('alter table public.workflow_instances enable row level security');
call pg_temp.ddl('alter table public.workflow_stages enable row level security');
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

-- apms_app reads its workspace's rows and appends new ones; it changes or removes nothing directly.
-- Without UPDATE it cannot run INSERT ... ON CONFLICT DO UPDATE (whose WHERE sees a conflicting row
-- of another workspace before RLS does), SELECT ... FOR UPDATE/SHARE, or LOCK TABLE in any mode
-- above ROW EXCLUSIVE: no lock it can take blocks another workspace's reads or writes. Every
-- change goes through the functions of db/functions, which enforce the lifecycle, the approval
-- rules and the transitions. users, workspaces and workspace_members are read through functions
-- too (current_workspace, workspace_users): their indexes are not led by workspace_id, and a
-- range scan of them under EXPLAIN ANALYZE would count other workspaces' e-mail addresses, codes
-- and member ids (docs/security.md, "EXPLAIN").
revoke all on
  public.workspaces, public.users, public.config_versions, public.workflow_instances, public.workflow_stages,
  public.workspace_members, public.master_regions, public.master_sites, public.master_workflow_templates,
  public.master_stage_templates, public.master_approval_rules, public.master_checklist_items,
  public.master_document_types, public.workflow_approvals, public.workflow_stage_documents, public.audit_logs
  from apms_app;
grant usage on schema public to apms_app;
grant select on
  public.config_versions, public.workflow_instances, public.workflow_stages,
  public.master_regions, public.master_sites, public.master_workflow_templates, public.master_stage_templates,
  public.master_approval_rules, public.master_checklist_items, public.master_document_types,
  public.workflow_approvals, public.workflow_stage_documents, public.audit_logs
  to apms_app;
-- a DRAFT config version and its master rows (the workbook load), a stage's documents
grant insert on
  public.config_versions,
  public.master_regions, public.master_sites, public.master_workflow_templates, public.master_stage_templates,
  public.master_approval_rules, public.master_checklist_items, public.master_document_types,
  public.workflow_stage_documents
  to apms_app;

-- Withheld from apms_app: what lets one session deny service to every other. Temporary tables
-- and advisory locks fill the shared lock table (about 12,800 locks stop every new connection,
-- the superuser's included), pg_cancel_backend and pg_terminate_backend end the other sessions of
-- the same login. PostgreSQL grants them to PUBLIC: they are taken from PUBLIC and given back to
-- every other role that exists now (superusers and predefined pg_* roles need no grant), so nothing
-- changes for any role but apms_app, its members and the roles apms_app is a member of. A role
-- created later that needs them gets them by an explicit GRANT (docs/security.md).
do $withhold$
declare
  v_keepers text;
  v_function regprocedure;
begin
  select pg_catalog.string_agg(pg_catalog.quote_ident(r.rolname), ', ' order by r.rolname) into v_keepers
  from pg_catalog.pg_roles r
  where not r.rolsuper and r.rolname !~ '^pg_'
    and not pg_catalog.pg_has_role(r.oid, 'apms_app', 'MEMBER')
    and not pg_catalog.pg_has_role('apms_app', r.oid, 'MEMBER');
  if pg_catalog.has_database_privilege('public', pg_catalog.current_database(), 'TEMPORARY') then
    execute pg_catalog.format('revoke temporary on database %I from public', pg_catalog.current_database());
    if v_keepers is not null then
      execute pg_catalog.format('grant temporary on database %I to %s', pg_catalog.current_database(), v_keepers);
    end if;
  end if;
  for v_function in
    select p.oid::regprocedure from pg_catalog.pg_proc p
    where p.pronamespace = 'pg_catalog'::regnamespace
      and (p.proname ~ '^pg_(try_)?advisory_(xact_)?lock(_shared)?$' or p.proname in ('pg_cancel_backend', 'pg_terminate_backend'))
      and pg_catalog.has_function_privilege('public', p.oid, 'EXECUTE')
  loop
    execute pg_catalog.format('revoke execute on function %s from public', v_function);
    if v_keepers is not null then
      execute pg_catalog.format('grant execute on function %s to %s', v_function, v_keepers);
    end if;
  end loop;
end
$withhold$;

-- ---------------------------------------------------------------------------------------------
-- Seed: the production workspace (row only; its config is loaded from the workbook).
-- ---------------------------------------------------------------------------------------------
insert into public.workspaces (id, code, name)
values (gen_random_uuid(), 'XLSMART-AVIAT', 'XLSMART x AVIAT site acceptance')
on conflict (code) do nothing;

drop procedure pg_temp.backfill_stage_workspace();
drop procedure pg_temp.attach_unique(regclass, text);
drop procedure pg_temp.add_constraint_once(regclass, text, text);
drop procedure pg_temp.ddl(text);
