// `gonogo rehearse` end to end on real clusters: a dirty source per pre-check rule gives NO-GO
// naming rule, count and keys; a clean source gives GO with a blocking table for the five
// baseline tables (HOLD when the lock budget is tiny); the source's fingerprint is identical
// before and after every rehearsal; bad input is refused with one line and exit 3.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { BASELINE_TABLES } from "../../../orchestrator/migration.js";
import { connectionFor, createDatabase, type TestDatabase } from "../../support/db.js";
import { type Fingerprint, fingerprint } from "../../support/fingerprint.js";
import { gonogo } from "../../support/gonogo.js";
import { PLANTS, uuidOf } from "../../support/plants.js";
import { preMigrationSource } from "../../support/sources.js";

const dbs: TestDatabase[] = [];
const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dbs.map((d) => d.drop()));
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function print(db: TestDatabase): Promise<Fingerprint> {
  const c = new pg.Client(connectionFor(db.name));
  await c.connect();
  try {
    return await fingerprint(c, db.name);
  } finally {
    await c.end();
  }
}

interface Rehearsal {
  decision: string;
  reasons: string[];
  precheck: {
    guards: string;
    count: number;
    samples: { workspace: string | null; key: string }[];
    fix: string;
  }[];
  apply?: {
    ok: boolean;
    computed: {
      table: string;
      reads: { longestS: number };
      writes: { longestS: number };
      strongest: string;
    }[];
    observed: { table: string; readWorstS: number; writeWorstS: number; reads: number; writes: number }[];
    statements: { file: string; durationMs: number }[];
  };
  suite?: { decision: string };
  source: { rows: Record<string, number> };
  copy?: { totalMs: number };
}

/** Every session on the source database while `f` runs: its name, whether it wrote, its table locks. */
async function watchSource(db: TestDatabase, f: () => Promise<unknown>) {
  const seen = new Set<string>();
  const c = new pg.Client(connectionFor("postgres"));
  await c.connect();
  let running = true;
  const loop = (async () => {
    while (running) {
      const { rows } = await c.query<{ s: string }>(
        `select coalesce(a.application_name, '') || ' wrote=' || (a.backend_xid is not null)
                || coalesce(' ' || l.mode, '') as s
         from pg_stat_activity a left join pg_locks l on l.pid = a.pid and l.locktype = 'relation'
         where a.datname = $1 and a.pid <> pg_backend_pid() and a.backend_type = 'client backend'`,
        [db.name],
      );
      for (const r of rows) seen.add(r.s);
      await new Promise((res) => setTimeout(res, 20));
    }
  })();
  try {
    await f();
  } finally {
    running = false;
    await loop;
    await c.end();
  }
  return [...seen].sort();
}

/** Under load, exited clients' backends can take seconds to go: wait (up to 30 s) before the fingerprint. */
async function quiet(db: TestDatabase): Promise<void> {
  const c = new pg.Client(connectionFor("postgres"));
  await c.connect();
  try {
    for (let i = 0; i < 300; i++) {
      const { rows } = await c.query("select count(*)::int as n from pg_stat_activity where datname = $1", [
        db.name,
      ]);
      if (rows[0]?.n === 0) return;
      await new Promise((res) => setTimeout(res, 100));
    }
  } finally {
    await c.end();
  }
}

/** Rehearse with --from, assert the source is untouched, return the run and rehearsal.json. */
async function rehearseFrom(db: TestDatabase, args: string[] = []) {
  const before = await print(db);
  const dir = mkdtempSync(join(tmpdir(), "gonogo-rehearse-test-"));
  dirs.push(dir);
  let r = {} as Awaited<ReturnType<typeof gonogo>>;
  // the setup's own clients (fill, fingerprint) must be gone before we attribute sessions to gonogo
  await quiet(db);
  const sessions = await watchSource(db, async () => {
    r = await gonogo(["rehearse", "--from", db.url, "--report-dir", dir, "--jobs", "2", ...args], {
      timeoutMs: 240_000,
    });
  });
  // read-only on the source: only gonogo's sessions, no transaction id, ACCESS SHARE locks only
  expect(sessions.filter((x) => !/^gonogo wrote=false( AccessShareLock)?$/.test(x))).toEqual([]);
  let rehearsal: Rehearsal | undefined;
  try {
    rehearsal = JSON.parse(readFileSync(join(dir, "rehearsal.json"), "utf8")) as Rehearsal;
  } catch {
    // refused before reporting: the test asserts on code and stderr
  }
  await quiet(db);
  expect(await print(db)).toEqual(before);
  return { ...r, rehearsal, dir, sessions };
}

