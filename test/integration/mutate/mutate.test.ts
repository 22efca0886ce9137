// `gonogo mutate` against a URL: mutants run in clones of the database and are killed by the real
// suite; the database itself, and the server's database list, are left as found; allowlist entries
// that match nothing are errors; cluster-wide mutants are not run against a URL unless asked.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mutate } from "../../../orchestrator/commands/mutate.js";
import { connectionFor, createDatabase, type TestDatabase } from "../../support/db.js";
import { fingerprint } from "../../support/fingerprint.js";

const sink = () =>
  new Writable({
    write(_c, _e, cb) {
      cb();
    },
  });

/** The server's databases but the other test files' own (t_*), which come and go beside this one. */
async function databases(): Promise<string[]> {
  const c = new pg.Client(connectionFor("postgres"));
  await c.connect();
  try {
    const { rows } = await c.query("select datname from pg_database where datname !~ '^t_' order by 1");
    return rows.map((r) => r.datname as string);
  } finally {
    await c.end();
  }
}

describe("gonogo mutate --database-url", () => {
  let db: TestDatabase;
  let dir: string;
  beforeAll(async () => {
    db = await createDatabase();
    dir = mkdtempSync(join(tmpdir(), "gonogo-mutate-"));
  });
  afterAll(async () => {
    await db.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("kills each index mutant of audit_logs in a clone and leaves the database as found", {
    timeout: 600_000,
  }, async () => {
    const fp = async () => {
      const c = await db.connect();
      try {
        return await fingerprint(c, db.name);
      } finally {
        await c.end();
      }
    };
    const before = await fp();
    const list = await databases();
    const { report, exitCode } = await mutate({
      databaseUrl: db.url,
      only: "drop-index:audit_logs",
      allowlist: join(dir, "none.json"),
      progress: false,
      stdout: sink(),
      stderr: sink(),
    });
    expect(report.summary.mutants).toBe(3);
    expect(report.summary.killed).toBe(3);
    expect(report.mutants.every((m) => m.failedChecks.includes("I1"))).toBe(true);
    expect(report.unknown).toEqual([]);
    expect(exitCode).toBe(0);
    expect(await databases()).toEqual(list);
    expect(await fp()).toEqual(before);
  });

  it("reports a stale allowlist entry as an error (exit 1)", { timeout: 600_000 }, async () => {
    const allowlist = join(dir, "stale.json");
    const actor = "drop-index:audit_logs.idx_audit_logs_actor";
    writeFileSync(
      allowlist,
      JSON.stringify({
        entries: [{ mutant: `${actor}_gone`, reason: "an index that was renamed", coveredBy: actor }],
      }),
    );
    const { report, exitCode } = await mutate({
      databaseUrl: db.url,
      only: actor,
      allowlist,
      progress: false,
      stdout: sink(),
      stderr: sink(),
    });
    expect(report.summary.killed).toBe(1);
    expect(report.allowlist).toEqual([expect.objectContaining({ mutant: `${actor}_gone`, status: "stale" })]);
    expect(exitCode).toBe(1);
  });

  it("does not run cluster-wide mutants against a URL unless asked", { timeout: 600_000 }, async () => {
    const { report, exitCode } = await mutate({
      databaseUrl: db.url,
      only: "bypassrls",
      allowlist: join(dir, "none.json"),
      progress: false,
      stdout: sink(),
      stderr: sink(),
    });
    expect(report.mutants.map((m) => [m.id, m.status])).toEqual([["bypassrls:apms_app", "not run"]]);
    expect(exitCode).toBe(0);
  });
});
