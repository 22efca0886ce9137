// Prisma's `_prisma_migrations`, in the shape Prisma's engine creates it (PRISMA_TABLE_DDL, from
// prisma-engines flavour/postgres.rs): verify reads it (applied, mismatch refused or allowed,
// failed deployment refused), migrate and verify --migrate record the application as Prisma does.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { PRISMA_TABLE_DDL, prismaChecksum } from "../../../orchestrator/apply/prisma-ledger.js";
import { ROOT } from "../../../orchestrator/apply/sql-files.js";
import { MIGRATION } from "../../../orchestrator/migration.js";
import { createDatabase, type TestDatabase } from "../../support/db.js";
import { gonogo } from "../../support/gonogo.js";

const GO_SUITE = "test/fixtures/suites/go";
const FILE = readFileSync(join(ROOT, "db/migrations", MIGRATION, "migration.sql"), "utf8");
const CHECKSUM = prismaChecksum(FILE);
const dbs: TestDatabase[] = [];
const dir = mkdtempSync(join(tmpdir(), "gonogo-prisma-it-"));
afterEach(async () => {
  await Promise.all(dbs.splice(0).map((d) => d.drop()));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A database with Prisma's table; `row` = a record as `prisma migrate deploy` leaves it. */
async function withLedger(
  kind: "migrated" | "bare",
  row?: { checksum: string; finished: boolean },
): Promise<TestDatabase> {
  const d = await createDatabase({ kind });
  dbs.push(d);
  const c = await d.connect();
  await c.query(PRISMA_TABLE_DDL);
  if (row) {
    await c.query(
      `insert into _prisma_migrations (id, checksum, migration_name, started_at) values ($1, $2, $3, now() - interval '1 minute')`,
      ["3f0a7c52-1b8e-4c8e-9d43-2f5b8e1c0a11", row.checksum, MIGRATION],
    );
    if (row.finished)
      await c.query(
        "update _prisma_migrations set applied_steps_count = applied_steps_count + 1, finished_at = now()",
      );
  }
  return d;
}

async function ledgerRows(d: TestDatabase) {
  const c = await d.connect();
  const { rows } = await c.query(
    "select id, checksum, finished_at, migration_name, logs, rolled_back_at, started_at, applied_steps_count from _prisma_migrations order by started_at",
  );
  return rows;
}

describe("Prisma's ledger", () => {
  it("verify reads a matching record into verdict.json, the console header and the declaration", async () => {
    const d = await withLedger("migrated", { checksum: CHECKSUM, finished: true });
    const json = await gonogo(["verify", "--database-url", d.url, "--tests", GO_SUITE, "--format", "json"]);
    expect(json.code, json.stderr).toBe(0);
    expect(JSON.parse(json.stdout).ledger).toMatchObject({
      table: "public._prisma_migrations",
      migration: MIGRATION,
      status: "applied",
      expectedChecksum: CHECKSUM,
      recordedChecksum: CHECKSUM,
      rolledBackAt: null,
      records: 1,
    });
    const reports = join(dir, "applied");
    const con = await gonogo([
      "verify",
      "--database-url",
      d.url,
      "--tests",
      GO_SUITE,
      "--report-dir",
      reports,
    ]);
    expect(con.stdout).toMatch(
      new RegExp(`^ledger {4}public\\._prisma_migrations: ${MIGRATION} applied \\S+, checksum matches`, "m"),
    );
    expect(readFileSync(join(reports, "declaration.md"), "utf8")).toContain(
      `**Prisma ledger:** public._prisma_migrations: ${MIGRATION} applied`,
    );
  });

  it("a checksum mismatch is exit 3 with both checksums; --allow-ledger-mismatch goes on and says so", async () => {
    const other = prismaChecksum(`${FILE}-- edited after deployment\n`);
    const d = await withLedger("migrated", { checksum: other, finished: true });
    const refused = await gonogo(["verify", "--database-url", d.url, "--tests", GO_SUITE]);
    expect(refused.code).toBe(3);
    expect(refused.stdout).toBe("");
    expect(refused.stderr.trim().split("\n")).toHaveLength(1);
    expect(refused.stderr).toContain(
      `checksum ${other} recorded, ${CHECKSUM} for this repository's migration.sql`,
    );

    const reports = join(dir, "allowed");
    const allowed = await gonogo([
      "verify",
      "--database-url",
      d.url,
      "--tests",
      GO_SUITE,
      "--allow-ledger-mismatch",
      "--report-dir",
      reports,
    ]);
    expect(allowed.code, allowed.stderr).toBe(0);
    const verdict = JSON.parse(readFileSync(join(reports, "verdict.json"), "utf8"));
    expect(verdict.ledger).toMatchObject({
      status: "checksum-mismatch",
      mismatchAllowed: true,
      recordedChecksum: other,
    });
    expect(readFileSync(join(reports, "declaration.md"), "utf8")).toMatch(
      /\*\*Prisma ledger:\*\* .*CHECKSUM MISMATCH: recorded [0-9a-f]{64}, this repository [0-9a-f]{64}; judged anyway \(--allow-ledger-mismatch\)/,
    );
    expect(allowed.stdout).toMatch(/^ledger .*CHECKSUM MISMATCH/m);
  });

  it("a failed Prisma deployment (started, never finished) is exit 3", async () => {
    const d = await withLedger("migrated", { checksum: CHECKSUM, finished: false });
    const r = await gonogo(["verify", "--database-url", d.url, "--tests", GO_SUITE]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/started but never finished/);
  });

  it("no _prisma_migrations: the ledger is `absent`", async () => {
    const d = await createDatabase({ kind: "migrated" });
    dbs.push(d);
    const r = await gonogo(["verify", "--database-url", d.url, "--tests", GO_SUITE, "--format", "json"]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).ledger.status).toBe("absent");
  });

  it("migrate records its application as Prisma does, once; Prisma would see it applied", async () => {
    const d = await withLedger("bare");
    const first = await gonogo(["migrate", "--database-url", d.url]);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(
      new RegExp(`^ledger: public\\._prisma_migrations: ${MIGRATION} applied`, "m"),
    );
    const rows = await ledgerRows(d);
    expect(rows).toHaveLength(1);
    const r = rows[0];
    expect(r).toMatchObject({
      checksum: CHECKSUM,
      migration_name: MIGRATION,
      logs: null,
      rolled_back_at: null,
      applied_steps_count: 1,
    });
    expect(r.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(r.finished_at).toBeInstanceOf(Date);
    expect(r.finished_at.getTime()).toBeGreaterThanOrEqual(r.started_at.getTime());
    // what `prisma migrate deploy` asks: a finished, not rolled back row for the name -> not applied again
    const c = await d.connect();
    const pending = await c.query(
      "select $1::text as name where not exists (select from _prisma_migrations where migration_name = $1 and rolled_back_at is null)",
      [MIGRATION],
    );
    expect(pending.rows).toEqual([]);

    const again = await gonogo(["migrate", "--database-url", d.url]);
    expect(again.code).toBe(0);
    expect(await ledgerRows(d)).toHaveLength(1);
  });

  it("migrate adopts a migration applied by hand and resolved in Prisma: recorded, not run again; unrecorded, refused", async () => {
    // migrated with psql -f and `prisma migrate resolve --applied`: Prisma's record, no gonogo ledger
    const d = await withLedger("migrated", { checksum: CHECKSUM, finished: true });
    const c = await d.connect();
    await c.query("drop schema gonogo cascade");
    const r = await gonogo(["migrate", "--database-url", d.url]);
    expect(r.code, r.stderr).toBe(0);
    expect(`${r.stdout}${r.stderr}`).toContain(
      "is recorded as applied in _prisma_migrations (same checksum): recorded in gonogo.schema_migrations, not run again",
    );
    const ours = await c.query("select version, state, runs from gonogo.schema_migrations");
    expect(ours.rows).toEqual([{ version: MIGRATION, state: "completed", runs: 0 }]);
    expect(await ledgerRows(d)).toHaveLength(1); // Prisma's record untouched, not doubled

    // the same database with no Prisma record of it: still refused, nothing written
    await c.query("drop schema gonogo cascade; delete from _prisma_migrations");
    const refused = await gonogo(["migrate", "--database-url", d.url]);
    expect(refused.code).toBe(3);
    expect(refused.stderr).toContain("looks applied already");
    const ledger = await c.query("select to_regclass('gonogo.schema_migrations') is null as gone");
    expect(ledger.rows[0].gone).toBe(true);
  });

  it("verify --migrate records it too, and the verdict's ledger says applied", async () => {
    const d = await withLedger("bare");
    const r = await gonogo([
      "verify",
      "--database-url",
      d.url,
      "--migrate",
      "--tests",
      GO_SUITE,
      "--format",
      "json",
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).ledger).toMatchObject({ status: "applied", recordedChecksum: CHECKSUM });
    expect(await ledgerRows(d)).toHaveLength(1);
  });

  it("a migration that fails leaves no Prisma record (one transaction)", async () => {
    const d = await withLedger("bare");
    const c = await d.connect();
    // a table the migration creates, already there: the migration fails part way
    await c.query("create table public.audit_logs (id int)");
    const r = await gonogo(["migrate", "--database-url", d.url]);
    expect(r.code).toBe(3);
    expect(await ledgerRows(d)).toEqual([]);
  });
});
