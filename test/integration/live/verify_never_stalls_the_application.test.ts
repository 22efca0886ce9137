// Never stall the application (issue 15): an application transaction holds ACCESS SHARE on each of
// the sixteen tables in turn, for a whole verify run against the URL, while a probe takes the
// application's read lock on every table every 50 ms. The probe never waits 100 ms for a lock
// (measured inside the server, so a busy machine's scheduling does not count), and verify says GO
// or, when the held table is one it must lock exclusively, exit 3 inconclusive: never NO-GO or HOLD.
import { Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ALL_TABLES } from "../../../orchestrator/migration.js";
import { explain } from "../../../orchestrator/program/errors.js";
import { verify } from "../../../orchestrator/suite/verification.js";
import { DEFAULT_SESSION } from "../../../orchestrator/target/connection.js";
import { createDatabase, type TestDatabase } from "../../support/db.js";
import { type RunEnd, type StallRow, stallPerHeldTable } from "../../support/live.js";

const sink = () =>
  new Writable({
    write(_c, _e, cb) {
      cb();
    },
  });

let db: TestDatabase;
beforeAll(async () => {
  db = await createDatabase({ kind: "migrated" });
});
afterAll(async () => {
  await db?.drop();
});

/** One verify against the URL, no retries (the held lock is held for the whole run anyway). */
async function runVerify(): Promise<RunEnd> {
  try {
    const out = await verify({
      databaseUrl: db.url,
      jobs: 2,
      stdout: sink(),
      stderr: sink(),
      session: { ...DEFAULT_SESSION, retryBudgetMs: 0 },
    });
    return { exitCode: out.exitCode, decision: out.report.decision };
  } catch (e) {
    const x = explain(e);
    return { exitCode: x.exitCode, reason: x.reason };
  }
}

describe("an application transaction holding ACCESS SHARE on each of the sixteen tables in turn", () => {
  it("never makes the application wait 100 ms, and the run is GO or inconclusive", {
    timeout: 900_000,
  }, async () => {
    const rows: StallRow[] = await stallPerHeldTable(db.connection, ALL_TABLES, runVerify);
    const c = await db.connect();
    // What the suite must lock exclusively: TRUNCATE config_versions CASCADE (with every table
    // referencing it) and TRUNCATE audit_logs. Holding one of those can only end inconclusive.
    const { rows: strong } = await c.query<{ t: string }>(
      `with recursive r (oid) as (
         select 'public.config_versions'::regclass::oid
         union select k.conrelid from pg_constraint k join r on k.confrelid = r.oid where k.contype = 'f')
       select c.relname as t from r join pg_class c on c.oid = r.oid
       union select 'audit_logs'`,
    );
    const mustLock = new Set(strong.map((r) => r.t));
    expect(mustLock.size).toBe(13);

    const summary = rows.map(
      (r) =>
        `${r.table}: exit ${r.end.exitCode} ${r.end.decision ?? ""} lock wait ${r.probe.worstLockWaitMs.toFixed(1)} ms`,
    );
    for (const r of rows) {
      expect(r.probe.errors, r.table).toEqual([]);
      expect(r.probe.queries, r.table).toBeGreaterThan(ALL_TABLES.length);
      expect(r.probe.worstLockWaitMs, summary.join("\n")).toBeLessThan(100);
      if (mustLock.has(r.table)) {
        expect(r.end.exitCode, r.table).toBe(3);
        expect(r.end.reason).toMatch(/^inconclusive, no verdict: check (INV1|I3) /);
        expect(r.end.reason).toContain(
          `held by pid ${r.holderPid} (application_name "apms-app", idle in transaction`,
        );
        expect(r.end.reason).toContain(`on ${r.table})`);
      } else {
        expect(r.end, r.table).toEqual({ exitCode: 0, decision: "GO" });
      }
    }
  });
});
