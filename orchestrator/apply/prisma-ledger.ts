// Prisma's migration ledger (`_prisma_migrations`): the runbook's team deploys this migration with
// Prisma, so a staging database usually records it there. Read: is the migration recorded,
// finished, not rolled back, and is its checksum this repository's migration.sql? Written: when
// gonogo applies the migration to a database that has the table, it records it as Prisma would, so
// a later `prisma migrate deploy` does not apply it twice.
//
// Prisma's rules, read in prisma/prisma-engines (schema-engine/connectors/schema-connector/src/
// checksum.rs at 48784dc4afd777a4e5f95b2191e749dd32c40733; sql-schema-connector/src/
// sql_migration_persistence.rs at 17a550caa0318a411d3def95563d4aa77bf057f5; the table in
// flavour/postgres.rs at 042511990ea2dc539b711cfaa3f692c6997d4533):
// - checksum = SHA-256 of migration.sql's text, 64 lower-case hex digits (older engines wrote
//   bytes without zero padding: `{:x}` per byte, shorter than 64);
// - it matches when the script as read, with CRLF turned to LF, or with LF turned to CRLF hashes to
//   the recorded value (git may change line endings on checkout);
// - applying: insert (id = uuid v4, checksum, started_at, migration_name), run the script,
//   applied_steps_count + 1, finished_at; logs stays null on success;
// - `migrate deploy` treats a row with rolled_back_at null and finished_at null as a failed
//   migration (P3009) and a name with a row not rolled back as applied.
import { createHash, randomUUID } from "node:crypto";
import type { ClientBase } from "pg";
import { GonogoError } from "../program/errors.js";
import { migrationFiles, type SqlFile } from "./sql-files.js";

export const PRISMA_TABLE = "_prisma_migrations";

/** The table as Prisma's engine creates it on PostgreSQL (flavour/postgres.rs, commit above). */
export const PRISMA_TABLE_DDL = `CREATE TABLE _prisma_migrations (
    id                      VARCHAR(36) PRIMARY KEY NOT NULL,
    checksum                VARCHAR(64) NOT NULL,
    finished_at             TIMESTAMPTZ,
    migration_name          VARCHAR(255) NOT NULL,
    logs                    TEXT,
    rolled_back_at          TIMESTAMPTZ,
    started_at              TIMESTAMPTZ NOT NULL DEFAULT now(),
    applied_steps_count     INTEGER NOT NULL DEFAULT 0
);`;

export type LedgerStatus =
  | "absent" // no _prisma_migrations table
  | "unreadable" // the table exists, our role may not read it
  | "not-recorded"
  | "applied" // finished, not rolled back, checksum matches
  | "checksum-mismatch" // finished, not rolled back, another migration.sql
  | "failed" // started, never finished, not rolled back (prisma migrate deploy stops: P3009)
  | "rolled-back"; // only rolled-back attempts

export interface LedgerRow {
  id: string;
  checksum: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
  started_at: Date;
  applied_steps_count: number;
}

export interface LedgerReport {
  table: string | null;
  migration: string;
  status: LedgerStatus;
  /** SHA-256 of this repository's migration.sql as Prisma renders it. */
  expectedChecksum: string;
  recordedChecksum: string | null;
  finishedAt: string | null;
  rolledBackAt: string | null;
  /** Rows for this migration (failed and rolled-back attempts included). */
  records: number;
  /** The run went on despite a mismatch (--allow-ledger-mismatch). */
  mismatchAllowed?: boolean;
  detail?: string;
}

/** Pure: Prisma's checksum of a migration script. */
export function prismaChecksum(script: string): string {
  return createHash("sha256").update(script, "utf8").digest("hex");
}

/** Pure: Prisma's `script_matches_checksum`: line-ending agnostic, old unpadded format accepted. */
export function checksumMatches(script: string, recorded: string): boolean {
  const variants = [script, script.replace(/\r\n/g, "\n"), script.replace(/\n/g, "\r\n")];
  return variants.some((v) => {
    const digest = createHash("sha256").update(v, "utf8").digest();
    const rendered =
      recorded.length !== 0 && recorded.length !== 64
        ? [...digest].map((b) => b.toString(16)).join("")
        : digest.toString("hex");
    return rendered === recorded;
  });
}

/** Pure: what the rows say about one migration. */
export function judgeLedger(
  table: string | null,
  migration: string,
  script: string,
  rows: readonly LedgerRow[],
): LedgerReport {
  const expectedChecksum = prismaChecksum(script);
  const base = { table, migration, expectedChecksum, records: rows.length };
  const none = { recordedChecksum: null, finishedAt: null, rolledBackAt: null };
  if (table === null) return { ...base, ...none, status: "absent" };
  const latest = (rs: readonly LedgerRow[]) =>
    [...rs].sort((a, b) => b.started_at.getTime() - a.started_at.getTime())[0];
  const live = rows.filter((r) => r.rolled_back_at === null);
  const finished = latest(live.filter((r) => r.finished_at !== null));
  const failed = latest(live.filter((r) => r.finished_at === null));
  const row = finished ?? failed ?? latest(rows);
  if (!row) return { ...base, ...none, status: "not-recorded" };
  const status: LedgerStatus = finished
    ? checksumMatches(script, finished.checksum)
      ? "applied"
      : "checksum-mismatch"
    : failed
      ? "failed"
      : "rolled-back";
  return {
    ...base,
    status,
    recordedChecksum: row.checksum,
    finishedAt: row.finished_at?.toISOString() ?? null,
    rolledBackAt: row.rolled_back_at?.toISOString() ?? null,
  };
}

