// Shared fixtures of the migration's integration tests that need what pgTAP cannot give (several
// sessions, committed state, the applier): a workspace with members and a config version loaded
// with master rows, built through plain SQL so every test sees the real triggers.
import { randomBytes } from "node:crypto";
import type pg from "pg";
import { expect } from "vitest";

export const BASELINES = ["uuid", "text"] as const;

/**
 * Resolves to the error of a promise that must fail with SQLSTATE `code` (a pg DatabaseError's
 * `code`, or the `sqlstate` of the orchestrator's SqlFileError).
 */
export async function expectSqlState(p: Promise<unknown>, code: string, message?: RegExp) {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e as { code?: string; sqlstate?: string; message: string },
  );
  expect(err, `expected SQLSTATE ${code}, but the statement succeeded`).toBeDefined();
  expect(err?.code ?? err?.sqlstate, err?.message).toBe(code);
  if (message) expect(err?.message).toMatch(message);
  return err;
}

const code = (prefix: string) => `${prefix}-${randomBytes(4).toString("hex").toUpperCase()}`;

export interface Workspace {
  id: string;
  code: string;
  /** an ACTIVE member with role VENDOR_PM (approves stage 1) */
  vendorPm: string;
  /** an ACTIVE member with role OPERATOR_APPROVER (approves stages 2 and 3) */
  operator: string;
}

/** A workspace with two active users who are members. */
export async function createWorkspace(c: pg.ClientBase, prefix = "WS"): Promise<Workspace> {
  const wsCode = code(prefix);
  const ws = await c.query<{ id: string }>(
    "insert into public.workspaces (code, name) values ($1, $1) returning id::text as id",
    [wsCode],
  );
  const id = ws.rows[0]?.id as string;
  const vendorPm = `${wsCode.toLowerCase()}-pm`;
  const operator = `${wsCode.toLowerCase()}-op`;
  await c.query(
    `insert into public.users (id, email, status) values ($1, $1 || '@example.test', 'ACTIVE'), ($2, $2 || '@example.test', 'ACTIVE')`,
    [vendorPm, operator],
  );
  await c.query(
    `insert into public.workspace_members (workspace_id, user_id, role) values ($1, $2, 'VENDOR_PM'), ($1, $3, 'OPERATOR_APPROVER')`,
    [id, vendorPm, operator],
  );
  return { id, code: wsCode, vendorPm, operator };
}

export interface Config {
  id: string;
  regionId: string;
  siteId: string;
  templateId: string;
  stageTemplateIds: string[];
}

/**
 * A DRAFT config version with one region, one site (SITE-1), template SITE-ACCEPTANCE with three
 * stages (approved by VENDOR_PM, OPERATOR_APPROVER, OPERATOR_APPROVER), checklist items and
 * document types; activated through public.activate_config_version when `activate`.
 */
export async function createConfig(c: pg.ClientBase, workspaceId: string, opts: { activate?: boolean } = {}) {
  const one = async (sql: string, params: unknown[]) => {
    const r = await c.query<{ id: string }>(sql, params);
    return r.rows[0]?.id as string;
  };
  const id = await one(
    "insert into public.config_versions (workspace_id, source_file_name) values ($1, 'config.xlsx') returning id::text as id",
    [workspaceId],
  );
  const regionId = await one(
    "insert into public.master_regions (workspace_id, config_version_id, code, name) values ($1, $2, 'JABO', 'Jabodetabek') returning id::text as id",
    [workspaceId, id],
  );
  const siteId = await one(
    `insert into public.master_sites (workspace_id, config_version_id, region_id, site_code, site_name, latitude, longitude)
     values ($1, $2, $3, 'SITE-1', 'Site one', -6.2, 106.8) returning id::text as id`,
    [workspaceId, id, regionId],
  );
  const templateId = await one(
    `insert into public.master_workflow_templates (workspace_id, config_version_id, code, name)
     values ($1, $2, 'SITE-ACCEPTANCE', 'Site acceptance') returning id::text as id`,
    [workspaceId, id],
  );
  const roles = ["VENDOR_PM", "OPERATOR_APPROVER", "OPERATOR_APPROVER"];
  const stageTemplateIds: string[] = [];
  for (const [i, role] of roles.entries()) {
    const st = await one(
      `insert into public.master_stage_templates (workspace_id, config_version_id, workflow_template_id, stage_order, code, name)
       values ($1, $2, $3, $4, $5, $5) returning id::text as id`,
      [workspaceId, id, templateId, i + 1, `STAGE_${i + 1}`],
    );
    stageTemplateIds.push(st);
    await c.query(
      `insert into public.master_approval_rules (workspace_id, config_version_id, stage_template_id, approver_role)
       values ($1, $2, $3, $4)`,
      [workspaceId, id, st, role],
    );
    await c.query(
      `insert into public.master_checklist_items (workspace_id, config_version_id, stage_template_id, item_code, description)
       values ($1, $2, $3, 'CHECK', 'checked')`,
      [workspaceId, id, st],
    );
    await c.query(
      `insert into public.master_document_types (workspace_id, config_version_id, stage_template_id, code, name)
       values ($1, $2, $3, $4, 'document')`,
      [workspaceId, id, st, `DOC_${i + 1}`],
    );
  }
  if (opts.activate) await c.query("select public.activate_config_version($1)", [id]);
  return { id, regionId, siteId, templateId, stageTemplateIds } satisfies Config;
}

/** The status column names of this database's baseline. */
async function statusColumns(c: pg.ClientBase) {
  const r = await c.query<{ instance: string; stage: string }>(
    `select public.status_column_of('public.workflow_instances') as instance,
            public.status_column_of('public.workflow_stages') as stage`,
  );
  return r.rows[0] as { instance: string; stage: string };
}

/** Stages of an instance in order, with their status whatever the column is called. */
export async function stagesOf(c: pg.ClientBase, instanceId: string) {
  const { stage } = await statusColumns(c);
  const r = await c.query<{ id: string; stage_order: number; status: string }>(
    `select id::text as id, stage_order, "${stage}" as status from public.workflow_stages
     where workflow_instance_id = $1 order by stage_order`,
    [instanceId],
  );
  return r.rows;
}

export async function instanceStatus(c: pg.ClientBase, instanceId: string) {
  const { instance } = await statusColumns(c);
  const r = await c.query<{ status: string }>(
    `select "${instance}" as status from public.workflow_instances where id = $1`,
    [instanceId],
  );
  return r.rows[0]?.status;
}
