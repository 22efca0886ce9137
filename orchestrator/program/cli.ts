#!/usr/bin/env node
// The command line: commander wiring only. Command modules load when their command runs (a verify
// does not pay for loading mutate and rehearse). Each command is a plain function in commands/; every
// failure goes through errors.ts (exit 3, one-line reason and fix, no stack trace, no password).
import { realpathSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Command, CommanderError, InvalidArgumentError, Option } from "commander";
import { DEFAULT_BASELINE } from "../apply/sql-files.js";
import { defaultCacheDir } from "../cluster/cache.js";
import { startThrowaway } from "../cluster/throwaway.js";
import { wantColor } from "../report/console.js";
import { type Format, STDOUT_FORMATS } from "../report/formats.js";
import type { TapVersion } from "../report/tap.js";
import { DEFAULT_RETRY } from "../suite/interference.js";
import {
  DEFAULT_SESSION,
  databaseUrlFrom,
  parseDuration,
  sessionSettings,
  targetFromUrl,
} from "../target/connection.js";
import { dropEarlyStart, takeEarlyStart } from "./early-start.js";
import { type ExplainContext, explain, formatExplained, GonogoError } from "./errors.js";
import { armInterrupts, deliverPendingSignals } from "./interrupt.js";
import { packageVersion } from "./provenance.js";

const context: ExplainContext = {};

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError("must be a whole number >= 1");
  return n;
}

function urlOption(): Option {
  return new Option("--database-url <url>", "libpq URL of the database (default: $DATABASE_URL)");
}

const DURATION = "a duration: 500ms, 3s, 2min, 1h, or a number of milliseconds";

/** `3000` ms -> `3s`, as the help shows defaults. */
function showDuration(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}

function timeoutOptions(cmd: Command): Command {
  const d = DEFAULT_SESSION;
  return cmd
    .option(
      "--lock-timeout <duration>",
      `lock_timeout on every connection, ${DURATION} (default ${showDuration(d.lockTimeoutMs)}; env GONOGO_LOCK_TIMEOUT)`,
    )
    .option(
      "--statement-timeout <duration>",
      `statement_timeout on every connection (default ${showDuration(d.statementTimeoutMs)}; env GONOGO_STATEMENT_TIMEOUT)`,
    )
    .option(
      "--idle-timeout <duration>",
      `idle_in_transaction_session_timeout on every connection (default ${showDuration(d.idleInTransactionTimeoutMs)}; env GONOGO_IDLE_TIMEOUT)`,
    );
}

/** Remember the target so error messages can name it (never with its password). */
function noteTarget(url: string | undefined): void {
  if (!url) return;
  try {
    const t = targetFromUrl(url);
    context.target = t.display;
    context.user = t.user;
    context.secrets = t.secrets;
  } catch {
    // the command itself reports the bad URL
  }
}

function cacheOptions(cmd: Command): Command {
  return cmd
    .option(
      "--cache-dir <dir>",
      "throwaway cluster: prepared-cluster cache (default $XDG_CACHE_HOME/gonogo or ~/.cache/gonogo)",
    )
    .option("--no-cache", "throwaway cluster: prepare from scratch, no cache (env GONOGO_NO_CACHE=1)");
}

/** --cache-dir, else the default; none with --no-cache or GONOGO_NO_CACHE=1. */
function cacheDirFrom(o: { cache?: boolean; cacheDir?: string }): string | undefined {
  if (o.cache === false || /^(1|true|yes)$/i.test(process.env.GONOGO_NO_CACHE ?? "")) return undefined;
  return o.cacheDir ?? defaultCacheDir();
}

