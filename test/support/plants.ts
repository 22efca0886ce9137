// One planted defect per data pre-check rule, on the uuid baseline filled with SMALL volumes
// (workspaces OPCO-0001..3; instance i belongs to OPCO-000(i % 3 + 1) and its version
// cv(ws)-(1 + i % 2); ids are md5 of 'ws1', 'cv1-2', 'wi1', 'st1-1', ...). Each one makes the
// migration itself fail; the pre-check must name the rule, the count and the sample keys.
import { createHash } from "node:crypto";

export interface Plant {
  /** The rule (constraint, index or NOT NULL) it violates. */
  guards: string;
  sql: string;
  count: number;
  /** A workspace code the samples must name (when the rule can tell). */
  workspace?: string;
  /** The md5 seed of an id the samples must contain (uuidOf(key)). */
  key: string;
}

const id = (s: string) => `md5('${s}')::uuid`;
/** md5(seed)::uuid as text, computed here so the expectation does not depend on the SQL. */
export function uuidOf(seed: string): string {
  const h = createHash("md5").update(seed).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

export const PLANTS: Plant[] = [
  {
    guards: "workspaces_code_key",
    sql: "alter table public.workspaces drop constraint workspaces_code_key; update public.workspaces set code = 'OPCO-0001' where code = 'OPCO-0002'",
    count: 1,
    workspace: "OPCO-0001",
    key: "ws2",
  },
  {
    guards: "config_versions_status_check",
    sql: `update public.config_versions set status = 'LEGACY' where id = ${id("cv1-1")}`,
    count: 1,
    workspace: "OPCO-0001",
    key: "cv1-1",
  },
  {
    guards: "config_versions_workspace_id_id_key",
    sql: `alter table public.config_versions drop constraint config_versions_pkey cascade;
          insert into public.config_versions (id, workspace_id, status) select id, workspace_id, 'DRAFT'
          from public.config_versions where id = ${id("cv1-1")}`,
    count: 1,
    workspace: "OPCO-0001",
    key: "cv1-1",
  },
  {
    guards: "config_versions_one_active_per_workspace",
    sql: `update public.config_versions set status = 'ACTIVE' where id = ${id("cv2-1")}`,
    count: 1,
    workspace: "OPCO-0002",
    key: "cv2-1",
  },
  {
    guards: "config_versions_created_by_fkey",
    sql: `alter table public.config_versions add column created_by text;
          update public.config_versions set created_by = 'ghost' where id = ${id("cv3-2")}`,
    count: 1,
    workspace: "OPCO-0003",
    key: "cv3-2",
  },
  {
    guards: "config_versions_activated_by_fkey",
    sql: `alter table public.config_versions add column activated_by text;
          update public.config_versions set activated_by = 'ghost' where id in (${id("cv1-2")}, ${id("cv2-2")})`,
    count: 2,
    workspace: "OPCO-0002",
    key: "cv2-2",
  },
  {
    guards: "workflow_instances_workspace_id_id_key",
    sql: `alter table public.workflow_instances drop constraint workflow_instances_pkey cascade;
          insert into public.workflow_instances select * from public.workflow_instances where id = ${id("wi1")}`,
    count: 1,
    workspace: "OPCO-0002",
    key: "wi1",
  },
  {
    guards: "workflow_instances_status_check",
    sql: `update public.workflow_instances set status = 'ON_HOLD' where id = ${id("wi3")}`,
    count: 1,
    workspace: "OPCO-0001",
    key: "wi3",
  },
  {
    guards: "workflow_instances_config_version_fkey",
    sql: `update public.workflow_instances set config_version_id = ${id("cv3-2")} where id = ${id("wi1")}`,
    count: 1,
    workspace: "OPCO-0002",
    key: "wi1",
  },
  {
    guards: "workflow_instances_workflow_template_fkey",
    sql: `alter table public.workflow_instances add column workflow_template_id uuid;
          update public.workflow_instances set workflow_template_id = ${id("tpl")} where id = ${id("wi2")}`,
    count: 1,
    workspace: "OPCO-0003",
    key: "wi2",
  },
  {
    guards: "workflow_instances_site_fkey",
    sql: `alter table public.workflow_instances add column site_id uuid;
          update public.workflow_instances set site_id = ${id("site")} where id = ${id("wi2")}`,
    count: 1,
    workspace: "OPCO-0003",
    key: "wi2",
  },
  {
    guards: "workflow_instances_started_by_fkey",
    sql: `alter table public.workflow_instances add column started_by text;
          update public.workflow_instances set started_by = 'ghost' where id = ${id("wi4")}`,
    count: 1,
    workspace: "OPCO-0002",
    key: "wi4",
  },
  {
    guards: "workflow_instances_started_by_member_fkey",
    sql: `alter table public.workflow_instances add column started_by text;
          update public.workflow_instances set started_by = 'u2-1' where id = ${id("wi4")}`,
    count: 1,
    workspace: "OPCO-0002",
    key: "wi4",
  },
  {
    guards: "workflow_stages.workspace_id NOT NULL",
    sql: `alter table public.workflow_stages drop constraint workflow_stages_workflow_instance_id_fkey;
          update public.workflow_stages set workflow_instance_id = ${id("gone")} where id = ${id("st5-2")}`,
    count: 1,
    key: "st5-2",
  },
  {
    guards: "workflow_stages_workspace_id_id_key",
    sql: `alter table public.workflow_stages drop constraint workflow_stages_pkey cascade;
          insert into public.workflow_stages select * from public.workflow_stages where id = ${id("st1-1")}`,
    count: 1,
    workspace: "OPCO-0002",
    key: "st1-1",
  },
  {
    guards: "workflow_stages_instance_order_key",
    sql: `alter table public.workflow_stages add column stage_order integer;
          update public.workflow_stages set stage_order = 1 where workflow_instance_id = ${id("wi6")}`,
    count: 1,
    workspace: "OPCO-0001",
    key: "wi6",
  },
  {
    guards: "workflow_stages_stage_order_check",
    sql: `alter table public.workflow_stages add column stage_order integer;
          update public.workflow_stages set stage_order = 0 where id = ${id("st6-3")}`,
    count: 1,
    workspace: "OPCO-0001",
    key: "st6-3",
  },
  {
    guards: "workflow_stages_status_check",
    sql: `update public.workflow_stages set status = 'DONE' where workflow_instance_id = ${id("wi2")}`,
    count: 3,
    workspace: "OPCO-0003",
    key: "st2-1",
  },
  {
    guards: "workflow_stages_workspace_id_fkey",
    sql: `alter table public.workflow_stages add column workspace_id uuid;
          update public.workflow_stages set workspace_id = ${id("nowhere")} where id = ${id("st3-1")}`,
    count: 1,
    key: "st3-1",
  },
  {
    guards: "workflow_stages_instance_fkey",
    sql: `alter table public.workflow_stages add column workspace_id uuid;
          update public.workflow_stages set workspace_id = ${id("ws1")} where id = ${id("st1-2")}`,
    count: 1,
    workspace: "OPCO-0001",
    key: "st1-2",
  },
  {
    guards: "workflow_stages_stage_template_fkey",
    sql: `alter table public.workflow_stages add column stage_template_id uuid;
          update public.workflow_stages set stage_template_id = ${id("tmpl")} where id = ${id("st4-1")}`,
    count: 1,
    key: "st4-1",
  },
];
