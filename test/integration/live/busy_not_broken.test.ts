// Busy, not broken (issue 15): verify against a URL while the application works on the same
// database (apms_app sessions starting workflows and approving stages through the project's
// functions, a reader, one session idle in transaction on config_versions). The decision equals the
// quiet run's, the workload sees no error and never a row of the suite's, and afterwards the
// database holds exactly what the workload alone would leave: every row that is not the
// workload's (by xmin) is as it was before, and the schema, sequences, roles and settings too.
import { Writable } from "node:stream";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, describe, expect, it } from "vitest";
import { verify } from "../../../orchestrator/suite/verification.js";
import { createDatabase, type TestDatabase } from "../../support/db.js";
import { fingerprint } from "../../support/fingerprint.js";
import { contentionSeen } from "../../support/live.js";
import { startWorkload } from "../../support/workload.js";

const sink = () =>
  new Writable({
    write(_c, _e, cb) {
      cb();
    },
  });
const quiet = () => ({ stdout: sink(), stderr: sink(), jobs: 2 });
const checksOf = (out: Awaited<ReturnType<typeof verify>>) =>
  out.report.checks.map((c) => `${c.id}:${c.passed}`);

let db: TestDatabase | undefined;
afterAll(async () => {
  await db?.drop();
});

describe("verify while the application works", () => {
  it("same decision as the quiet run; the workload unharmed; nothing of the suite left", {
    timeout: 300_000,
  }, async () => {
    db = await createDatabase({ kind: "migrated" });
    const d = db;
    const quietRun = await verify({ ...quiet(), databaseUrl: d.url });
    expect(quietRun.report.decision).toBe("GO");

    const admin = await d.connect();
    const before = await fingerprint(admin, d.name);
    const instancesBefore = Number(
      (await admin.query("select count(*) from public.workflow_instances")).rows[0].count,
    );

    // the idle-in-transaction session commits only once the suite has met its lock, then a bit later
    let idleGotInTheWay = false;
    const workload = await startWorkload(d.connection, {
      idleUntil: async () => {
        idleGotInTheWay = await contentionSeen(d.connection, 60_000);
        await sleep(500);
      },
    });
    await sleep(300);
    const busyRun = await verify({ ...quiet(), databaseUrl: d.url });
    const report = await workload.stop();

    expect(busyRun.report.decision).toBe(quietRun.report.decision);
    expect(busyRun.report.score).toEqual(quietRun.report.score);
    expect(checksOf(busyRun)).toEqual(checksOf(quietRun));

    expect(idleGotInTheWay).toBe(true);
    expect(report.errors).toEqual([]);
    expect(report.suiteRowsSeen).toBe(0);
    expect(report.started).toBeGreaterThan(0);
    expect(report.approvals).toBeGreaterThan(0);
    expect(report.reads).toBeGreaterThan(0);

    // the workload's rows are there...
    const instancesAfter = Number(
      (await admin.query("select count(*) from public.workflow_instances")).rows[0].count,
    );
    expect(instancesAfter - instancesBefore).toBe(report.started);
    // ...and apart from them the database is exactly as before: no row of the suite's committed
    const after = await fingerprint(admin, d.name, { excludeXmin: report.xids });
    expect(after).toEqual(before);
    // the comparison is not blind: counted with the workload's rows, the database did change
    expect(await fingerprint(admin, d.name)).not.toEqual(before);
    if (process.env.GONOGO_LIVE_REPORT) {
      const { errors, xids, ...counts } = report;
      console.log(JSON.stringify({ ...counts, transactions: xids.length, busyMs: busyRun.report.timings }));
    }
  });
});
