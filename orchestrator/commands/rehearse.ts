// `gonogo rehearse`: its options, then the engine, rehearse() in rehearse/rehearsal.ts (a copy of
// --from, or the disposable --target: data pre-check, the migration with its locks measured, the
// suite, one decision).
import { type Command, Option } from "commander";
import type { ExplainContext } from "../program/errors.js";
import { noteTarget, positiveInt, timeoutOptions } from "../program/options.js";
import { wantColor } from "../report/console.js";
import { STDOUT_FORMATS } from "../report/formats.js";
import { databaseUrlFrom, parseDuration, sessionSettings } from "../target/connection.js";

export function rehearseCommand(program: Command, context: ExplainContext): void {
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
    noteTarget(context, o.from ?? o.target);
    const { rehearse } = await import("../rehearse/rehearsal.js");
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
}
