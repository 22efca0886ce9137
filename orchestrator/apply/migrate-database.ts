// The engine of `gonogo migrate`: apply db/migrations and db/functions to an existing database
// through the one applier (applier.ts), after Prisma's ledger is checked, with progress on stderr.

import { MIGRATION } from "../migration.js";
import { Progress } from "../report/progress.js";
import { connect, type SessionSettings, sessionSettings, targetFromUrl } from "../target/connection.js";
import { applyMigrations, type MigrateResult } from "./applier.js";
import { assertLedger, describeLedger, readPrismaLedger } from "./prisma-ledger.js";

export interface MigrateOptions {
  databaseUrl: string;
  session?: SessionSettings;
  stdout?: NodeJS.WritableStream;
  stderr?: NodeJS.WritableStream & { isTTY?: boolean };
  /** Go on when Prisma's ledger records another migration.sql (or a failed deployment). */
  allowLedgerMismatch?: boolean;
}

/** `gonogo migrate`: the ledger checked, everything applied, one summary line on stdout. */
export async function migrateDatabase(opts: MigrateOptions): Promise<MigrateResult> {
  const target = targetFromUrl(opts.databaseUrl);
  const out = opts.stdout ?? process.stdout;
  const err = opts.stderr ?? process.stderr;
  const session = opts.session ?? sessionSettings({});
  const client = await connect(target.config, session);
  const progress = new Progress(err.isTTY ? "tty" : "lines", err);
  try {
    assertLedger(await readPrismaLedger(client, MIGRATION), !!opts.allowLedgerMismatch);
    const r = await applyMigrations(client, {
      onProgress: (e) => progress.migration(e),
      log: (l) => progress.line(l),
    });
    progress.end();
    const resumed = r.resumed.length ? `, ${r.resumed.length} resumed and completed` : "";
    out.write(
      `migrated ${target.display}: ${r.applied.length} applied${resumed}, ${r.alreadyApplied.length} already applied, ${r.functions} repeatable\n`,
    );
    const ledger = await readPrismaLedger(client, MIGRATION);
    if (ledger.status !== "absent") out.write(`ledger: ${describeLedger(ledger)}\n`);
    return r;
  } finally {
    progress.end();
    await client.end().catch(() => undefined);
  }
}
