// Runtime on both baselines: start_workflow_instance / decide_stage move an instance through its
// stages, write approvals and the audit trail; freeze-by-reference keeps a running instance on the
// config version it started with; deleting an instance removes its stages, approvals, documents.
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDatabase, type TestDatabase } from "../../support/db.js";
import {
  BASELINES,
  configStatus,
  createConfig,
  createWorkspace,
  expectSqlState,
  instanceStatus,
  stagesOf,
  type Workspace,
} from "./helpers.js";

async function start(c: pg.ClientBase, ws: Workspace) {
  const r = await c.query<{ id: string }>(
    "select public.start_workflow_instance($1, 'SITE-ACCEPTANCE', 'SITE-1', $2) as id",
    [ws.id, ws.vendorPm],
  );
  return r.rows[0]?.id as string;
}

const decide = (c: pg.ClientBase, stageId: string, approver: string, decision: string) =>
  c.query("select public.decide_stage($1, $2, $3, 'looks good')", [stageId, approver, decision]);

describe.each(BASELINES)("runtime workflow (%s baseline)", (baseline) => {
  let db: TestDatabase;
  let c: pg.Client;

  beforeAll(async () => {
    db = await createDatabase({ baseline });
    c = await db.connect();
  });
  afterAll(async () => db?.drop());

  it("start creates an IN_PROGRESS instance on the ACTIVE version with its first stage open", async () => {
    const ws = await createWorkspace(c);
    const cfg = await createConfig(c, ws.id, { activate: true });
    const id = await start(c, ws);
    expect(await instanceStatus(c, id)).toBe("IN_PROGRESS");
    const cv = await c.query(
      "select config_version_id::text as cv from public.workflow_instances where id = $1",
      [id],
    );
    expect(cv.rows[0]?.cv).toBe(cfg.id);
    expect((await stagesOf(c, id)).map((s) => s.status)).toEqual(["IN_PROGRESS", "PENDING", "PENDING"]);
  });

  it("approve -> audit -> next stage -> complete", async () => {
    const ws = await createWorkspace(c);
    await createConfig(c, ws.id, { activate: true });
    const id = await start(c, ws);
    const stages = await stagesOf(c, id);
    const [s1, s2, s3] = stages.map((s) => s.id) as [string, string, string];

    await decide(c, s1, ws.vendorPm, "APPROVED");
    expect((await stagesOf(c, id)).map((s) => s.status)).toEqual(["APPROVED", "IN_PROGRESS", "PENDING"]);
    const audit = await c.query<{ table_name: string; action: string }>(
      `select table_name, action from public.audit_logs
       where (table_name = 'workflow_approvals' and new_values ->> 'workflow_stage_id' = $1)
          or (table_name = 'workflow_stages' and row_id in ($1, $2) and action = 'UPDATE')`,
      [s1, s2],
    );
    expect(audit.rows).toContainEqual({ table_name: "workflow_approvals", action: "INSERT" });
    expect(audit.rows.filter((r) => r.table_name === "workflow_stages")).toHaveLength(2);

    await decide(c, s2, ws.operator, "APPROVED");
    await decide(c, s3, ws.operator, "APPROVED");
    expect((await stagesOf(c, id)).map((s) => s.status)).toEqual(["APPROVED", "APPROVED", "APPROVED"]);
    expect(await instanceStatus(c, id)).toBe("COMPLETED");
    const approvals = await c.query(
      "select 1 from public.workflow_approvals where workflow_instance_id = $1",
      [id],
    );
    expect(approvals.rowCount).toBe(3);
  });

  it("rejecting a stage rejects the instance and skips the stages left", async () => {
    const ws = await createWorkspace(c);
    await createConfig(c, ws.id, { activate: true });
    const id = await start(c, ws);
    const [s1] = (await stagesOf(c, id)).map((s) => s.id) as [string];
    await decide(c, s1, ws.vendorPm, "REJECTED");
    expect((await stagesOf(c, id)).map((s) => s.status)).toEqual(["REJECTED", "SKIPPED", "SKIPPED"]);
    expect(await instanceStatus(c, id)).toBe("REJECTED");
  });

  it("refuses deciding a stage that is not IN_PROGRESS (ZB003) or by the wrong approver (ZB004)", async () => {
    const ws = await createWorkspace(c);
    const other = await createWorkspace(c);
    await createConfig(c, ws.id, { activate: true });
    const id = await start(c, ws);
    const [s1, s2] = (await stagesOf(c, id)).map((s) => s.id) as [string, string];

    await expectSqlState(decide(c, s2, ws.operator, "APPROVED"), "ZB003", /it is PENDING/);
    // operator holds a role, but not the one stage 1's approval rule names
    await expectSqlState(
      decide(c, s1, ws.operator, "APPROVED"),
      "ZB004",
      /role OPERATOR_APPROVER is not an approver role/,
    );
    // a member of another workspace
    await expectSqlState(decide(c, s1, other.vendorPm, "APPROVED"), "ZB004", /not an ACTIVE member/);
    // an inactive member
    await c.query("update public.workspace_members set status = 'INACTIVE' where user_id = $1", [
      ws.vendorPm,
    ]);
    await expectSqlState(decide(c, s1, ws.vendorPm, "APPROVED"), "ZB004");
    await c.query("update public.workspace_members set status = 'ACTIVE' where user_id = $1", [ws.vendorPm]);
    await expectSqlState(decide(c, s1, ws.vendorPm, "MAYBE"), "22023");

    await decide(c, s1, ws.vendorPm, "APPROVED");
    await expectSqlState(decide(c, s1, ws.vendorPm, "APPROVED"), "ZB003", /it is APPROVED/);
    expect((await stagesOf(c, id)).map((s) => s.status)).toEqual(["APPROVED", "IN_PROGRESS", "PENDING"]);
  });

  it("refuses starting without an ACTIVE config (ZB002) or with unknown codes (ZB005)", async () => {
    const ws = await createWorkspace(c);
    const draft = await createConfig(c, ws.id);
    await expectSqlState(start(c, ws), "ZB002", /has no ACTIVE config version/);
    // inserting directly on the DRAFT is refused by the trigger as well
    await expectSqlState(
      c.query("insert into public.workflow_instances (workspace_id, config_version_id) values ($1, $2)", [
        ws.id,
        draft.id,
      ]),
      "ZB002",
      /it is DRAFT/,
    );
    await c.query("select public.activate_config_version($1)", [draft.id]);
    await expectSqlState(
      c.query("select public.start_workflow_instance($1, 'NO-SUCH-TEMPLATE', 'SITE-1', null)", [ws.id]),
      "ZB005",
      /template NO-SUCH-TEMPLATE not found/,
    );
    await expectSqlState(
      c.query("select public.start_workflow_instance($1, 'SITE-ACCEPTANCE', 'NO-SUCH-SITE', null)", [ws.id]),
      "ZB005",
      /site NO-SUCH-SITE not found/,
    );
  });

  it("freeze-by-reference: a new ACTIVE version changes nothing for a running instance", async () => {
    const ws = await createWorkspace(c);
    const v1 = await createConfig(c, ws.id, { activate: true });
    const id = await start(c, ws);
    const before = await c.query("select to_jsonb(i) as row from public.workflow_instances i where id = $1", [
      id,
    ]);
    const stagesBefore = await stagesOf(c, id);

    const v2 = await createConfig(c, ws.id, { activate: true });
    expect(await configStatus(c, v1.id)).toBe("SUPERSEDED");
    const after = await c.query("select to_jsonb(i) as row from public.workflow_instances i where id = $1", [
      id,
    ]);
    expect(after.rows[0]?.row).toEqual(before.rows[0]?.row);
    expect(await stagesOf(c, id)).toEqual(stagesBefore);

    // the running instance keeps progressing on its SUPERSEDED version's rules
    await decide(c, stagesBefore[0]?.id as string, ws.vendorPm, "APPROVED");
    expect(await instanceStatus(c, id)).toBe("IN_PROGRESS");

    await expectSqlState(
      c.query("update public.workflow_instances set config_version_id = $2 where id = $1", [id, v2.id]),
      "ZB001",
      /frozen to the config version they started with/,
    );
    // the version it froze cannot be deleted from under it (on delete restrict)
    await expectSqlState(c.query("delete from public.config_versions where id = $1", [v1.id]), "23503");
    const cv = await c.query(
      "select config_version_id::text as cv from public.workflow_instances where id = $1",
      [id],
    );
    expect(cv.rows[0]?.cv).toBe(v1.id);
  });

  it("deleting an instance removes its stages, approvals and stage documents", async () => {
    const ws = await createWorkspace(c);
    const cfg = await createConfig(c, ws.id, { activate: true });
    const id = await start(c, ws);
    const [s1] = (await stagesOf(c, id)).map((s) => s.id) as [string];
    const docType = await c.query<{ id: string }>(
      "select id::text as id from public.master_document_types where config_version_id = $1 and code = 'DOC_1'",
      [cfg.id],
    );
    await c.query(
      `insert into public.workflow_stage_documents (workspace_id, config_version_id, workflow_stage_id, document_type_id,
         file_name, storage_key, uploaded_by)
       values ($1, $2, $3, $4, 'photos.zip', $5, $6)`,
      [ws.id, cfg.id, s1, docType.rows[0]?.id, `s3://bucket/${id}/photos.zip`, ws.vendorPm],
    );
    await decide(c, s1, ws.vendorPm, "APPROVED");
    const count = async () => {
      const r = await c.query<{ stages: number; approvals: number; documents: number }>(
        `select (select count(*) from public.workflow_stages where workflow_instance_id = $1)::int as stages,
                (select count(*) from public.workflow_approvals where workflow_instance_id = $1)::int as approvals,
                (select count(*) from public.workflow_stage_documents where workflow_stage_id = $2)::int as documents`,
        [id, s1],
      );
      return r.rows[0];
    };
    expect(await count()).toEqual({ stages: 3, approvals: 1, documents: 1 });
    await c.query("delete from public.workflow_instances where id = $1", [id]);
    expect(await count()).toEqual({ stages: 0, approvals: 0, documents: 0 });
  });
});