/** Pure: a mismatch means the database does not hold the migration being judged: exit 3. */
export function assertLedger(ledger: LedgerReport, allowMismatch: boolean): LedgerReport {
  const mismatch = ledger.status === "checksum-mismatch" || ledger.status === "failed";
  if (!mismatch) return ledger;
  if (allowMismatch) return { ...ledger, mismatchAllowed: true };
  if (ledger.status === "failed") {
    throw new GonogoError(
      `${ledger.table} records ${ledger.migration} as started but never finished (a failed Prisma deployment; checksum ${ledger.recordedChecksum})`,
      "resolve it first (`prisma migrate resolve --rolled-back|--applied`), or pass --allow-ledger-mismatch to judge the database as it is",
    );
  }
  throw new GonogoError(
    `${ledger.table} records another ${ledger.migration}: checksum ${ledger.recordedChecksum} recorded, ${ledger.expectedChecksum} for this repository's migration.sql`,
    "judge the database with the migration.sql that was deployed (check out that commit), or pass --allow-ledger-mismatch to go on anyway",
  );
}

/** Pure: one line for the console header and the declaration. */
export function describeLedger(l: LedgerReport): string {
  const short = (c: string | null) => (c ? `${c.slice(0, 12)}…` : "?");
  switch (l.status) {
    case "absent":
      return `no ${PRISMA_TABLE} table`;
    case "unreadable":
      return `${l.table} not readable: ${l.detail ?? "permission denied"}`;
    case "not-recorded":
      return `${l.table} has no record of ${l.migration}`;
    case "applied":
      return `${l.table}: ${l.migration} applied ${l.finishedAt}, checksum matches (sha256 ${short(l.expectedChecksum)})`;
    case "rolled-back":
      return `${l.table}: ${l.migration} rolled back ${l.rolledBackAt}`;
    case "failed":
      return `${l.table}: ${l.migration} FAILED (started, never finished)${l.mismatchAllowed ? "; judged anyway (--allow-ledger-mismatch)" : ""}`;
    case "checksum-mismatch":
      return `${l.table}: ${l.migration} CHECKSUM MISMATCH: recorded ${l.recordedChecksum}, this repository ${l.expectedChecksum}${l.mismatchAllowed ? "; judged anyway (--allow-ledger-mismatch)" : ""}`;
  }
}

/** This repository's file for a migration name. */
export function migrationFile(name: string): SqlFile {
  const f = migrationFiles().find((m) => m.path.split("/").at(-2) === name);
  if (!f) throw new Error(`db/migrations/${name}/migration.sql missing`);
  return f;
}

/** Schema-qualified name of the ledger table Prisma would use on this connection, or null. */
async function findTable(client: ClientBase): Promise<string | null> {
  const { rows } = await client.query<{ name: string }>(
    `select format('%I.%I', n.nspname, c.relname) as name
       from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where c.relname = $1 and c.relkind in ('r', 'p')
      order by array_position(current_schemas(false), n.nspname::text) nulls last,
               n.nspname = 'public' desc, n.nspname
      limit 1`,
    [PRISMA_TABLE],
  );
  return rows[0]?.name ?? null;
}

/** Read the ledger's rows for a migration and judge them (read only). */
export async function readPrismaLedger(client: ClientBase, migration: string): Promise<LedgerReport> {
  const file = migrationFile(migration);
  const table = await findTable(client);
  if (table === null) return judgeLedger(null, migration, file.text, []);
  try {
    const { rows } = await client.query<LedgerRow>(
      `select id, checksum, finished_at, rolled_back_at, started_at, applied_steps_count
         from ${table} where migration_name = $1`,
      [migration],
    );
    return judgeLedger(table, migration, file.text, rows);
  } catch (e) {
    if ((e as { code?: string }).code !== "42501") throw e;
    return {
      ...judgeLedger(null, migration, file.text, []),
      table,
      status: "unreadable",
      detail: (e as Error).message,
    };
  }
}

/**
 * Record a migration just applied in this transaction as Prisma records one, when the database
 * has Prisma's table and no live record of it yet. started_at is the transaction's start,
 * finished_at the moment of recording.
 */
export async function recordPrismaApplication(
  client: ClientBase,
  migration: string,
  script: string,
): Promise<void> {
  const table = await findTable(client);
  if (table === null) return;
  await client.query(
    `insert into ${table} (id, checksum, finished_at, migration_name, logs, rolled_back_at, started_at, applied_steps_count)
     select $1::text, $2::text, clock_timestamp(), $3::text, null, null, now(), 1
      where not exists (select from ${table} where migration_name = $3::text and rolled_back_at is null and finished_at is not null)`,
    [randomUUID(), prismaChecksum(script), migration],
  );
}
