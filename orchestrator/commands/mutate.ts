// `gonogo mutate`: its options, then the engine, mutate() in mutate/mutation.ts (every guarantee
// removed or weakened in a clone, the suite run on each, the survivors reported).
import type { Command } from "commander";
import type { ExplainContext } from "../program/errors.js";
import { noteTarget, positiveInt, timeoutOptions, urlOption } from "../program/options.js";
import { databaseUrlFrom, sessionSettings } from "../target/connection.js";

export function mutateCommand(program: Command, context: ExplainContext): void {
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
    noteTarget(context, databaseUrl);
    const { mutate } = await import("../mutate/mutation.js");
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
}