describe("a clean source with data", () => {
  it("GO with generous budgets: every baseline table in the blocking table, computed and observed", async () => {
    const src = await preMigrationSource({ volumes: { workspaces: 3, instances: 300, stages: 5 } });
    dbs.push(src);
    const r = await rehearseFrom(src, ["--max-read-block", "10min", "--max-write-block", "10min"]);
    expect(r.sessions).toContain("gonogo wrote=false AccessShareLock");
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const x = r.rehearsal as Rehearsal;
    expect(x.decision).toBe("GO");
    expect(x.suite?.decision).toBe("GO");
    expect(x.source.rows).toMatchObject({ workflow_instances: 300, workflow_stages: 1500 });
    expect(x.apply?.ok).toBe(true);
    expect(x.apply?.computed.map((c) => c.table).sort()).toEqual([...BASELINE_TABLES].sort());
    expect(x.apply?.observed.map((c) => c.table).sort()).toEqual([...BASELINE_TABLES].sort());
    // the online migration locks workflow_stages (its strong DDL locks last milliseconds and are
    // caught or not by a 25 ms sampler; VALIDATE and CONCURRENTLY hold SHARE UPDATE EXCLUSIVE),
    // and the probe read the table throughout (the lock targets are the deploy bench's to prove)
    const stages = x.apply?.computed.find((c) => c.table === "workflow_stages");
    // which mode a 25 ms sampler catches varies (the backfill's ROW EXCLUSIVE at least)
    expect(stages?.strongest).toMatch(/^(Row|ShareUpdate|Share|ShareRow|Access)?ExclusiveLock$|^ShareLock$/);
    expect(stages?.reads.longestS).toBeGreaterThanOrEqual(0);
    const probe = x.apply?.observed.find((c) => c.table === "workflow_stages");
    expect(probe?.reads).toBeGreaterThan(0);
    expect(probe?.readWorstS).toBeGreaterThanOrEqual(0);
    expect(x.apply?.statements.some((s) => s.file.endsWith("migration.sql"))).toBe(true);
    expect(r.stdout).toContain("Deployment (rehearsed on a copy)");
    for (const t of BASELINE_TABLES) expect(r.stdout).toMatch(new RegExp(`^ {4}${t} +\\d+\\.\\d\\d s`, "m"));
    expect(r.stderr).toMatch(/rehearse: copy/);
    expect(r.stderr).toMatch(/rehearse: applied in/);
    expect(readFileSync(join(r.dir, "declaration.md"), "utf8")).toContain("## Deployment");
  });

  it("HOLD when a lock budget is exceeded (text baseline)", async () => {
    const src = await preMigrationSource({ baseline: "text" });
    dbs.push(src);
    const r = await rehearseFrom(src, ["--max-read-block", "1ms", "--format", "json"]);
    expect(r.code, r.stdout + r.stderr).toBe(2);
    const x = JSON.parse(r.stdout) as Rehearsal;
    expect(x.decision).toBe("HOLD");
    expect(x.suite?.decision).toBe("GO");
    expect(x.reasons.join("\n")).toMatch(/reads of workflow_stages blocked .* \(budget 0\.001 s\)/);
  });
});

describe("a dirty source per pre-check rule: NO-GO naming rule, count and keys", () => {
  it.each(PLANTS.map((p) => [p.guards, p] as const))("%s", async (_name, plant) => {
    const src = await preMigrationSource({ plant: plant.sql });
    dbs.push(src);
    const r = await rehearseFrom(src);
    expect(r.code, r.stdout + r.stderr).toBe(1);
    const x = r.rehearsal as Rehearsal;
    expect(x.decision).toBe("NO-GO");
    expect(x.apply).toBeUndefined();
    const mine = x.precheck.find((p) => p.guards === plant.guards);
    expect(mine?.count).toBe(plant.count);
    expect(r.stdout).toContain(`FAIL ${plant.guards}: ${plant.count} `);
    expect(r.stdout).toContain(uuidOf(plant.key));
    if (plant.workspace) expect(r.stdout).toContain(plant.workspace);
    expect(r.stdout).toMatch(/then apply again/);
    expect(x.reasons.join("\n")).toContain(`data pre-check ${plant.guards}`);
  });
});

