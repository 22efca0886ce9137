// The rehearsal: copy the source into a throwaway cluster (or take the disposable clone given by
// --target), run the data pre-check, apply the migration measured (measure.ts), run the suite on
// the result, decide (rehearsal-report.ts) and report. The source is only ever read.
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, tmpdir, userInfo } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import type pg from "pg";
import { failing, type PrecheckResult, renderPrecheck, runPrecheck } from "../apply/precheck.js";
import { ROOT } from "../apply/sql-files.js";
import { resolveBinDir } from "../cluster/binaries.js";
import { clusterConnection, startCluster, stopCluster } from "../cluster/server.js";
import { MIGRATION } from "../migration.js";
import { GonogoError } from "../program/errors.js";
import { collectProvenance } from "../program/provenance.js";
import { type Format, formatByName, writeReports } from "../report/formats.js";
import { buildReport, type VerdictReport } from "../report/json.js";
import { Progress } from "../report/progress.js";
import { assertReportDir } from "../report/report-dir.js";
import { discoverTests } from "../suite/runner.js";
import { score } from "../suite/score.js";
import type { FileResult } from "../suite/tap-results.js";
import {
  connect,
  DEFAULT_SESSION,
  type SessionSettings,
  type Target,
  targetFromUrl,
} from "../target/connection.js";
import { runOnTarget, type SuiteTarget } from "../target/targets.js";
import { assertDiskSpace, assertServerMajor, COPY_SETTINGS, copyDatabase, findTools } from "./copy.js";
import { applyMeasured } from "./measure.js";
import {
  type Budgets,
  decideRehearsal,
  exitCodeOf,
  type Rehearsal,
  renderDeployment,
  renderDeploymentMarkdown,
  renderRehearsalJson,
} from "./rehearsal-report.js";
import { inspectSource, rowCounts, type SourceFacts } from "./source.js";

export interface RehearseOptions {
  /** Copy this database and rehearse on the copy. */
  from?: string;
  /** Rehearse on this disposable clone directly (it is migrated). */
  target?: string;
  /** --yes-this-is-a-disposable-copy */
  disposable?: boolean;
  /** $DATABASE_URL, which --target must never be. */
  databaseUrl?: string;
  jobs?: number;
  workspace?: string;
  reportDir?: string;
  format?: Format;
  budgets?: Partial<Budgets>;
  /** Where the dump and the copy's cluster go (default TMPDIR). */
  workDir?: string;
  session?: SessionSettings;
  color?: boolean;
  tester?: string;
  stdout?: NodeJS.WritableStream;
  stderr?: NodeJS.WritableStream;
  /** Progress lines on stderr (copy, apply). */
  progress?: boolean;
}

export interface RehearseOutcome {
  rehearsal: Rehearsal;
  report?: VerdictReport;
  exitCode: number;
}

export const DEFAULT_BUDGETS: Budgets = { maxReadBlockS: 1, maxWriteBlockS: 2 };
const COPY_DATABASE = "rehearsal";

/** `--target` must be a disposable clone: confirmed, and never the database DATABASE_URL names. */
export function assertDisposable(target: Target, opts: RehearseOptions): void {
  if (!opts.disposable) {
    throw new GonogoError(
      `rehearse --target migrates ${target.display} for real`,
      "pass --yes-this-is-a-disposable-copy if it is a clone you will throw away (or use --from URL to rehearse on a copy)",
    );
  }
  if (opts.databaseUrl) {
    const main = targetFromUrl(opts.databaseUrl);
    const same =
      opts.databaseUrl === opts.target ||
      main.database === target.database ||
      (main.host === target.host && main.port === target.port && main.database === target.database);
    if (same) {
      throw new GonogoError(
        `--target ${target.display} matches DATABASE_URL (${main.display}): refusing to migrate what may be the real database`,
        "point --target at a clone with its own database name, or unset DATABASE_URL",
      );
    }
  }
}

function assertOneSource(opts: RehearseOptions): void {
  if (!!opts.from === !!opts.target) {
    throw new GonogoError(
      opts.from ? "--from and --target exclude each other" : "rehearse needs a database",
      "pass --from URL (copied locally) or --target URL --yes-this-is-a-disposable-copy (migrated in place)",
    );
  }
}

async function withClient<T>(
  config: pg.ClientConfig,
  session: SessionSettings,
  f: (c: pg.Client) => Promise<T>,
) {
  const c = await connect(config, session);
  try {
    return await f(c);
  } finally {
    await c.end().catch(() => undefined);
  }
}

