// Race-free activation: 8 sessions activating different DRAFT versions of one workspace at the
// same moment end with exactly one ACTIVE version and no unique_violation. The same race run
// against a naive activate_config_version (no lock), installed in a database of its own, must
// fail the same check: proof that the check can see the race.
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { createDatabase, type TestDatabase } from "../../support/db.js";
import { BASELINES, createConfig, createWorkspace } from "../../support/migration.js";

const SESSIONS = 8;

// Supersede then activate, without serialising concurrent callers: the textbook race.
const NAIVE_ACTIVATE = `
create or replace function public.activate_config_version(p_config_version_id public.config_versions.id%type)
returns void
language plpgsql
set search_path = ''
as $$
declare
  v_workspace_id uuid;
begin
  select cv.workspace_id into v_workspace_id from public.config_versions cv where cv.id = p_config_version_id;
  update public.config_versions cv set status = 'SUPERSEDED' where cv.workspace_id = v_workspace_id and cv.status = 'ACTIVE';
  update public.config_versions cv set status = 'ACTIVE' where cv.id = p_config_version_id;
end
$$`;

interface RaceResult {
  errors: { code?: string; message: string }[];
  active: number;
  superseded: number;
}

/** 8 connections, each in its own transaction: activate a different DRAFT, hold briefly, commit. */
async function race(db: TestDatabase): Promise<RaceResult> {
  const setup = await db.connect();
  const ws = await createWorkspace(setup, "RACE");
  await createConfig(setup, ws.id, { activate: true });
  const drafts: string[] = [];
  for (let i = 0; i < SESSIONS; i++) drafts.push((await createConfig(setup, ws.id)).id);

  const sessions = await Promise.all(drafts.map(() => db.connect()));
  const errors: RaceResult["errors"] = [];
  await Promise.all(
    sessions.map(async (s, i) => {
      try {
        await s.query("begin");
        await s.query("select public.activate_config_version($1)", [drafts[i]]);
        // hold the transaction open so the others arrive while it is uncommitted
        await s.query("select pg_sleep(0.1)");
        await s.query("commit");
      } catch (e) {
        errors.push(e as { code?: string; message: string });
        await s.query("rollback").catch(() => undefined);
      }
    }),
  );
  const r = await setup.query<{ active: number; superseded: number }>(
    `select count(*) filter (where status = 'ACTIVE')::int as active,
            count(*) filter (where status = 'SUPERSEDED')::int as superseded
     from public.config_versions where workspace_id = $1`,
    [ws.id],
  );
  const row = r.rows[0] as { active: number; superseded: number };
  return { errors, ...row };
}

/** What "race-free" means: no error at all, exactly one ACTIVE, every other version SUPERSEDED. */
function raceFree(r: RaceResult): boolean {
  return r.errors.length === 0 && r.active === 1 && r.superseded === SESSIONS;
}

describe.each(BASELINES)("concurrent activation (%s baseline)", (baseline) => {
  const dbs: TestDatabase[] = [];
  afterAll(async () => {
    await Promise.all(dbs.map((d) => d.drop()));
  });

  it(`${SESSIONS} sessions activating at once end with exactly one ACTIVE and no unique_violation`, async () => {
    const db = await createDatabase({ baseline });
    dbs.push(db);
    const r = await race(db);
    expect(r.errors.map((e) => `${e.code} ${e.message}`)).toEqual([]);
    expect(r.active).toBe(1);
    expect(r.superseded).toBe(SESSIONS);
    expect(raceFree(r)).toBe(true);
  });

  it("the same race breaks a naive implementation (unique_violation or two ACTIVE)", async () => {
    const db = await createDatabase({ baseline });
    dbs.push(db);
    const admin = new pg.Client(db.connection);
    await admin.connect();
    try {
      await admin.query("set client_min_messages = warning");
      await admin.query(NAIVE_ACTIVATE);
    } finally {
      await admin.end();
    }
    const r = await race(db);
    expect(raceFree(r)).toBe(false);
    const uniqueViolations = r.errors.filter((e) => e.code === "23505").length;
    expect(uniqueViolations > 0 || r.active > 1).toBe(true);
  });
});