describe("bad input: one line, exit 3, source untouched", () => {
  it("unreachable source", async () => {
    const r = await gonogo([
      "rehearse",
      "--from",
      "postgresql://nobody@/nowhere?host=/nonexistent-dir&port=1",
    ]);
    expect(r.code).toBe(3);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(/^gonogo: cannot reach .*; fix: /);
  });

  it("a source the migration does not accept (ZD001)", async () => {
    const src = await createDatabase({ kind: "empty" });
    dbs.push(src);
    const r = await rehearseFrom(src);
    expect(r.code).toBe(3);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(
      /not on a baseline the migration accepts \(ZD001\): baseline table\(s\) missing/,
    );
  });

  it("a source already migrated: says so and offers verify", async () => {
    const src = await createDatabase({ kind: "migrated" });
    dbs.push(src);
    const r = await rehearseFrom(src);
    expect(r.code).toBe(3);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(/already migrated.*fix: verify it instead: gonogo verify --database-url /);
  });

  it("neither or both of --from and --target", async () => {
    const r = await gonogo(["rehearse"]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/rehearse needs a database; fix: pass --from URL/);
  });
});

describe("--target: a disposable clone, migrated in place", () => {
  it("refuses without --yes-this-is-a-disposable-copy, and when it matches DATABASE_URL", async () => {
    const clone = await preMigrationSource();
    dbs.push(clone);
    const before = await print(clone);
    const r = await gonogo(["rehearse", "--target", clone.url]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/migrates .* for real; fix: pass --yes-this-is-a-disposable-copy/);
    const same = await gonogo(["rehearse", "--target", clone.url, "--yes-this-is-a-disposable-copy"], {
      env: { DATABASE_URL: clone.url },
    });
    expect(same.code).toBe(3);
    expect(same.stderr).toMatch(/matches DATABASE_URL/);
    expect(await print(clone)).toEqual(before);
  });

  it("applies there, says so before it starts, measures and runs the suite", async () => {
    const clone = await preMigrationSource();
    dbs.push(clone);
    const r = await gonogo(
      [
        "rehearse",
        "--target",
        clone.url,
        "--yes-this-is-a-disposable-copy",
        "--max-read-block",
        "10min",
        "--max-write-block",
        "10min",
      ],
      { timeoutMs: 240_000 },
    );
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const lines = r.stderr.split("\n");
    const announce = lines.findIndex((l) => /applying migration .* itself \(a disposable copy/.test(l));
    expect(announce).toBeGreaterThanOrEqual(0);
    expect(announce).toBeLessThan(lines.findIndex((l) => /applied in/.test(l)));
    expect(r.stdout).toContain("Deployment (rehearsed on the disposable clone)");
    const c = new pg.Client(connectionFor(clone.name));
    await c.connect();
    const { rows } = await c.query("select to_regclass('public.audit_logs') is not null as migrated");
    await c.end();
    expect(rows[0].migrated).toBe(true);
  });
});

describe("a password in the source URL", () => {
  it("reaches pg_dump in its environment, never on a command line the process list shows, nor in the output", async () => {
    const src = await preMigrationSource();
    dbs.push(src);
    const secret = "s3cret-pw-9f2";
    // the test cluster trusts local connections: the password is carried along, not checked
    const url = src.url.replace("://postgres@", `://postgres:${secret}@`);
    expect(url).toContain(secret);
    const dir = mkdtempSync(join(tmpdir(), "gonogo-rehearse-test-"));
    dirs.push(dir);
    const dumps: string[] = [];
    let running = true;
    const watch = (async () => {
      while (running) {
        for (const pid of readdirSync("/proc").filter((p) => /^\d+$/.test(p))) {
          try {
            const argv = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").join(" ");
            if (/pg_dump/.test(argv) && !/vitest/.test(argv)) dumps.push(argv);
          } catch {
            // the process ended meanwhile
          }
        }
        await new Promise((res) => setTimeout(res, 10));
      }
    })();
    const r = await gonogo(["rehearse", "--from", url, "--report-dir", dir], { timeoutMs: 240_000 }).finally(
      () => {
        running = false;
      },
    );
    await watch;
    expect(r.code, r.stderr).toBe(0);
    expect(dumps.length).toBeGreaterThan(0); // the watcher saw pg_dump run
    expect(dumps.filter((a) => a.includes(secret))).toEqual([]);
    expect(`${r.stdout}${r.stderr}`).not.toContain(secret);
    expect(readFileSync(join(dir, "rehearsal.json"), "utf8")).not.toContain(secret);
  });
});
