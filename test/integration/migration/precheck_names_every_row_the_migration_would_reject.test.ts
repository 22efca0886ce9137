// The data pre-check: every constraint, unique index and NOT NULL the migration adds to the five
// baseline tables has a rule (proved from the catalog, so the next one cannot be added without
// one); each rule finds a planted defect that really makes the migration fail, naming count and
// keys; a clean source passes; a refused `migrate` leaves the database exactly as found.
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyMigrations, runMigrationFile } from "../../../orchestrator/apply/applier.js";
import { runPrecheck } from "../../../orchestrator/apply/precheck.js";
import { migrationFiles, precheckFiles, ROOT } from "../../../orchestrator/apply/sql-files.js";
import { BASELINE_TABLES } from "../../../orchestrator/migration.js";
import { connectionFor, createDatabase, type TestDatabase } from "../../support/db.js";
import { fingerprint } from "../../support/fingerprint.js";
import { gonogo } from "../../support/gonogo.js";
import { PLANTS, uuidOf } from "../../support/plants.js";
import { preMigrationSource } from "../../support/sources.js";

const dbs: TestDatabase[] = [];
afterAll(async () => {
  await Promise.all(dbs.map((d) => d.drop()));
});

/** A source with the plant of one rule, and its fingerprint before anything runs on it. */
async function dirtySource(guards: string) {
  const plant = PLANTS.find((p) => p.guards === guards);
  if (!plant) throw new Error(`no plant for ${guards}`);
  const src = await preMigrationSource({ plant: plant.sql });
  dbs.push(src);
  return { src, before: await withClient(src, (c) => fingerprint(c, src.name)) };
}

/** The guards of precheck.sql's rules, in order, as it reports them on a bare baseline. */
let RULES: string[] = [];
beforeAll(async () => {
  const bare = await createDatabase({ baseline: "uuid", kind: "bare" });
  dbs.push(bare);
  RULES = (await withClient(bare, (c) => runPrecheck(c))).map((r) => r.guards);
});

async function withClient<T>(db: TestDatabase, f: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client(connectionFor(db.name));
  await c.connect();
  try {
    await c.query("set client_min_messages = warning");
    return await f(c);
  } finally {
    await c.end();
  }
}

/** What can reject existing rows: constraints, unique indexes, NOT NULL columns on the five tables. */
async function guarantees(db: TestDatabase): Promise<Set<string>> {
  return withClient(db, async (c) => {
    const { rows } = await c.query<{ g: string }>(
      `select conname::text as g from pg_constraint where conrelid = any($1::regclass[])
       union
       select i.indexrelid::regclass::text from pg_index i
       where i.indrelid = any($1::regclass[]) and i.indisunique
         and not exists (select from pg_constraint c where c.conindid = i.indexrelid)
       union
       select format('%s.%s NOT NULL', a.attrelid::regclass, a.attname) from pg_attribute a
       where a.attrelid = any($1::regclass[]) and a.attnum > 0 and a.attnotnull and not a.attisdropped`,
      [BASELINE_TABLES.map((t) => `public.${t}`)],
    );
    return new Set(rows.map((r) => r.g));
  });
}

describe.each(["uuid", "text"])(
  "baseline %s: every guarantee added over existing rows has a pre-check",
  (baseline) => {
    it("catalog of the migrated schema minus the baseline's == the rules' guards (plus the baseline's code key)", async () => {
      const bare = await createDatabase({ baseline, kind: "bare" });
      const migrated = await createDatabase({ baseline, kind: "migrated" });
      dbs.push(bare, migrated);
      const before = await guarantees(bare);
      const after = await guarantees(migrated);
      const added = [...after].filter((g) => !before.has(g)).sort();
      const guarded = new Set(RULES);
      expect(added.length).toBeGreaterThan(15);
      expect(added.filter((g) => !guarded.has(g))).toEqual([]);
      // and no rule guards something the migrated schema does not have (a stale rule)
      expect([...guarded].filter((g) => !after.has(g))).toEqual([]);
    });

    it("a clean source with data passes every rule, and the migration applies", async () => {
      const src = await preMigrationSource({ baseline });
      dbs.push(src);
      const results = await withClient(src, (c) => runPrecheck(c));
      expect(results.map((r) => r.guards)).toEqual(RULES);
      expect(results.filter((r) => r.count > 0)).toEqual([]);
      expect(results.filter((r) => r.applicable).length).toBeGreaterThanOrEqual(8);
      await withClient(src, (c) => applyMigrations(c));
    });
  },
);

describe("each rule finds its planted defect, which really breaks the migration", () => {
  it("there is one plant per rule", () => {
    expect(PLANTS.map((p) => p.guards).sort()).toEqual([...RULES].sort());
  });

  it.each(PLANTS.map((p) => [p.guards, p] as const))("%s", async (_name, plant) => {
    const src = await preMigrationSource({ plant: plant.sql });
    dbs.push(src);
    const results = await withClient(src, (c) => runPrecheck(c));
    const mine = results.find((r) => r.guards === plant.guards);
    expect(mine?.applicable).toBe(true);
    expect(mine?.count).toBe(plant.count);
    expect(mine?.samples.map((s) => s.key).join(" ")).toContain(uuidOf(plant.key));
    if (plant.workspace) {
      expect(mine?.samples.map((s) => s.workspace)).toContain(plant.workspace);
      expect(mine?.fix).toContain(plant.workspace);
    }
    expect(mine?.fix).toMatch(/then apply again$/);
    // the defect is real: the migration itself fails on it
    const err = await withClient(src, async (c) => {
      try {
        // the file as psql -f runs it, without the pre-check the applier puts in front of it
        for (const f of migrationFiles()) await runMigrationFile(c, f);
        return undefined;
      } catch (e) {
        return e as { sqlstate?: string };
      }
    });
    // an integrity violation (23xxx), or a backfill that finds two rows where one is promised (21000)
    expect(err?.sqlstate).toMatch(/^2[13]/);
  });
});

