// `gonogo verify`, the default command: its options and the policy over them (what applies to the
// throwaway cluster only, what needs a URL, where progress goes), then the engine, verify() in
// suite/verification.ts. A plain verify takes the cluster program/early-start.ts began copying.
import { type Command, Option } from "commander";
import { DEFAULT_BASELINE } from "../apply/sql-files.js";
import { startThrowaway } from "../cluster/throwaway.js";
import { dropEarlyStart, takeEarlyStart } from "../program/early-start.js";
import { type ExplainContext, GonogoError } from "../program/errors.js";
import {
  cacheDirFrom,
  cacheOptions,
  noteTarget,
  positiveInt,
  showDuration,
  timeoutOptions,
  urlOption,
} from "../program/options.js";
import { wantColor } from "../report/console.js";
import { type Format, STDOUT_FORMATS } from "../report/formats.js";
import type { TapVersion } from "../report/tap.js";
import { DEFAULT_RETRY } from "../suite/interference.js";
import { databaseUrlFrom, sessionSettings } from "../target/connection.js";

/** Options that only the throwaway cluster takes, refused with a URL. */
const THROWAWAY_ONLY = ["baseline", "keep", "tcp", "cacheDir"];

export function verifyCommand(program: Command, context: ExplainContext): void {
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
    noteTarget(context, databaseUrl);
    const given = (key: string) => ![undefined, "default"].includes(cmd.getOptionValueSource(key));
    const throwawayOnly = THROWAWAY_ONLY.filter(given).map((k) => `--${k}`);
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
    const { verify } = await import("../suite/verification.js");
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
}
