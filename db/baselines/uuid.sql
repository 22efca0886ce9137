-- Baseline "uuid" (the default): the five tables that exist before migration
-- 20251229010228_add_master_tables_final_v2, as in environments where config_versions.id is uuid
-- and the status columns are called `status`. Runs on an empty database; it does not create
-- pgcrypto (gen_random_uuid() is built into PostgreSQL 13+, the migration enables pgcrypto itself).

create table public.workspaces (
  id uuid primary key default gen_random_uuid(),
  code text not null,
  name text not null,
  created_at timestamptz not null default now(),
  constraint workspaces_code_key unique (code)
);

-- users.id is text in every environment (ids come from the identity provider)
create table public.users (
  id text primary key,
  email text not null,
  name text,
  status text not null default 'ACTIVE',
  created_at timestamptz not null default now(),
  constraint users_email_key unique (email)
);

create table public.config_versions (
  id uuid primary key default gen_random_uuid(),
  workspace_id uuid not null references public.workspaces (id) on delete cascade,
  status text not null default 'DRAFT',
  source_file_name text,
  created_at timestamptz not null default now()
);

create table public.workflow_instances (
  id uuid primary key default gen_random_uuid(),
  workspace_id uuid not null references public.workspaces (id) on delete cascade,
  config_version_id uuid not null references public.config_versions (id),
  status text not null default 'IN_PROGRESS',
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

create table public.workflow_stages (
  id uuid primary key default gen_random_uuid(),
  workflow_instance_id uuid not null references public.workflow_instances (id) on delete cascade,
  name text,
  status text not null default 'PENDING',
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