export async function rehearse(opts: RehearseOptions): Promise<RehearseOutcome> {
  assertOneSource(opts);
  const started = new Date();
  const t0 = performance.now();
  const stdout = opts.stdout ?? process.stdout;
  const stderr = opts.stderr ?? process.stderr;
  const progress = new Progress((opts.progress ?? true) ? "lines" : "none", stderr);
  const say = (line: string) => progress.line(`rehearse: ${line}`);
  const session = opts.session ?? DEFAULT_SESSION;
  const budgets = { ...DEFAULT_BUDGETS, ...opts.budgets };
  const jobs = opts.jobs ?? availableParallelism();
  const url = (opts.from ?? opts.target) as string;
  const source = targetFromUrl(url);
  if (opts.target) assertDisposable(source, opts);
  const format = formatByName(opts.format ?? "console");
  const tests = discoverTests(join("db", "tests"), ROOT);
  if (opts.reportDir) assertReportDir(opts.reportDir);
  const timings: Record<string, number> = {};

  const facts: SourceFacts = await withClient(
    { ...source.config, options: "-c default_transaction_read_only=on" },
    session,
    (c) => inspectSource(c, source.display, url),
  );
  if (facts.inRecovery && opts.target) {
    throw new GonogoError(
      `${source.display} is a read-only standby`,
      "promote the clone first, then rehearse on it",
    );
  }

  let cluster: Awaited<ReturnType<typeof startCluster>> | undefined;
  let workDir: string | undefined;
  let removeDump: (() => void) | undefined;
  try {
    let config: pg.ClientConfig;
    let copy: Rehearsal["copy"];
    if (opts.from) {
      const tools = findTools(facts.major);
      const binDir = resolveBinDir();
      assertServerMajor(binDir, facts.major);
      const parent = opts.workDir ?? tmpdir();
      assertDiskSpace(parent, facts.sizeBytes);
      const dir = mkdtempSync(join(parent, "gonogo-rehearse-"));
      workDir = dir;
      // the cluster removes itself on Ctrl-C (program/interrupt.ts); the dump goes with it
      removeDump = () => rmSync(dir, { recursive: true, force: true });
      process.once("exit", removeDump);
      say(
        `copying ${source.display} (${(facts.sizeBytes / 1024 / 1024).toFixed(0)} MB, PostgreSQL ${facts.serverVersion}) into a throwaway cluster`,
      );
      cluster = await startCluster({ parentDir: parent, settings: COPY_SETTINGS });
      await withClient(clusterConnection(cluster, "postgres"), session, (c) =>
        c.query(`create database ${COPY_DATABASE}`),
      );
      copy = await copyDatabase({
        tools,
        sourceUrl: url,
        secrets: source.secrets,
        cluster,
        database: COPY_DATABASE,
        dumpDir: join(workDir, "dump"),
        jobs: Math.max(1, Math.min(jobs, availableParallelism())),
        lockTimeoutMs: session.lockTimeoutMs,
        onProgress: say,
      });
      rmSync(join(workDir, "dump"), { recursive: true, force: true });
      say(`copied in ${(copy.totalMs / 1000).toFixed(1)} s`);
      config = clusterConnection(cluster, COPY_DATABASE);
    } else {
      say(
        `applying migration ${MIGRATION} to ${source.display} itself (a disposable copy, as --yes-this-is-a-disposable-copy says)`,
      );
      config = source.config;
    }

    const rows = await withClient(config, session, rowCounts);
    const tPre = performance.now();
    say("data pre-check");
    const precheck: PrecheckResult[] = await withClient(config, { ...session, statementTimeoutMs: 0 }, (c) =>
      runPrecheck(c),
    );
    timings.precheckMs = Math.round(performance.now() - tPre);

    let apply: Rehearsal["apply"];
    let report: VerdictReport | undefined;
    let files: FileResult[] = [];
    if (failing(precheck).length === 0) {
      say("applying the migration (sampling locks, probing the tables)");
      // the pre-check just passed on this same disposable database: not run again inside the apply
      apply = await applyMeasured({ config, session, onProgress: say, precheckDone: true });
      timings.applyMs = apply.durationMs;
      say(
        `applied in ${(apply.durationMs / 1000).toFixed(1)} s${apply.ok ? "" : ` and FAILED: ${apply.error}`}`,
      );
      if (apply.ok) {
        say("running the suite on the result");
        // copy and clone are both disposable: install pgTAP for good where the server has it, so
        // parallel files do not queue on creating it inside each transaction (the runner does that
        // itself when the server lacks it: each file then says why)
        await withClient(config, session, (c) =>
          c.query("set client_min_messages = warning; create extension if not exists pgtap"),
        ).catch(() => undefined);
        const display = opts.from ? `rehearsal copy of ${source.display}` : source.display;
        const target = await migratedTarget(config, session, opts, display, facts);
        files = await runOnTarget(target, { files: tests, jobs });
        timings.suiteMs = Math.round(target.timings.runMs ?? 0);
        report = buildReport({
          verdict: score(files),
          files,
          environment: target.environment,
          startedAt: started,
          finishedAt: new Date(),
          jobs,
          timings: { runMs: timings.suiteMs, totalMs: Math.round(performance.now() - t0) },
          provenance: await collectProvenance(),
        });
      }
    }
    const suite = report
      ? { decision: report.decision, score: report.score, reasons: report.reasons }
      : undefined;
    const { decision, reasons } = decideRehearsal({ precheck, apply, suite, budgets });
    timings.totalMs = Math.round(performance.now() - t0);
    if (copy) timings.copyMs = copy.totalMs;
    const rehearsal: Rehearsal = {
      tool: "gonogo",
      kind: "rehearsal",
      migration: MIGRATION,
      decision,
      exitCode: exitCodeOf(decision),
      reasons,
      mode: opts.from ? "copy" : "target",
      source: {
        target: source.display,
        serverVersion: facts.serverVersion,
        sizeBytes: facts.sizeBytes,
        rows,
      },
      copy,
      precheck,
      apply,
      budgets,
      suite,
      timings,
    };
    writeOutputs(rehearsal, report, files, { ...opts, format: format.name }, stdout);
    return { rehearsal, report, exitCode: rehearsal.exitCode };
  } finally {
    if (cluster) await stopCluster(cluster);
    if (removeDump) {
      process.removeListener("exit", removeDump);
      removeDump();
    }
  }
}

