// Bad input gets a clear answer: a one-line reason with its fix, exit 3 (or the verdict the
// database deserves), no stack trace, no password echoed, and nothing changed. Live traffic is
// respected: a conflicting lock or a slow statement ends the run within its timeouts.
import { execFileSync } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type Cluster,
  clusterConnection,
  clusterUrl,
  startCluster,
  stopCluster,
} from "../../../orchestrator/cluster/server.js";
import { createDatabase, type TestDatabase } from "../../support/db.js";
import { type Fingerprint, fingerprint } from "../../support/fingerprint.js";
import { type CliResult, gonogo } from "../../support/gonogo.js";

const PASSWORD = "S3cret-pw-never-shown";
const dbs: TestDatabase[] = [];
const clusters: Cluster[] = [];
const dirs: string[] = [];
let migrated: TestDatabase;
let migratedBefore: Fingerprint;
let tcp: Cluster;

/** The answer a DBA should get: exit 3, one line that says what and how to fix, nothing else. */
function expectClearRefusal(r: CliResult, reason: RegExp) {
  const text = `${r.stdout}\n${r.stderr}`;
  expect(r.code, text).toBe(3);
  const lines = r.stderr.split("\n").filter((l) => l.trim() !== "");
  expect(lines.length, r.stderr).toBe(1);
  expect(lines[0]).toMatch(reason);
  expect(text).not.toMatch(/\n\s+at .+:\d+:\d+/);
  expect(text).not.toContain(PASSWORD);
}

beforeAll(async () => {
  migrated = await createDatabase();
  dbs.push(migrated);
  const c = await migrated.connect();
  // roles are cluster-wide: the unprivileged role of one case exists before the fingerprint
  await c.query(
    "do $$ begin if not exists (select from pg_roles where rolname = 'nobody_much') then create role nobody_much login; end if; end $$",
  );
  migratedBefore = await fingerprint(c, migrated.name);
  await c.end();

  // a TCP cluster with password authentication, for the wrong-password case
  tcp = await startCluster({ tcp: true });
  clusters.push(tcp);
  const hba = join(tcp.dataDir, "pg_hba.conf");
  writeFileSync(hba, `host all all 127.0.0.1/32 scram-sha-256\n${readFileSync(hba, "utf8")}`);
  const admin = new pg.Client(clusterConnection({ ...tcp, tcp: false }, "postgres"));
  await admin.connect();
  await admin.query(`create role dba login password '${PASSWORD}'`);
  await admin.query("select pg_reload_conf()");
  await admin.end();
});