/** psql as a DBA runs it: `psql -X -v ON_ERROR_STOP=1 -f <file>` on the test database. */
function psqlFile(db: TestDatabase, file: string) {
  const c = db.connection;
  return spawnSync(
    "psql",
    [
      "-X",
      "-v",
      "ON_ERROR_STOP=1",
      "-h",
      c.host,
      "-p",
      String(c.port),
      "-U",
      c.user,
      "-d",
      c.database,
      "-f",
      file,
    ],
    {
      encoding: "utf8",
      env: { ...process.env, PGOPTIONS: "-c client_min_messages=warning" },
    },
  );
}

describe("by hand: psql -f precheck.sql, then psql -f migration.sql", () => {
  const precheck = precheckFiles()[0]?.path ?? "";
  const migration = migrationFiles()[0]?.path ?? "";

  it("a clean source: exit 0, one row per rule, and the migration applies after it", async () => {
    const src = await preMigrationSource({});
    dbs.push(src);
    const r = psqlFile(src, join(ROOT, precheck));
    expect(r.status, r.stderr).toBe(0);
    for (const g of RULES) expect(r.stdout).toContain(g);
    expect(r.stdout).not.toContain("FAIL");
    const m = psqlFile(src, join(ROOT, migration));
    expect(m.status, m.stderr).toBe(0);
  });

  it("a dirty source: exit 3, SQLSTATE ZD003 naming rule, count, keys and fix; nothing changed", async () => {
    const { src, before } = await dirtySource("config_versions_one_active_per_workspace");
    const r = psqlFile(src, join(ROOT, precheck));
    expect(r.status).toBe(3);
    expect(r.stderr).toContain("data pre-check: existing rows violate what the migration adds");
    expect(r.stderr).toContain("config_versions_one_active_per_workspace: 1 workspace (OPCO-0002: ");
    expect(r.stderr).toContain(uuidOf("cv2-1"));
    expect(r.stderr).toContain(
      "supersede all but one ACTIVE version of workspace OPCO-0002, then apply again",
    );
    expect(await withClient(src, (c) => fingerprint(c, src.name))).toEqual(before);
  });
});

describe("migrate refuses a dirty source before anything is applied", () => {
  it("exit 3, one line naming rule, count, keys and fix; the fingerprint is identical", async () => {
    const { src, before } = await dirtySource("config_versions_one_active_per_workspace");
    const r = await gonogo(["migrate", "--database-url", src.url]);
    expect(r.code, r.stderr).toBe(3);
    const lines = r.stderr.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(r.stderr).toContain("config_versions_one_active_per_workspace: 1 workspace");
    expect(r.stderr).toContain(uuidOf("cv2-1"));
    expect(r.stderr).toContain(
      "supersede all but one ACTIVE version of workspace OPCO-0002, then apply again",
    );
    expect(r.stdout).toBe("");
    const after = await withClient(src, (c) => fingerprint(c, src.name));
    expect(after).toEqual(before);
  });

  it("verify --migrate refuses the same way, before the suite and before anything is applied", async () => {
    const { src, before } = await dirtySource("workflow_stages_status_check");
    const r = await gonogo(["verify", "--migrate", "--database-url", src.url, "--format", "json"]);
    expect(r.code, r.stderr).toBe(3);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toContain("workflow_stages_status_check: 3 stages");
    expect(r.stderr).toContain(uuidOf("st2-1"));
    expect(r.stderr).toContain("OPCO-0003");
    expect(await withClient(src, (c) => fingerprint(c, src.name))).toEqual(before);
  });
});

describe("precheckDone: a caller that just ran the pre-check (rehearse) is not made to wait for it twice", () => {
  it("by default the applier refuses by rule; with precheckDone it goes straight to the migration, which then fails on the row", async () => {
    const plant = PLANTS.find((p) => p.guards === "config_versions_one_active_per_workspace");
    const src = await preMigrationSource({ plant: plant?.sql });
    dbs.push(src);
    const refusal = await withClient(src, (c) =>
      applyMigrations(c).then(
        () => undefined,
        (e: Error) => e,
      ),
    );
    expect(refusal?.message).toContain("config_versions_one_active_per_workspace: 1 workspace");
    const failure = await withClient(src, (c) =>
      applyMigrations(c, { precheckDone: true }).then(
        () => undefined,
        (e: Error & { sqlstate?: string }) => e,
      ),
    );
    expect(failure?.message).not.toContain("config_versions_one_active_per_workspace: 1 workspace");
    expect(failure?.sqlstate).toMatch(/^2[13]/);
  });
});
