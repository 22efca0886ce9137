// Config lifecycle on both baselines: DRAFT -> ACTIVE -> SUPERSEDED only, frozen non-DRAFT
// versions and master rows, an ACTIVE version cannot be deleted (row, workspace cascade, TRUNCATE),
// a DRAFT version is deleted with its master rows, one ACTIVE per workspace.
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MASTER_TABLES } from "../../../orchestrator/tables.js";
import { createDatabase, type TestDatabase } from "../../support/db.js";
import { BASELINES, configStatus, createConfig, createWorkspace, expectSqlState } from "./helpers.js";

async function masterRowCount(c: pg.ClientBase, configId: string) {
  let total = 0;
  for (const t of MASTER_TABLES) {
    const r = await c.query<{ n: number }>(
      `select count(*)::int as n from public.${t} where config_version_id = $1`,
      [configId],
    );
    total += r.rows[0]?.n ?? 0;
  }
  return total;
}

describe.each(BASELINES)("config lifecycle (%s baseline)", (baseline) => {
  let db: TestDatabase;
  let c: pg.Client;

  beforeAll(async () => {
    db = await createDatabase({ baseline, kind: "migrated" });
    c = await db.connect();
  });
  afterAll(async () => db?.drop());

  it("activating a DRAFT supersedes the previous ACTIVE version in the same transaction", async () => {
    const ws = await createWorkspace(c);
    const v1 = await createConfig(c, ws.id, { activate: true });
    const v2 = await createConfig(c, ws.id);
    expect(await configStatus(c, v1.id)).toBe("ACTIVE");
    expect(await configStatus(c, v2.id)).toBe("DRAFT");

    await c.query("select public.activate_config_version($1)", [v2.id]);
    expect(await configStatus(c, v1.id)).toBe("SUPERSEDED");
    expect(await configStatus(c, v2.id)).toBe("ACTIVE");
    const active = await c.query(
      "select id from public.config_versions where workspace_id = $1 and status = 'ACTIVE'",
      [ws.id],
    );
    expect(active.rowCount).toBe(1);
  });

  it("refuses every other transition (ZA002) and activating a non-DRAFT version (ZA005)", async () => {
    const ws = await createWorkspace(c);
    const v1 = await createConfig(c, ws.id, { activate: true });
    const v2 = await createConfig(c, ws.id, { activate: true });
    const draft = await createConfig(c, ws.id);
    const set = (id: string, status: string) =>
      c.query("update public.config_versions set status = $2 where id = $1", [id, status]);

    await expectSqlState(set(v2.id, "DRAFT"), "ZA002", /illegal config status transition ACTIVE -> DRAFT/);
    await expectSqlState(set(v1.id, "ACTIVE"), "ZA002", /SUPERSEDED -> ACTIVE/);
    await expectSqlState(set(v1.id, "DRAFT"), "ZA002", /SUPERSEDED -> DRAFT/);
    await expectSqlState(set(draft.id, "SUPERSEDED"), "ZA002", /DRAFT -> SUPERSEDED/);
    await expectSqlState(
      c.query("select public.activate_config_version($1)", [v1.id]),
      "ZA005",
      /SUPERSEDED/,
    );
    await expectSqlState(c.query("select public.activate_config_version($1)", [v2.id]), "ZA005", /ACTIVE/);
    expect(await configStatus(c, v1.id)).toBe("SUPERSEDED");
    expect(await configStatus(c, v2.id)).toBe("ACTIVE");
    expect(await configStatus(c, draft.id)).toBe("DRAFT");
  });

  it("a new version must start as DRAFT (ZA004)", async () => {
    const ws = await createWorkspace(c);
    await expectSqlState(
      c.query("insert into public.config_versions (workspace_id, status) values ($1, 'ACTIVE')", [ws.id]),
      "ZA004",
      /must start as DRAFT/,
    );
    await expectSqlState(
      c.query("insert into public.config_versions (workspace_id, status) values ($1, 'SUPERSEDED')", [ws.id]),
      "ZA004",
    );
  });

  it("the partial unique index refuses a second ACTIVE version when the function is bypassed", async () => {
    const ws = await createWorkspace(c);
    await createConfig(c, ws.id, { activate: true });
    const draft = await createConfig(c, ws.id);
    await expectSqlState(
      c.query("update public.config_versions set status = 'ACTIVE' where id = $1", [draft.id]),
      "23505",
      /config_versions_one_active_per_workspace/,
    );
  });

  it("non-DRAFT versions and their master rows are frozen (ZA003); DRAFT ones are editable", async () => {
    const ws = await createWorkspace(c);
    const draft = await createConfig(c, ws.id);
    await c.query("update public.config_versions set source_file_name = 'v2.xlsx' where id = $1", [draft.id]);
    await c.query("update public.master_sites set site_name = 'renamed' where id = $1", [draft.siteId]);
    await c.query("select public.activate_config_version($1)", [draft.id]);

    await expectSqlState(
      c.query("update public.config_versions set source_file_name = 'edited.xlsx' where id = $1", [draft.id]),
      "ZA003",
      /it is ACTIVE and frozen/,
    );
    await expectSqlState(
      c.query("update public.master_sites set site_name = 'edited' where id = $1", [draft.siteId]),
      "ZA003",
      /cannot update master_sites row: config version .* is ACTIVE/,
    );
    await expectSqlState(
      c.query("delete from public.master_checklist_items where config_version_id = $1", [draft.id]),
      "ZA003",
    );
    await expectSqlState(
      c.query(
        "insert into public.master_regions (workspace_id, config_version_id, code, name) values ($1, $2, 'NEW', 'new')",
        [ws.id, draft.id],
      ),
      "ZA003",
      /cannot insert master_regions row/,
    );
    // still frozen once SUPERSEDED
    await createConfig(c, ws.id, { activate: true });
    await expectSqlState(
      c.query("update public.master_workflow_templates set name = 'x' where id = $1", [draft.templateId]),
      "ZA003",
      /SUPERSEDED/,
    );
  });

  it("an ACTIVE version cannot be deleted: row delete, cascade from its workspace, TRUNCATE (ZA001)", async () => {
    const ws = await createWorkspace(c);
    const v = await createConfig(c, ws.id, { activate: true });
    await expectSqlState(
      c.query("delete from public.config_versions where id = $1", [v.id]),
      "ZA001",
      /cannot delete ACTIVE config version/,
    );
    await expectSqlState(c.query("delete from public.workspaces where id = $1", [ws.id]), "ZA001");
    await expectSqlState(
      c.query("truncate public.config_versions cascade"),
      "ZA001",
      /cannot truncate config_versions/,
    );
    await expectSqlState(c.query("truncate public.workspaces cascade"), "ZA001");
    expect(await configStatus(c, v.id)).toBe("ACTIVE");
    expect(await masterRowCount(c, v.id)).toBeGreaterThan(0);
  });

  it("deleting a DRAFT (or SUPERSEDED) version removes its master rows", async () => {
    const ws = await createWorkspace(c);
    const draft = await createConfig(c, ws.id);
    expect(await masterRowCount(c, draft.id)).toBe(15);
    await c.query("delete from public.config_versions where id = $1", [draft.id]);
    expect(await masterRowCount(c, draft.id)).toBe(0);

    const old = await createConfig(c, ws.id, { activate: true });
    await createConfig(c, ws.id, { activate: true });
    expect(await configStatus(c, old.id)).toBe("SUPERSEDED");
    await c.query("delete from public.config_versions where id = $1", [old.id]);
    expect(await masterRowCount(c, old.id)).toBe(0);
  });

  it("deleting a workspace without an ACTIVE version cascades through its versions and master rows", async () => {
    const ws = await createWorkspace(c);
    const draft = await createConfig(c, ws.id);
    await c.query("delete from public.workspaces where id = $1", [ws.id]);
    expect(await configStatus(c, draft.id)).toBeUndefined();
    expect(await masterRowCount(c, draft.id)).toBe(0);
  });
});