afterAll(async () => {
  await Promise.all(dbs.map((d) => d.drop()));
  for (const c of clusters) await stopCluster(c);
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe("bad input gets a one-line reason, its fix, exit 3, no password", () => {
  it("unreachable host", async () => {
    const r = await gonogo(["verify", "--database-url", `postgresql://dba:${PASSWORD}@127.0.0.1:1/staging`]);
    expectClearRefusal(r, /127\.0\.0\.1:1/);
  });

  it("wrong password", async () => {
    const r = await gonogo([
      "verify",
      "--database-url",
      `postgresql://dba:${PASSWORD}-wrong@127.0.0.1:${tcp.port}/postgres`,
    ]);
    expectClearRefusal(r, /password/i);
  });

  it("missing database", async () => {
    const r = await gonogo(["verify", "--database-url", migrated.url.replace(migrated.name, "no_such_db")]);
    expectClearRefusal(r, /no_such_db/);
  });

  it("server without pgTAP's extension files", async () => {
    // a relocated copy of the server binaries whose share directory lacks pgTAP
    const root = mkdtempSync(join(tmpdir(), "gonogo-nopgtap-"));
    dirs.push(root);
    chmodSync(root, 0o755);
    execFileSync("mkdir", ["-p", join(root, "lib/postgresql"), join(root, "share/postgresql")]);
    execFileSync("cp", ["-a", "/usr/lib/postgresql/15", join(root, "lib/postgresql/")]);
    execFileSync("cp", ["-a", "/usr/share/postgresql/15", join(root, "share/postgresql/")]);
    execFileSync("sh", ["-c", `rm -f ${join(root, "share/postgresql/15/extension")}/pgtap*`]);
    const bare = await startCluster({ binDir: join(root, "lib/postgresql/15/bin") });
    clusters.push(bare);
    const r = await gonogo(["verify", "--database-url", clusterUrl(bare, "postgres")]);
    expectClearRefusal(r, /pgtap.*postgresql-15-pgtap/i);
  });

  it("database without the migration", async () => {
    const db = await createDatabase({ kind: "bare" });
    dbs.push(db);
    const r = await gonogo(["verify", "--database-url", db.url]);
    expectClearRefusal(r, /migrat/i);
  });

  it("half-applied migration", async () => {
    const db = await createDatabase({ kind: "bare" });
    dbs.push(db);
    const c = await db.connect();
    // the first of the new tables only, as an interrupted manual run leaves it
    await c.query(
      "create table public.workspace_members (id uuid primary key, workspace_id uuid, user_id text, role text)",
    );
    const r = await gonogo(["verify", "--database-url", db.url]);
    expectClearRefusal(r, /migrat/i);
  });

  it("read-only standby", async () => {
    // a real streaming standby of a fresh primary (pg_basebackup -R), on its own port
    const primary = await startCluster();
    clusters.push(primary);
    const standby = join(primary.dir, "standby");
    const asServer = { uid: primary.uid, gid: primary.gid, stdio: "ignore" as const };
    execFileSync(
      join(primary.binDir, "pg_basebackup"),
      [
        "-D",
        standby,
        "-R",
        "-X",
        "stream",
        "-h",
        primary.socketDir,
        "-p",
        String(primary.port),
        "-U",
        "postgres",
      ],
      asServer,
    );
    const pgCtl = join(primary.binDir, "pg_ctl");
    execFileSync(
      pgCtl,
      ["-D", standby, "-o", "-p 5433", "-l", join(primary.dir, "standby.log"), "-w", "start"],
      asServer,
    );
    try {
      const url = `postgresql://postgres@/postgres?host=${encodeURIComponent(primary.socketDir)}&port=5433`;
      const r = await gonogo(["verify", "--database-url", url]);
      expectClearRefusal(r, /standby/i);
    } finally {
      execFileSync(pgCtl, ["-D", standby, "-m", "immediate", "-w", "stop"], asServer);
    }
  });

  it("read-only transaction default", async () => {
    const db = await createDatabase();
    dbs.push(db);
    const c = await db.connect();
    await c.query(`alter database ${db.name} set default_transaction_read_only = on`);
    const r = await gonogo(["verify", "--database-url", db.url]);
    expectClearRefusal(r, /read-only/i);
  });

  it("role without the needed privileges", async () => {
    const db = await createDatabase();
    dbs.push(db);
    // nobody_much (created before the fingerprint) can connect but holds no privilege on the tables
    const url = db.url.replace("postgres@", "nobody_much@");
    const r = await gonogo(["verify", "--database-url", url]);
    expectClearRefusal(r, /privilege|permission/i);
  });

  it("malformed URL", async () => {
    const r = await gonogo([
      "verify",
      "--database-url",
      `postgresql://dba:${PASSWORD}@db.example:notaport/x`,
    ]);
    expectClearRefusal(r, /URL/i);
  });

  it("unknown flag", async () => {
    const r = await gonogo(["verify", "--no-such-flag"]);
    expectClearRefusal(r, /no-such-flag/);
  });

  it("unknown baseline", async () => {
    const r = await gonogo(["verify", "--baseline", "oracle"]);
    expectClearRefusal(r, /oracle.*uuid/);
  });

  it("jobs out of range", async () => {
    const r = await gonogo(["verify", "--jobs", "0", "--database-url", migrated.url]);
    expectClearRefusal(r, /jobs/);
  });

  it("unwritable report directory, checked before anything runs", async () => {
    const r = await gonogo([
      "verify",
      "--database-url",
      migrated.url,
      "--report-dir",
      "/proc/gonogo-reports",
    ]);
    expectClearRefusal(r, /gonogo-reports/);
  });

  it("a workspace code crafted as SQL injection is data, not SQL", async () => {
    const r = await gonogo([
      "verify",
      "--database-url",
      migrated.url,
      "--format",
      "json",
      "--workspace",
      "x'); drop table public.users cascade; --",
    ]);
    expect(r.code).toBe(1);
    expect(r.verdict?.decision).toBe("NO-GO");
    expect(r.verdict?.checks.find((c) => c.id === "S0")?.passed).toBe(false);
  });

  it("none of the refused runs changed the migrated database", async () => {
    const c = await migrated.connect();
    expect(await fingerprint(c, migrated.name)).toEqual(migratedBefore);
  });
});

/**
 * verify by URL with one tight timeout: contention is never a verdict, so exit 3 (inconclusive),
 * within a minute, naming the cause.
 */
async function expectInconclusive(db: TestDatabase, option: string, value: string, cause: RegExp) {
  const r = await gonogo([
    "verify",
    "--database-url",
    db.url,
    "--format",
    "json",
    option,
    value,
    "--jobs",
    "2",
  ]);
  expect(r.code, r.stderr).toBe(3);
  expect(r.ms).toBeLessThan(60_000);
  expect(`${r.stdout}${r.stderr}`).toMatch(cause);
}

describe("live traffic is respected", () => {
  it("a conflicting lock ends the run within its lock timeout, naming the lock", async () => {
    const db = await createDatabase();
    dbs.push(db);
    const holder = await db.connect();
    await holder.query("begin; lock table public.config_versions in access exclusive mode");
    try {
      await expectInconclusive(db, "--lock-timeout", "300ms", /lock timeout/i);
    } finally {
      await holder.query("rollback");
    }
  });

  it("a statement timeout bounds every query", async () => {
    const db = await createDatabase();
    dbs.push(db);
    const c = await db.connect();
    await c.query(`
      create function public.gonogo_slow() returns trigger language plpgsql as
        $$ begin perform pg_sleep(30); return new; end $$;
      create trigger trg_000_slow before insert on public.config_versions
        for each row execute function public.gonogo_slow();`);
    await expectInconclusive(db, "--statement-timeout", "500ms", /statement timeout/i);
  });
});
