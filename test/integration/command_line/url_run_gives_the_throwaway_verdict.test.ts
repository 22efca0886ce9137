// verify --database-url: the same verdict as the throwaway cluster, and the database left exactly
// as it was found (schema dump and row counts before == after); pgTAP created only inside the
// rolled-back transactions; refusals (standby/read-only, not migrated) and --migrate's ledger.
import { spawnSync } from "node:child_process";
import { Writable } from "node:stream";
import { afterEach, describe, expect, it } from "vitest";
import { LEDGER } from "../../../orchestrator/apply/applier.js";
import { explain, GonogoError } from "../../../orchestrator/program/errors.js";
import { verify } from "../../../orchestrator/suite/verification.js";
import { createDatabase, type TestDatabase } from "../../support/db.js";

const sink = () =>
  new Writable({
    write(_c, _e, cb) {
      cb();
    },
  });
const quiet = { stdout: sink(), stderr: sink(), jobs: 2 } as const;

const dbs: TestDatabase[] = [];
afterEach(async () => {
  await Promise.all(dbs.splice(0).map((d) => d.drop()));
});
async function database(kind: "migrated" | "bare", baseline = "uuid") {
  const d = await createDatabase({ baseline, kind });
  dbs.push(d);
  return d;
}

/** Schema (pg_dump -s) plus every table's row count and a hash of its rows. */
async function fingerprint(d: TestDatabase): Promise<{ schema: string; rows: Record<string, string> }> {
  const dump = spawnSync("pg_dump", ["-s", "-d", d.url], { encoding: "utf8" });
  expect(dump.status).toBe(0);
  const c = await d.connect();
  const { rows } = await c.query<{ t: string }>(
    "select format('%I.%I', schemaname, tablename) t from pg_tables where schemaname not in ('pg_catalog','information_schema') order by 1",
  );
  const counts: Record<string, string> = {};
  for (const { t } of rows) {
    const r = await c.query(
      `select count(*)::text n, md5(coalesce(string_agg(x::text, ',' order by x::text), '')) h from ${t} x`,
    );
    counts[t] = `${r.rows[0].n}:${r.rows[0].h}`;
  }
  const ext = await c.query("select string_agg(extname, ',' order by extname) e from pg_extension");
  counts.extensions = ext.rows[0].e;
  // pg_dump 15.14+ brackets its output with a random \restrict key: not part of the schema.
  return { schema: dump.stdout.replace(/^\\(un)?restrict .*$/gm, ""), rows: counts };
}

describe("verify --database-url", () => {
  it.each(["uuid", "text"])("on a migrated %s database: GO 15/15, database unchanged", async (baseline) => {
    const d = await database("migrated", baseline);
    const before = await fingerprint(d);
    const out = await verify({ ...quiet, databaseUrl: d.url });
    expect(out.report.decision).toBe("GO");
    expect(out.report.score).toEqual({ passed: 15, total: 15, percent: 100 });
    expect(out.exitCode).toBe(0);
    expect(out.report.environment.mode).toBe("url");
    expect(out.report.section0.configVersionsIdType).toBe(baseline);
    expect(await fingerprint(d)).toEqual(before);
  });

  it("without pgTAP installed: created inside each rolled-back transaction, gone afterwards", async () => {
    const d = await database("migrated");
    const c = await d.connect();
    await c.query("drop extension pgtap");
    const before = await fingerprint(d);
    expect(before.rows.extensions).not.toContain("pgtap");
    const out = await verify({ ...quiet, databaseUrl: d.url });
    expect(out.report.decision).toBe("GO");
    expect(await fingerprint(d)).toEqual(before);
  });

  it("refuses a database that is not migrated, saying how to fix it (exit 3)", async () => {
    const d = await database("bare");
    const err = await verify({ ...quiet, databaseUrl: d.url }).catch((e) => e);
    expect(err).toBeInstanceOf(GonogoError);
    const x = explain(err);
    expect(x.exitCode).toBe(3);
    expect(x.reason).toMatch(/is not migrated/);
    expect(x.fix).toMatch(/--migrate/);
  });

  it("refuses a read-only default (the suite writes, then rolls back)", async () => {
    const d = await database("migrated");
    const c = await d.connect();
    await c.query(`alter database ${d.name} set default_transaction_read_only = on`);
    const err = await verify({ ...quiet, databaseUrl: d.url }).catch((e) => e);
    expect(explain(err).reason).toMatch(/default_transaction_read_only/);
  });

  it("--migrate applies the migration once with its sha256, then GO; a changed applied file is refused", async () => {
    const d = await database("bare");
    const c = await d.connect();
    // Dev fixtures are not part of a migration, so Section 0 may find no workspace: judge the rest.
    const first = await verify({ ...quiet, databaseUrl: d.url, migrate: true });
    expect(first.report.checks.filter((x) => x.id !== "S0").every((x) => x.passed)).toBe(true);
    const ledger = await c.query(`select version, checksum from ${LEDGER}`);
    expect(ledger.rows).toHaveLength(1);
    expect(ledger.rows[0].checksum).toMatch(/^[0-9a-f]{64}$/);
    // Second run: nothing to apply, same verdict.
    const second = await verify({ ...quiet, databaseUrl: d.url, migrate: true });
    expect(second.report.decision).toBe(first.report.decision);
    await c.query(`update ${LEDGER} set checksum = repeat('0', 64)`);
    const err = await verify({ ...quiet, databaseUrl: d.url, migrate: true }).catch((e) => e);
    expect(explain(err).reason).toMatch(/changed since it was applied/);
  });
});
