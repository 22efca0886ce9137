// `gonogo migrate`: apply db/migrations (versioned: once each, sha256 recorded, refused if an
// applied file changed since) and db/functions (repeatable: every time) to an existing database.
import { createHash } from "node:crypto";
import type pg from "pg";
import { applyFile } from "../apply.js";
import { connect, type SessionSettings, sessionSettings, targetFromUrl } from "../connection.js";
import { GonogoError } from "../errors.js";
import { assertPrecheckClean } from "../precheck-run.js";
import { assertLedger, describeLedger, readPrismaLedger, recordPrismaApplication } from "../prisma-ledger.js";
import { MIGRATION } from "../report/json.js";
import { functionFiles, migrationFiles, type SqlFile } from "../sql-files.js";

/** Where applied migrations are recorded; its own schema keeps the application's schema clean. */
export const LEDGER = "gonogo.schema_migrations";
const LOCK_KEY = 7_476_616_763; // pg_advisory_lock key: one migrate at a time per database

export function sha256(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("hex");
}

/** `db/migrations/<version>/migration.sql` -> `<version>`. */
export function versionOf(file: SqlFile): string {
  return file.path.split("/").at(-2) ?? file.path;
}

export interface MigrateResult {
  applied: string[];
  alreadyApplied: string[];
  functions: number;
}

export async function migrateDatabase(
  client: pg.Client,
  log: (line: string) => void = () => {},
): Promise<MigrateResult> {
  await client.query("set client_min_messages = warning");
  await client.query("select pg_advisory_lock($1)", [LOCK_KEY]);
  try {
    await assertPrecheckClean(client);
    await client.query(`create schema if not exists gonogo;
      create table if not exists ${LEDGER} (
        version text primary key,
        file text not null,
        checksum text not null,
        applied_at timestamptz not null default now(),
        applied_by text not null default current_user)`);
    const { rows } = await client.query<{ version: string; checksum: string }>(
      `select version, checksum from ${LEDGER}`,
    );
    const recorded = new Map(rows.map((r) => [r.version, r.checksum]));
    const result: MigrateResult = { applied: [], alreadyApplied: [], functions: 0 };
    for (const file of migrationFiles()) {
      const version = versionOf(file);
      const checksum = sha256(file.text);
      const before = recorded.get(version);
      if (before !== undefined) {
        if (before !== checksum) {
          throw new GonogoError(
            `${file.path} changed since it was applied (sha256 ${before.slice(0, 12)}... recorded, ${checksum.slice(0, 12)}... now)`,
            "migrations are immutable once applied: restore the applied file and put the change in a new migration",
          );
        }
        result.alreadyApplied.push(version);
        continue;
      }
      if (recorded.size === 0 && (await alreadyMigrated(client))) {
        throw new GonogoError(
          `${file.path} looks applied already (its tables exist) but ${LEDGER} has no record of it`,
          "the database was migrated by hand: verify it without --migrate",
        );
      }
      await client.query("begin");
      try {
        await applyFile(client, file, { transaction: false });
        await client.query(`insert into ${LEDGER} (version, file, checksum) values ($1, $2, $3)`, [
          version,
          file.path,
          checksum,
        ]);
        await recordPrismaApplication(client, version, file.text);
        await client.query("commit");
      } catch (e) {
        await client.query("rollback").catch(() => undefined);
        throw e;
      }
      log(`applied ${file.path}`);
      result.applied.push(version);
    }
    for (const file of functionFiles()) {
      await applyFile(client, file);
      result.functions++;
    }
    log(`applied ${result.functions} repeatable file(s) from db/functions`);
    return result;
  } finally {
    await client.query("select pg_advisory_unlock($1)", [LOCK_KEY]).catch(() => undefined);
  }
}

async function alreadyMigrated(client: pg.Client): Promise<boolean> {
  const { rows } = await client.query<{ done: boolean }>(
    "select to_regclass('public.audit_logs') is not null and to_regclass('public.workspace_members') is not null as done",
  );
  return rows[0]?.done ?? false;
}

export interface MigrateOptions {
  databaseUrl: string;
  session?: SessionSettings;
  stdout?: NodeJS.WritableStream;
  /** Go on when Prisma's ledger records another migration.sql (or a failed deployment). */
  allowLedgerMismatch?: boolean;
}

/** The `migrate` command. */
export async function migrate(opts: MigrateOptions): Promise<MigrateResult> {
  const target = targetFromUrl(opts.databaseUrl);
  const out = opts.stdout ?? process.stdout;
  // Migrations may legitimately take longer than a test statement: no statement timeout here.
  const session = { ...(opts.session ?? sessionSettings({})), statementTimeoutMs: 0 };
  const client = await connect(target.config, session);
  try {
    assertLedger(await readPrismaLedger(client, MIGRATION), !!opts.allowLedgerMismatch);
    const r = await migrateDatabase(client, (l) => out.write(`${l}\n`));
    out.write(
      `migrated ${target.display}: ${r.applied.length} applied, ${r.alreadyApplied.length} already applied, ${r.functions} repeatable\n`,
    );
    const ledger = await readPrismaLedger(client, MIGRATION);
    if (ledger.status !== "absent") out.write(`ledger: ${describeLedger(ledger)}\n`);
    return r;
  } finally {
    await client.end().catch(() => undefined);
  }
}
