// `gonogo migrate`: its options, then the engine, migrateDatabase() in apply/migrate-database.ts
// (the one applier, with the data pre-check first and progress on stderr).
import type { Command } from "commander";
import { type ExplainContext, GonogoError } from "../program/errors.js";
import { noteTarget, timeoutOptions, urlOption } from "../program/options.js";
import { databaseUrlFrom, sessionSettings } from "../target/connection.js";

export function migrateCommand(program: Command, context: ExplainContext): void {
  timeoutOptions(
    program
      .command("migrate")
      .description(
        "apply db/migrations (once each, sha256 recorded) and db/functions (every time) to a database",
      )
      .addOption(urlOption()),
  ).action(async (o) => {
    const databaseUrl = databaseUrlFrom(o.databaseUrl);
    if (!databaseUrl)
      throw new GonogoError("migrate needs a database", "pass --database-url URL or set DATABASE_URL");
    noteTarget(context, databaseUrl);
    const { migrateDatabase } = await import("../apply/migrate-database.js");
    await migrateDatabase({
      databaseUrl,
      session: sessionSettings(o),
      allowLedgerMismatch: o.allowLedgerMismatch,
    });
  });
}
