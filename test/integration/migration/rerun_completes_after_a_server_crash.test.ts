// A server crash (`pg_ctl stop -m immediate`) mid-backfill and mid-CREATE INDEX CONCURRENTLY:
// after the restart, running the migration again completes it, with the schema a clean apply
// gives and one completed ledger row. Own cluster: crashing the shared one would hit other files.
import { join } from "node:path";
import { execa } from "execa";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { applyFile } from "../../../orchestrator/apply/applier.js";
import { baselineFile } from "../../../orchestrator/apply/sql-files.js";
import {
  type Cluster,
  clusterConnection,
  clusterUrl,
  startCluster,
  stopCluster,
} from "../../../orchestrator/cluster/server.js";
import { dumpSchema } from "../../../scripts/dump-schema.js";
import {
  client,
  expectResumed,
  invalidIndexes,
  midBackfill,
  midConcurrently,
  seedPreMigration,
  startMigrate,
  waitFor,
} from "../../support/online.js";

// each test migrates, crashes the server, resumes and runs verify: minutes on a loaded machine
vi.setConfig({ testTimeout: 600_000 });

let cluster: Cluster;
beforeAll(async () => {
  cluster = await startCluster();
});
afterAll(async () => {
  if (cluster) await stopCluster(cluster);
});

async function pgCtl(...args: string[]) {
  const r = await execa(join(cluster.binDir, "pg_ctl"), ["-D", cluster.dataDir, "-w", "-t", "60", ...args], {
    uid: cluster.uid,
    gid: cluster.gid,
    cwd: cluster.dir,
    reject: false,
    stdin: "ignore",
    env: { LC_ALL: "C" },
  });
  expect(r.exitCode, String(r.stderr)).toBe(0);
}

const crash = () => pgCtl("-m", "immediate", "stop");
const restart = () => pgCtl("-l", join(cluster.dir, "server.log"), "start");

let counter = 0;
async function preMigration(baseline: string) {
  const name = `crash_${baseline}_${++counter}`;
  const a = await client(clusterConnection(cluster, "postgres"));
  await a.query(`create database ${name}`);
  await a.end();
  const c = await client(clusterConnection(cluster, name));
  await applyFile(c, baselineFile(baseline));
  await seedPreMigration(c);
  return { name, url: clusterUrl(cluster, name), conn: clusterConnection(cluster, name), c };
}

async function cleanDump(baseline: string) {
  const db = await preMigration(baseline);
  const r = await startMigrate(db.url).child;
  expect(r.exitCode, String(r.stderr)).toBe(0);
  await db.c.end();
  return dumpSchema(db.conn, cluster.binDir);
}

describe("server crash during the apply", () => {
  it("mid-backfill (uuid baseline): after the restart the rerun completes it", async () => {
    const clean = await cleanDump("uuid");
    const db = await preMigration("uuid");
    const m = startMigrate(db.url, { "gonogo.backfill_batch_pages": "1", "gonogo.backfill_pause_ms": "150" });
    await waitFor("mid-backfill", () => midBackfill(db.c));
    await db.c.end();
    await crash();
    const r = await m.child;
    expect(r.exitCode).not.toBe(0);
    await restart();
    const c = await client(db.conn);
    try {
      await expectResumed(db.url, c, () => dumpSchema(db.conn, cluster.binDir), clean);
    } finally {
      await c.end();
    }
  });

  it("mid-CREATE INDEX CONCURRENTLY (text baseline): the INVALID index is rebuilt by the rerun", async () => {
    const clean = await cleanDump("text");
    const db = await preMigration("text");
    const holder = await client(db.conn);
    await holder.query("begin isolation level repeatable read");
    await holder.query("select 1");
    const watch = await client(clusterConnection(cluster, "postgres"));
    const m = startMigrate(db.url);
    await waitFor("an index build waiting for old snapshots", () =>
      midConcurrently(watch, db.name, "waiting for old snapshots"),
    );
    // the cluster runs with synchronous_commit off: flush the build's committed catalog entry, as
    // the WAL writer long has on a table big enough for the build to take a while
    await watch.query("checkpoint");
    await Promise.all([db.c.end(), watch.end()]);
    await crash();
    await holder.end().catch(() => undefined);
    const r = await m.child;
    expect(r.exitCode).not.toBe(0);
    await restart();
    const c = await client(db.conn);
    try {
      expect(await invalidIndexes(c), "the crash left an INVALID index").toBeGreaterThan(0);
      await expectResumed(db.url, c, () => dumpSchema(db.conn, cluster.binDir), clean);
    } finally {
      await c.end();
    }
  });
});
