// `gonogo migrate`: apply db/migrations and db/functions to an existing database through the one
// applier (orchestrator/apply/applier.ts), with progress on stderr.
import { applyMigrations, type MigrateResult } from "../apply/applier.js";
import { assertLedger, describeLedger, readPrismaLedger } from "../apply/prisma-ledger.js";
import { MIGRATION } from "../migration.js";
import { MigrateProgress } from "../report/migrate-progress.js";
import { connect, type SessionSettings, sessionSettings, targetFromUrl } from "../target/connection.js";

export interface MigrateOptions {
  databaseUrl: string;
  session?: SessionSettings;
  stdout?: NodeJS.WritableStream;
  stderr?: NodeJS.WritableStream & { isTTY?: boolean };
  /** Go on when Prisma's ledger records another migration.sql (or a failed deployment). */
  allowLedgerMismatch?: boolean;
}

/** The `migrate` command. */
export async function migrate(opts: MigrateOptions): Promise<MigrateResult> {
  const target = targetFromUrl(opts.databaseUrl);
  const out = opts.stdout ?? process.stdout;
  const err = opts.stderr ?? process.stderr;
  const session = opts.session ?? sessionSettings({});
  const client = await connect(target.config, session);
  const progress = new MigrateProgress(err, !!err.isTTY);
  try {
    assertLedger(await readPrismaLedger(client, MIGRATION), !!opts.allowLedgerMismatch);
    const r = await applyMigrations(client, {
      onProgress: (e) => progress.update(e),
      log: (l) => progress.note(l),
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