export function buildProgram(): Command {
  const program = new Command("gonogo")
    .description(
      "Go/no-go gate for migration 20251229010228_add_master_tables_final_v2: runs the pgTAP suite, scores the 15 runbook checks, decides GO / HOLD / NO-GO.",
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

  timeoutOptions(
    cacheOptions(
      program
        .command("verify", { isDefault: true })
        .description(
          "run the suite and print the verdict: on a throwaway local cluster, or on --database-url / $DATABASE_URL (left as found); the default command",
        )
        .addOption(urlOption())
        .option(
          "--baseline <name>",
          "throwaway cluster: pre-existing schema to load (uuid, text)",
          DEFAULT_BASELINE,
        )
        .option("-j, --jobs <n>", "parallel connections (default: number of cores)", positiveInt)
        .option("--workspace <code>", "workspace under test (default XLSMART-AVIAT, else TEST-WS)")
        .option("--report-dir <dir>", "write verdict.json, junit.xml, results.tap, declaration.md there")
        .addOption(
          new Option("--format <format>", "standard output format")
            .choices(STDOUT_FORMATS)
            .default("console"),
        )
        .addOption(
          new Option(
            "--tap-version <n>",
            "TAP version of --format tap and results.tap: 14, or 13 (no subtests) for Perl's TAP::Parser (prove, pg_prove)",
          )
            .choices(["13", "14"])
            .default("14"),
        )
        .option("--migrate", "URL: apply db/migrations and db/functions first (recorded with sha256)")
        .option(
          "--allow-ledger-mismatch",
          "URL: go on when _prisma_migrations records another migration.sql (the declaration says so)",
        )
        .option(
          "--keep",
          "throwaway cluster: keep it running and print its DATABASE_URL (refused while a cluster is up)",
        )
        .option("--tcp", "throwaway cluster: listen on 127.0.0.1 as well as the unix socket"),
    )
      .option("--tests <dir>", "directory of *.test.sql files", "db/tests")
      .option(
        "--retry-budget <duration>",
        `how long a test file that met lock contention, a timeout or a deadlock is retried before the run ends inconclusive, exit 3; 0 = never (default ${showDuration(DEFAULT_RETRY.budgetMs)}; env GONOGO_RETRY_BUDGET; docs/staging.md)`,
      )
      .option("--no-progress", "no progress lines on stderr"),
  ).action(async (o, cmd: Command) => {
    const databaseUrl = databaseUrlFrom(o.databaseUrl);
    noteTarget(databaseUrl);
    const given = (key: string) => ![undefined, "default"].includes(cmd.getOptionValueSource(key));
    const throwawayOnly = ["baseline", "keep", "tcp", "cacheDir"].filter(given).map((k) => `--${k}`);
    if (databaseUrl && throwawayOnly.length > 0) {
      throw new GonogoError(
        `${throwawayOnly.join(", ")} ${throwawayOnly.length > 1 ? "apply" : "applies"} to the throwaway cluster only, not to a database URL`,
        `drop ${throwawayOnly.length > 1 ? "them" : "it"} when using a URL, or unset DATABASE_URL for a throwaway run`,
      );
    }
    if (!databaseUrl && o.migrate) {
      throw new GonogoError(
        "--migrate needs --database-url (the throwaway cluster is always migrated)",
        "drop --migrate",
      );
    }
    const tty = !!process.stderr.isTTY && !process.env.CI;
    // A cached throwaway run starts copying its cluster now; the suite's modules load meanwhile.
    const cacheDir = cacheDirFrom(o);
    const throwaway = { baseline: o.baseline, tcp: o.tcp, cacheDir };
    const started =
      !databaseUrl && !o.keep && cacheDir !== undefined
        ? (takeEarlyStart(throwaway) ?? startThrowaway(throwaway))
        : undefined;
    started?.catch(() => undefined); // verify awaits it and reports its error
    await dropEarlyStart(); // one the options did not ask for
    const { verify } = await import("../commands/verify.js");
    const outcome = await verify({
      started,
      databaseUrl,
      baseline: o.baseline,
      jobs: o.jobs,
      workspace: o.workspace,
      reportDir: o.reportDir,
      format: o.format as Format,
      tapVersion: Number(o.tapVersion) as TapVersion,
      keep: o.keep,
      migrate: o.migrate,
      allowLedgerMismatch: o.allowLedgerMismatch,
      tcp: o.tcp,
      cacheDir,
      tests: o.tests,
      session: sessionSettings(o),
      color: wantColor(process.stdout),
      progress: !o.progress ? "none" : tty ? "tty" : o.format === "console" ? "lines" : "none",
    });
    process.exitCode = outcome.exitCode;
  });

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
    noteTarget(databaseUrl);
    const { migrate } = await import("../commands/migrate.js");
    await migrate({ databaseUrl, session: sessionSettings(o), allowLedgerMismatch: o.allowLedgerMismatch });
  });

  timeoutOptions(
    program
      .command("mutate")
      .description(
        "mutation testing: remove or weaken each guarantee of the migration in a clone, run the suite, report the mutants that still get GO",
      )
      .addOption(urlOption())
      .option(
        "--baseline <name>",
        "throwaway cluster: baseline to load; URL: the one it came from (default: detected)",
      )
      .option("-j, --jobs <n>", "clones worked on side by side (default: number of cores)", positiveInt)
      .option("--suite-jobs <n>", "suite connections inside each clone", positiveInt, 1)
      .option("--report-dir <dir>", "write mutation.json there")
      .option("--allowlist <file>", "allowlist of redundant guarantees", undefined)
      .option("--only <text>", "only the mutants whose id contains one of these comma-separated texts")
      .option(
        "--full-suite",
        "run every file on every mutant (all failing checks recorded), not only up to the first failure",
      )
      .option("--cluster-wide", "URL: also run mutants that change roles on the whole server")
      .option("--no-progress", "no progress lines on stderr"),
  ).action(async (o) => {
    const databaseUrl = databaseUrlFrom(o.databaseUrl);
    noteTarget(databaseUrl);
    const { mutate } = await import("../commands/mutate.js");
    const outcome = await mutate({
      databaseUrl,
      baseline: o.baseline,
      jobs: o.jobs,
      suiteJobs: o.suiteJobs,
      reportDir: o.reportDir,
      allowlist: o.allowlist,
      only: o.only,
      fullSuite: o.fullSuite,
      clusterWide: o.clusterWide,
      session: sessionSettings(o),
      progress: o.progress,
    });
    process.exitCode = outcome.exitCode;
  });

  timeoutOptions(
    program
      .command("rehearse")
      .description(
        "rehearse the deployment: copy --from URL into a throwaway cluster (or use the disposable --target URL), pre-check the data, apply the migration measuring its locks, run the suite",
      )
      .option("--from <url>", "source database to copy (read-only: one snapshot, ACCESS SHARE locks)")
      .option("--target <url>", "a disposable clone you made: migrated in place")
      .option("--yes-this-is-a-disposable-copy", "confirm that --target may be migrated")
      .option(
        "-j, --jobs <n>",
        "parallel connections for copy and suite (default: number of cores)",
        positiveInt,
      )
      .option("--workspace <code>", "workspace under test (default XLSMART-AVIAT, else TEST-WS)")
      .option(
        "--report-dir <dir>",
        "write rehearsal.json, verdict.json, junit.xml, results.tap, declaration.md there",
      )
      .addOption(
        new Option("--format <format>", "standard output format").choices(STDOUT_FORMATS).default("console"),
      )
      .option(
        "--max-read-block <duration>",
        "lock budget: longest time reads of a table may be blocked",
        "1s",
      )
      .option(
        "--max-write-block <duration>",
        "lock budget: longest time writes to a table may be blocked",
        "2s",
      )
      .option("--work-dir <dir>", "where the dump and the copy go (default $TMPDIR)")
      .option("--no-progress", "no progress lines on stderr"),
  ).action(async (o) => {
    noteTarget(o.from ?? o.target);
    const { rehearse } = await import("../commands/rehearse.js");
    const outcome = await rehearse({
      from: o.from,
      target: o.target,
      disposable: !!o.yesThisIsADisposableCopy,
      databaseUrl: databaseUrlFrom(undefined),
      jobs: o.jobs,
      workspace: o.workspace,
      reportDir: o.reportDir,
      format: o.format,
      budgets: {
        maxReadBlockS: parseDuration(o.maxReadBlock, "--max-read-block") / 1000,
        maxWriteBlockS: parseDuration(o.maxWriteBlock, "--max-write-block") / 1000,
      },
      workDir: o.workDir,
      session: sessionSettings(o),
      color: wantColor(process.stdout),
      progress: o.progress,
    });
    process.exitCode = outcome.exitCode;
  });

  const cluster = program
    .command("cluster")
    .description("a local cluster that outlives one run")
    .hook("preSubcommand", (_, sub) => {
      context.command = `cluster ${sub.name()}`;
    });
  cacheOptions(
    cluster
      .command("up")
      .description(
        "start a cluster prepared as verify prepares it; prints DATABASE_URL on the last line. Refused while one is up: it names that cluster's URL; stop it first with `gonogo cluster down`",
      )
      .option("--baseline <name>", "pre-existing schema to load (uuid, text)", DEFAULT_BASELINE)
      .option("--tcp", "listen on 127.0.0.1 as well as the unix socket"),
  ).action(async (o) => {
    const { clusterUp } = await import("../commands/cluster.js");
    await clusterUp({ baseline: o.baseline, tcp: o.tcp, cacheDir: cacheDirFrom(o) });
  });
  cluster
    .command("down")
    .description("stop and remove the cluster started by `cluster up` (or `verify --keep`)")
    .action(async () => {
      const { clusterDown } = await import("../commands/cluster.js");
      await clusterDown();
    });
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
