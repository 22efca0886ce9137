#!/usr/bin/env node
// The command line: commander wiring only. It registers the commands, each declared in
// commands/<name>.ts (its options, and the policy over them), whose engine loads when the command
// runs (a verify does not pay for loading mutate and rehearse); every failure goes through
// errors.ts (exit 3, one-line reason and fix, no stack trace, no password).
import { realpathSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Command, CommanderError } from "commander";
import { clusterCommand } from "../commands/cluster.js";
import { migrateCommand } from "../commands/migrate.js";
import { mutateCommand } from "../commands/mutate.js";
import { rehearseCommand } from "../commands/rehearse.js";
import { verifyCommand } from "../commands/verify.js";
import { MIGRATION } from "../migration.js";
import { dropEarlyStart } from "./early-start.js";
import { type ExplainContext, explain, formatExplained } from "./errors.js";
import { armInterrupts, deliverPendingSignals } from "./interrupt.js";
import { packageVersion } from "./provenance.js";

const context: ExplainContext = {};

export function buildProgram(): Command {
  const program = new Command("gonogo")
    .description(
      `Go/no-go gate for migration ${MIGRATION}: runs the pgTAP suite, scores the 15 runbook checks, decides GO / HOLD / NO-GO.`,
    )
    .addHelpText(
      "after",
      `
Examples:
  gonogo verify                                   throwaway local cluster, baseline uuid
  gonogo verify --baseline text --report-dir reports
  DATABASE_URL=postgresql://app@staging/apms gonogo verify   staging, left as found
  gonogo cluster up && gonogo cluster down

With no command, gonogo runs verify (\`gonogo --jobs 2\` is \`gonogo verify --jobs 2\`).

Exit status: 0 GO, 1 NO-GO, 2 HOLD, 3 could not complete (reason and fix on stderr), 130 interrupted.`,
    )
    .version(packageVersion())
    .exitOverride()
    // Usage errors are reported by main() through errors.ts: one line, reason and fix.
    .configureOutput({ outputError: () => undefined })
    // Hints name the command whose --help has the option (`gonogo verify --help`).
    .hook("preSubcommand", (_, sub) => {
      context.command = sub.name();
    });

  verifyCommand(program, context);
  migrateCommand(program, context);
  mutateCommand(program, context);
  rehearseCommand(program, context);
  clusterCommand(program, context);
  return program;
}

export async function main(argv: string[]): Promise<number> {
  armInterrupts();
  try {
    await buildProgram().parseAsync(argv).finally(dropEarlyStart);
    await deliverPendingSignals();
    return typeof process.exitCode === "number" ? process.exitCode : 0;
  } catch (e) {
    // --help and --version end here with code 0; usage errors go through explain() below.
    if (e instanceof CommanderError && (e.exitCode === 0 || /help|version/.test(e.code))) return 0;
    const x = explain(e, context);
    process.stderr.write(formatExplained(x));
    if (process.env.GONOGO_DEBUG) process.stderr.write(`${(e as Error)?.stack ?? String(e)}\n`);
    return x.exitCode;
  }
}

/** Run as the program itself (node dist/orchestrator/cli.js, the npm bin link), not when imported. */
function invokedDirectly(): boolean {
  try {
    return realpathSync(process.argv[1] ?? "") === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

/** Run the program on process.argv (entry.ts, the bundle's entry; or this file run directly). */
export async function runAsProgram(): Promise<void> {
  // node-pg's parser warns on sslmode=prefer|require|verify-ca (it treats them as verify-full, see
  // docs/design.md) in several lines that would break the one-line refusal: show other warnings only.
  process.removeAllListeners("warning");
  process.on("warning", (w) => {
    if (!/SSL modes/.test(w.message)) process.stderr.write(`gonogo: warning: ${w.message.split("\n")[0]}\n`);
  });
  process.exitCode = await main(process.argv);
}

if (invokedDirectly()) await runAsProgram();