function tester(opts: RehearseOptions): string {
  if (opts.tester) return opts.tester;
  if (process.env.GONOGO_TESTER) return process.env.GONOGO_TESTER;
  try {
    return `${userInfo().username} (via gonogo)`;
  } catch {
    return "gonogo";
  }
}

function writeOutputs(
  r: Rehearsal,
  report: VerdictReport | undefined,
  files: readonly FileResult[],
  opts: RehearseOptions,
  stdout: NodeJS.WritableStream,
): void {
  const ctx = { color: opts.color ?? false, tester: tester(opts) };
  const format = opts.format ?? "console";
  if (format === "json") stdout.write(renderRehearsalJson(r));
  else if (format === "console") {
    stdout.write(report ? formatByName("console").render(report, files, ctx) : renderPrecheck(r.precheck));
    stdout.write(renderDeployment(r));
  } else if (report) stdout.write(formatByName(format).render(report, files, ctx));
  if (!opts.reportDir) return;
  const dir = opts.reportDir;
  writeFileSync(join(dir, "rehearsal.json"), renderRehearsalJson(r));
  if (report) {
    writeReports(dir, report, files, ctx);
    appendFileSync(join(dir, "declaration.md"), renderDeploymentMarkdown(r));
  } else {
    writeFileSync(
      join(dir, "declaration.md"),
      `# Rehearsal of migration ${MIGRATION}\n${renderDeploymentMarkdown(r)}`,
    );
  }
}

/** The migrated copy (a throwaway database: psql semantics) or clone (left as the suite found it). */
async function migratedTarget(
  config: pg.ClientConfig,
  session: SessionSettings,
  opts: RehearseOptions,
  display: string,
  facts: SourceFacts,
): Promise<SuiteTarget> {
  const pgtap = await withClient(config, session, async (c) => {
    const { rows } = await c.query("select exists (select from pg_extension where extname = 'pgtap') as x");
    return rows[0]?.x as boolean;
  });
  return {
    environment: {
      mode: "url",
      target: display,
      workspace: opts.workspace,
      serverVersion: facts.serverVersion,
      migrated: true,
    },
    mode: opts.from ? "cluster" : "url",
    createPgtap: !pgtap,
    timings: {},
    connect: () => connect(config, session, opts.workspace),
    release: async () => undefined,
  };
}
