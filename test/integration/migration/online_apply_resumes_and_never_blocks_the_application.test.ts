// The migration runs online: killed mid-backfill or mid-CONCURRENTLY it resumes and ends with the
// schema a clean apply gives; the old application writes throughout without an error and keeps
// working afterwards; a long transaction on workflow_stages makes the migration wait its short
// lock_timeout and retry, not block the readers queued behind it. verify says GO after each.
import type pg from "pg";
import { afterAll, describe, expect, it, vi } from "vitest";
import { LEDGER } from "../../../orchestrator/apply/applier.js";
import { dumpSchema } from "../../../scripts/dump-schema.js";
import { createDatabase, type TestDatabase } from "../../support/db.js";
import {
  client,
  expectCompleted,
  expectGo,
  expectResumed,
  invalidIndexes,
  midBackfill,
  midConcurrently,
  noGonogoSession,
  seedPreMigration,
  startMigrate,
  startWriter,
  statusCols,
  waitFor,
} from "../../support/online.js";

// each test migrates, interrupts, resumes and runs verify: minutes on a loaded machine
vi.setConfig({ testTimeout: 600_000 });

const dbs: TestDatabase[] = [];
afterAll(async () => {
  await Promise.all(dbs.map((d) => d.drop()));
});

/** A pre-migration database with data (3 workspaces, 300 instances, 3,000 stages). */
async function preMigration(baseline: string) {
  const db = await createDatabase({ baseline, kind: "bare" });
  dbs.push(db);
  const c = await db.connect();
  await c.query("set client_min_messages = warning");
  await seedPreMigration(c);
  return { db, c };
}

/** The normalised schema dump of a clean, uninterrupted apply on the same baseline. */
const cleanDumps = new Map<string, string>();
async function cleanDump(baseline: string): Promise<string> {
  const cached = cleanDumps.get(baseline);
  if (cached) return cached;
  const { db } = await preMigration(baseline);
  const r = await startMigrate(db.url).child;
  expect(r.exitCode, String(r.stderr)).toBe(0);
  const dump = dumpSchema(db.connection);
  cleanDumps.set(baseline, dump);
  return dump;
}

// Slow the backfill down so the test can stop it half-way: one heap page per batch, 150 ms apart.
const SLOW_BACKFILL = { "gonogo.backfill_batch_pages": "1", "gonogo.backfill_pause_ms": "150" };

async function admin(db: TestDatabase): Promise<pg.Client> {
  const c = await client({ ...db.connection, database: "postgres" });
  return c;
}

describe.each(["uuid", "text"])("online migration on the %s baseline", (baseline) => {
  it("SIGKILL of the client mid-backfill: the rerun completes it, schema as a clean apply's, one ledger row", async () => {
    const { db, c } = await preMigration(baseline);
    const watch = await admin(db);
    try {
      const m = startMigrate(db.url, SLOW_BACKFILL);
      await waitFor("mid-backfill", () => midBackfill(c));
      m.child.kill("SIGKILL");
      await m.child;
      await noGonogoSession(watch, db.name);
      expect(await midBackfill(c), "the kill left the backfill half-done").toBe(true);
      const ledger = await c.query(`select state from ${LEDGER}`);
      expect(ledger.rows).toEqual([{ state: "running" }]);

      await expectResumed(db.url, c, () => dumpSchema(db.connection), await cleanDump(baseline));

      const noop = await startMigrate(db.url).child;
      expect(noop.exitCode).toBe(0);
      expect(String(noop.stdout)).toMatch(/0 applied, 1 already applied/);
      await expectCompleted(c, 2);
    } finally {
      await watch.end();
    }
  });

  it("SIGKILL of the client mid-CONCURRENTLY: the INVALID index it leaves is dropped and rebuilt", async () => {
    const { db, c } = await preMigration(baseline);
    const watch = await admin(db);
    // an open snapshot keeps the first CREATE INDEX CONCURRENTLY in 'waiting for old snapshots'
    const holder = await db.connect();
    try {
      await holder.query("begin isolation level repeatable read");
      await holder.query("select 1");
      const m = startMigrate(db.url);
      await waitFor("an index build waiting for old snapshots", () =>
        midConcurrently(watch, db.name, "waiting for old snapshots"),
      );
      m.child.kill("SIGKILL");
      await m.child;
      await noGonogoSession(watch, db.name);
      await holder.query("commit");
      expect(await invalidIndexes(c), "the killed build left an INVALID index").toBeGreaterThan(0);
      await expectResumed(db.url, c, () => dumpSchema(db.connection), await cleanDump(baseline));
    } finally {
      await holder.query("rollback").catch(() => undefined);
      await watch.end();
    }
  });

  it("the old application writes throughout the apply without an error, and keeps working after it", async () => {
    const { db, c } = await preMigration(baseline);
    const writer = await startWriter(db.connection, baseline);
    const m = startMigrate(db.url, { "gonogo.backfill_batch_pages": "2", "gonogo.backfill_pause_ms": "20" });
    const r = await m.child;
    const w = await writer.stop();
    expect(r.exitCode, m.stderr()).toBe(0);
    expect(w.errors).toEqual([]);
    expect(w.instances).toBeGreaterThan(0);
    // progress on stderr (not a TTY): phase lines and the backfill's batch, rows and estimate
    expect(m.stderr()).toMatch(
      /migrate: backfill workflow_stages\.workspace_id: batch \d+, [\d,]+ of [\d,]+ rows/,
    );
    await expectCompleted(c, 1);

    // after the migration, the old release's plain insert still works and yields a valid row
    const cols = statusCols(baseline);
    const ins = await c.query<{ workspace_id: string; matches: boolean }>(
      `with i as (select id, workspace_id from public.workflow_instances limit 1)
       insert into public.workflow_stages (workflow_instance_id, name) select id, 'late stage' from i
       returning workspace_id::text, workspace_id = (select workspace_id from i) as matches`,
    );
    expect(ins.rows[0]?.matches).toBe(true);
    await c.query(
      `update public.workflow_stages set "${cols.stage}" = 'IN_PROGRESS' where name = 'late stage'`,
    );
    await expectGo(db.url);
  });
});

describe("a long transaction holding workflow_stages during the apply", () => {
  it("makes the migration wait its lock_timeout and retry; readers behind it are not blocked longer", async () => {
    const { db, c } = await preMigration("uuid");
    const reader = await db.connect();
    const neighbour = await db.connect();
    const HOLD_MS = 8000;
    await reader.query("begin");
    await reader.query("select count(*) from public.workflow_stages");
    const m = startMigrate(db.url);
    // a neighbour reads workflow_stages every 100 ms while the long reader holds its lock
    let worst = 0;
    const t0 = Date.now();
    while (Date.now() - t0 < HOLD_MS) {
      const s = Date.now();
      await neighbour.query("select id from public.workflow_stages limit 1");
      worst = Math.max(worst, Date.now() - s);
      await new Promise((r) => setTimeout(r, 100));
    }
    await reader.query("commit");
    const r = await m.child;
    expect(r.exitCode, m.stderr()).toBe(0);
    expect(m.stderr(), "the migration retried its lock").toMatch(/lock busy, retry \d+/);
    // without lock_timeout the neighbour would queue behind the migration's ACCESS EXCLUSIVE
    // request for the whole hold (8 s); with it, at most one lock_timeout (500 ms) plus noise
    expect(worst).toBeLessThan(HOLD_MS / 2);
    await expectCompleted(c, 1);
  });
});
