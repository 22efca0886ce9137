// Audit trail on both baselines: every insert, update and delete on the config and workflow tables
// lands in audit_logs with actor, old and new values; audit_logs refuses update, delete, truncate.
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AUDITED_TABLES as AUDITED } from "../../../orchestrator/tables.js";
import { createDatabase, type TestDatabase } from "../../support/db.js";
import { BASELINES, createConfig, createWorkspace, expectSqlState } from "./helpers.js";

describe.each(BASELINES)("audit trail (%s baseline)", (baseline) => {
  let db: TestDatabase;
  let c: pg.Client;

  beforeAll(async () => {
    db = await createDatabase({ baseline });
    c = await db.connect();
  });
  afterAll(async () => db?.drop());

  it("every audited table has the AFTER row audit trigger", async () => {
    const r = await c.query<{ relname: string }>(
      `select c.relname from pg_trigger t join pg_class c on c.oid = t.tgrelid
       where t.tgname = 'trg_900_audit' and not t.tgisinternal and c.relnamespace = 'public'::regnamespace`,
    );
    expect(r.rows.map((x) => x.relname).sort()).toEqual([...AUDITED].sort());
  });

  it("insert, update and delete are logged with actor, old and new values", async () => {
    const ws = await createWorkspace(c);
    await c.query("begin");
    await c.query("select set_config('app.user_id', 'auditor-1', true)");
    const cfg = await createConfig(c, ws.id);
    await c.query("update public.master_sites set site_name = 'renamed' where id = $1", [cfg.siteId]);
    await c.query("delete from public.master_checklist_items where config_version_id = $1", [cfg.id]);
    await c.query("commit");

    type Values = Record<string, unknown> | null;
    const rows = await c.query<{ action: string; actor: string; old_values: Values; new_values: Values }>(
      `select action, actor, old_values, new_values from public.audit_logs
       where table_name = 'master_sites' and row_id = $1 order by changed_at`,
      [cfg.siteId],
    );
    expect(rows.rows.map((r) => r.action)).toEqual(["INSERT", "UPDATE"]);
    expect(rows.rows.every((r) => r.actor === "auditor-1")).toBe(true);
    const [ins, upd] = rows.rows;
    expect(ins?.old_values).toBeNull();
    expect(ins?.new_values?.site_name).toBe("Site one");
    expect(upd?.old_values?.site_name).toBe("Site one");
    expect(upd?.new_values?.site_name).toBe("renamed");

    const deletes = await c.query<{ n: number }>(
      `select count(*)::int as n from public.audit_logs
       where table_name = 'master_checklist_items' and action = 'DELETE' and new_values is null
         and old_values ->> 'config_version_id' = $1 and workspace_id = $2`,
      [cfg.id, ws.id],
    );
    expect(deletes.rows[0]?.n).toBe(3);
  });

  it("the actor falls back to the database role when app.user_id is unset", async () => {
    const ws = await createWorkspace(c);
    const r = await c.query<{ actor: string }>(
      "select actor from public.audit_logs where table_name = 'workspace_members' and workspace_id = $1",
      [ws.id],
    );
    expect(r.rows.length).toBe(2);
    expect(r.rows.every((x) => x.actor === "postgres")).toBe(true);
  });

  it("activation logs the supersede and the activate as updates", async () => {
    const ws = await createWorkspace(c);
    const v1 = await createConfig(c, ws.id, { activate: true });
    const v2 = await createConfig(c, ws.id, { activate: true });
    const r = await c.query<{ row_id: string; old: string; new: string }>(
      `select row_id, old_values ->> 'status' as old, new_values ->> 'status' as new from public.audit_logs
       where table_name = 'config_versions' and action = 'UPDATE' and workspace_id = $1 order by changed_at`,
      [ws.id],
    );
    expect(r.rows).toEqual([
      { row_id: v1.id, old: "DRAFT", new: "ACTIVE" },
      { row_id: v1.id, old: "ACTIVE", new: "SUPERSEDED" },
      { row_id: v2.id, old: "DRAFT", new: "ACTIVE" },
    ]);
  });

  it("audit_logs is append-only: update, delete and truncate are refused (ZC001)", async () => {
    const before = await c.query<{ n: number }>("select count(*)::int as n from public.audit_logs");
    expect(before.rows[0]?.n).toBeGreaterThan(0);
    await expectSqlState(
      c.query("update public.audit_logs set actor = 'someone else'"),
      "ZC001",
      /append-only: UPDATE/,
    );
    await expectSqlState(c.query("delete from public.audit_logs"), "ZC001", /append-only: DELETE/);
    await expectSqlState(c.query("truncate public.audit_logs"), "ZC001", /append-only: TRUNCATE/);
    const after = await c.query<{ n: number }>("select count(*)::int as n from public.audit_logs");
    expect(after.rows[0]?.n).toBe(before.rows[0]?.n);
  });

  it("apms_app cannot forge audit rows, yet its own changes are audited (security-definer trigger)", async () => {
    const ws = await createWorkspace(c);
    await c.query("begin");
    try {
      await c.query("select set_config('app.workspace_id', $1, true)", [ws.id]);
      await c.query("select set_config('app.user_id', 'app-user-7', true)");
      await c.query("set local role apms_app");
      await c.query("savepoint forge");
      await expectSqlState(
        c.query(
          "insert into public.audit_logs (workspace_id, table_name, row_id, action, actor) values ($1, 'config_versions', 'x', 'DELETE', 'nobody')",
          [ws.id],
        ),
        "42501",
      );
      await c.query("rollback to savepoint forge");
      const cv = await createConfig(c, ws.id);
      const r = await c.query<{ actor: string }>(
        "select actor from public.audit_logs where table_name = 'config_versions' and row_id = $1::text",
        [cv.id],
      );
      expect(r.rows).toEqual([{ actor: "app-user-7" }]);
    } finally {
      await c.query("rollback");
    }
  });

  it("apms_app cannot change the trail either (no privilege, and the trigger behind it)", async () => {
    await c.query("begin");
    try {
      await c.query("set local role apms_app");
      await expectSqlState(c.query("delete from public.audit_logs"), "42501");
    } finally {
      await c.query("rollback");
    }
  });
});
