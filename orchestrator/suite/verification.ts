// The engine of `gonogo verify`: reach a target (a throwaway cluster, or a URL left as found), run
// the pgTAP suite on it, score it and report. Returns the outcome; the CLI turns it into an exit
// status (commands/verify.ts declares the options).
import { availableParallelism, userInfo } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { DEFAULT_BASELINE, ROOT } from "../apply/sql-files.js";
import { assertNoClusterUp, STATE_FILE } from "../cluster/kept.js";
import { stopCluster } from "../cluster/server.js";
import type { Throwaway } from "../cluster/throwaway.js";
import { GonogoError } from "../program/errors.js";
import { collectProvenance } from "../program/provenance.js";
import { type Format, formatByName, writeReports } from "../report/formats.js";
import { type GithubEnvironment, publishToGithub } from "../report/github.js";
import { buildReport, type VerdictReport } from "../report/json.js";
import { Progress, type ProgressMode } from "../report/progress.js";
import { assertReportDir } from "../report/report-dir.js";
import type { TapVersion } from "../report/tap.js";
import { DEFAULT_SESSION, type SessionSettings } from "../target/connection.js";
import { jobsFor, runOnTarget, type SuiteTarget, throwawayTarget, urlTarget } from "../target/targets.js";
import { describeRetry } from "./interference.js";
import { discoverTests } from "./runner.js";
import { score } from "./score.js";
import type { FileResult } from "./tap-results.js";

export interface VerifyOptions {
  /** A database to verify and leave as found; undefined = throwaway local cluster. */
  databaseUrl?: string;
  baseline?: string;
  jobs?: number;
  workspace?: string;
  reportDir?: string;
  format?: Format;
  /** TAP on stdout and in results.tap: 14 (default), or 13 for Perl's TAP::Parser. */
  tapVersion?: TapVersion;
  /** Keep the throwaway cluster running and print its URL. */
  keep?: boolean;
  /** URL mode: apply migrations first (the only thing verify ever commits). */
  migrate?: boolean;
  /** URL mode: go on when Prisma's ledger records another migration.sql. */
  allowLedgerMismatch?: boolean;
  /** Directory of *.test.sql files (default db/tests). */
  tests?: string;
  session?: SessionSettings;
  /** Throwaway cluster listens on 127.0.0.1 too. */
  tcp?: boolean;
  /** Throwaway cluster: the prepared-cluster cache directory; undefined = no cache. */
  cacheDir?: string;
  /**
   * The throwaway cluster for these options, already being started: the CLI starts copying it from
   * the cache before the suite's modules (node-postgres, tap-parser) load, and they load meanwhile.
   */
  started?: Promise<Throwaway>;
  /** Name for the declaration's Tester line (default GONOGO_TESTER, then the OS user). */
  tester?: string;
  color?: boolean;
  progress?: ProgressMode;
  stdout?: NodeJS.WritableStream;
  stderr?: NodeJS.WritableStream;
  /** GITHUB_ACTIONS / GITHUB_STEP_SUMMARY (default process.env). */
  env?: GithubEnvironment;
}

export interface VerifyOutcome {
  report: VerdictReport;
  files: FileResult[];
  exitCode: number;
  /** The kept cluster's DATABASE_URL (--keep). */
  keptUrl?: string;
}

export async function verify(opts: VerifyOptions = {}): Promise<VerifyOutcome> {
  try {
    return await verifyOn(opts);
  } catch (e) {
    // refused before the cluster started early was handed over (bad --tests, --report-dir...)
    await opts.started?.then((tw) => stopCluster(tw.cluster)).catch(() => undefined);
    throw e;
  }
}

async function verifyOn(opts: VerifyOptions): Promise<VerifyOutcome> {
  const started = new Date();
  const t0 = performance.now();
  const provenance = collectProvenance(); // git runs while the suite does
  provenance.catch(() => undefined);
  const stdout = opts.stdout ?? process.stdout;
  const stderr = opts.stderr ?? process.stderr;
  const session = opts.session ?? DEFAULT_SESSION;
  const jobs = opts.jobs ?? availableParallelism();
  if (!Number.isInteger(jobs) || jobs < 1)
    throw new GonogoError(`--jobs ${jobs} is not a positive integer`, "use --jobs N with N >= 1");
  const format = formatByName(opts.format ?? "console");
  const testsDir = opts.tests ?? join("db", "tests");
  const files = discoverTests(testsDir, ROOT);
  if (opts.reportDir) assertReportDir(opts.reportDir);
  if (opts.keep) assertNoClusterUp();
  const progress = new Progress(opts.progress ?? "none", stderr, { total: files.length });
  const common = { session, workspace: opts.workspace, onPhase: (t: string) => progress.phase(t) };

  const target: SuiteTarget =
    opts.databaseUrl === undefined
      ? await throwawayTarget({
          ...common,
          baseline: opts.baseline ?? DEFAULT_BASELINE,
          tcp: opts.tcp,
          cacheDir: opts.cacheDir,
          started: opts.started,
        })
      : await urlTarget({
          ...common,
          url: opts.databaseUrl,
          migrate: opts.migrate,
          allowLedgerMismatch: opts.allowLedgerMismatch,
          log: (l) => stderr.write(`${l}\n`),
        });
  let results: FileResult[];
  let keptUrl: string | undefined;
  const runJobs = jobsFor(target, jobs);
  try {
    results = await runOnTarget(target, {
      files,
      testsDir,
      jobs: runJobs,
      onFileDone: (r) => progress.file(r),
      onRetry: (path, hit, attempt, delayMs) => progress.retry(describeRetry(path, hit, attempt, delayMs)),
    });
  } finally {
    const t1 = performance.now();
    keptUrl = await target.release({ keep: opts.keep });
    target.timings.stopMs = performance.now() - t1;
  }
  progress.end();

  const timings: Record<string, number> = { ...target.timings, totalMs: performance.now() - t0 };
  for (const k of Object.keys(timings)) timings[k] = Math.round(timings[k] ?? 0);
  const report = buildReport({
    verdict: score(results),
    files: results,
    environment: target.environment,
    ledger: target.ledger,
    startedAt: started,
    finishedAt: new Date(),
    jobs: runJobs,
    timings,
    provenance: await provenance,
  });

  const ctx = {
    color: opts.color ?? false,
    tester: opts.tester ?? defaultTester(),
    tapVersion: opts.tapVersion,
  };
  stdout.write(format.render(report, results, ctx));
  if (opts.reportDir) writeReports(opts.reportDir, report, results, ctx);
  publishToGithub(report, { env: opts.env, out: stderr });
  if (keptUrl) {
    stderr.write(
      `kept the cluster (${STATE_FILE}); stop it with \`gonogo cluster down\`\nDATABASE_URL=${keptUrl}\n`,
    );
  }
  return { report, files: results, exitCode: report.exitCode, keptUrl };
}

function defaultTester(): string {
  if (process.env.GONOGO_TESTER) return process.env.GONOGO_TESTER;
  try {
    return `${userInfo().username} (via gonogo)`;
  } catch {
    return "gonogo";
  }
}
