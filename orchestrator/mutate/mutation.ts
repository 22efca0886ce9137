// The engine of `gonogo mutate` (commands/mutate.ts declares its options): mutation testing of
// the pgTAP suite. Finds every guarantee the migration and db/functions add (catalog of a prepared database minus that of a baseline-only one), removes or
// weakens each in its own clone of the migrated database, runs the suite there and reports the
// mutants that still get GO. On a throwaway cluster, or on the server of --database-url (clones of
// that database; the database itself is never changed).
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join, relative } from "node:path";
import { performance } from "node:perf_hooks";
import type pg from "pg";
import { applyFile, prepareDatabase } from "../apply/applier.js";
import { baselineFile, DEFAULT_BASELINE, ROOT } from "../apply/sql-files.js";
import { clusterConnection, stopCluster } from "../cluster/server.js";
import { checkBaseline, startThrowaway } from "../cluster/throwaway.js";
import { GonogoError } from "../program/errors.js";
import { Progress } from "../report/progress.js";
import { assertReportDir } from "../report/report-dir.js";
import { discoverTests, sessionHelpersIn } from "../suite/runner.js";
import {
  connect,
  DEFAULT_SESSION,
  type SessionSettings,
  targetFromUrl,
  urlForDatabase,
} from "../target/connection.js";
import { type AllowEntry, AllowlistError, judgeAllowlist, parseAllowlist, proofTrials } from "./allowlist.js";
import { addedObjects, type Snapshot } from "./catalog.js";
import { type Generated, generateMutants, type Mutant } from "./generate.js";
import {
  buildMutationReport,
  type MutationReport,
  mutantResults,
  renderMutationConsole,
  renderMutationJson,
} from "./mutation-report.js";
import { readSnapshot } from "./snapshot.js";
import {
  onAdmin,
  quote,
  runTrial,
  runTrials,
  type Server,
  type TrialOptions,
  type TrialOutcome,
} from "./trials.js";

export const ALLOWLIST = join("db", "tests", "mutation-allowlist.json");

export interface MutateOptions {
  /** A migrated database whose server lets us create databases; undefined = throwaway cluster. */
  databaseUrl?: string;
  /** Baseline the migration was applied to (throwaway: loaded; URL: default detected). */
  baseline?: string;
  /** Clones worked on side by side (default: number of cores). */
  jobs?: number;
  /** Suite connections per clone (default 1). */
  suiteJobs?: number;
  reportDir?: string;
  allowlist?: string;
  /** Run the whole suite on every mutant (every failing check recorded), not only up to the first failure. */
  fullSuite?: boolean;
  /** Only mutants whose id contains one of these comma-separated texts (a quick look at a few). */
  only?: string;
  /** URL mode: also run cluster-wide mutants (role attributes) on that server. */
  clusterWide?: boolean;
  session?: SessionSettings;
  progress?: boolean;
  stdout?: NodeJS.WritableStream;
  stderr?: NodeJS.WritableStream;
}

export interface MutateOutcome {
  report: MutationReport;
  exitCode: number;
}

/** The allowlist entries (an absent file is an empty list); a malformed file stops the run. */
export function loadAllowlist(path: string): AllowEntry[] {
  if (!existsSync(path)) return [];
  try {
    return parseAllowlist(readFileSync(path, "utf8"), relative(ROOT, path) || path);
  } catch (e) {
    if (e instanceof AllowlistError) throw new GonogoError(e.message, `fix ${relative(ROOT, path)}`);
    throw e;
  }
}

/** Catalog of a database opened by config. */
async function snapshotOf(config: pg.ClientConfig, session: SessionSettings): Promise<Snapshot> {
  const c = await connect(config, session);
  try {
    return await readSnapshot(c);
  } finally {
    await c.end().catch(() => undefined);
  }
}

/** A database holding the baseline alone (plus pgTAP when the server has it, as the template does). */
async function createBaselineDatabase(
  server: Server,
  name: string,
  baseline: string,
  session: SessionSettings,
) {
  await onAdmin(server, (a) => a.query(`create database ${quote(name)}`));
  const c = await connect(server.database(name), session);
  try {
    await c.query("set client_min_messages = warning");
    await applyFile(c, baselineFile(baseline));
    const { rows } = await c.query(
      "select exists (select from pg_available_extensions where name = 'pgtap') as ok",
    );
    if (rows[0].ok) await c.query("create extension if not exists pgtap");
  } finally {
    await c.end().catch(() => undefined);
  }
}

async function dropDatabase(server: Server, name: string): Promise<void> {
  await onAdmin(server, (a) => a.query(`drop database if exists ${quote(name)} with (force)`)).catch(
    () => undefined,
  );
}

/** One finished trial as its progress line: status, id, why, its seconds and the time left. */
export function trialLine(o: TrialOutcome, done: number, total: number, elapsedS: number): string {
  const eta = Math.round((elapsedS / done) * (total - done));
  const why = o.status === "killed" ? ` (${o.failedChecks.join(", ")})` : o.error ? ` (${o.error})` : "";
  return `[${done}/${total}] ${o.status.padEnd(8)} ${o.id}${why} ${(o.durationMs / 1000).toFixed(1)} s, ETA ${Math.floor(eta / 60)}m${String(eta % 60).padStart(2, "0")}s`;
}

interface Prepared {
  server: Server;
  template: string;
  /** Catalog objects the migration and db/functions added. */
  added: ReturnType<typeof addedObjects>;
  /** The whole prepared catalog, baseline objects included: what an allowlist entry may name as cover. */
  prepared: Snapshot;
  createPgtap: boolean;
  target: string;
  baseline: string;
  cleanup: () => Promise<void>;
}

/** Throwaway: a cluster prepared as verify prepares it, plus a baseline-only database beside it. */
async function prepareThrowaway(baseline: string, session: SessionSettings): Promise<Prepared> {
  checkBaseline(baseline);
  const tw = await startThrowaway({ baseline });
  const server: Server = {
    admin: () => connect(clusterConnection(tw.cluster, "template1"), session),
    database: (name) => clusterConnection(tw.cluster, name),
  };
  try {
    const base = "gonogo_baseline_only";
    await createBaselineDatabase(server, base, baseline, session);
    const prepared = await snapshotOf(server.database(tw.database), session);
    const added = addedObjects(await snapshotOf(server.database(base), session), prepared);
    await dropDatabase(server, base);
    return {
      server,
      template: tw.database,
      added,
      prepared,
      createPgtap: false,
      target: "local throwaway cluster",
      baseline,
      cleanup: () => stopCluster(tw.cluster),
    };
  } catch (e) {
    await stopCluster(tw.cluster);
    throw e;
  }
}

/** The baseline a migrated database came from: config_versions.id's type names it (uuid, text). */
async function detectBaseline(config: pg.ClientConfig, session: SessionSettings): Promise<string> {
  const c = await connect(config, session);
  try {
    const { rows } = await c.query(
      `select format_type(atttypid, atttypmod) as t from pg_attribute
       where attrelid = to_regclass('public.config_versions') and attname = 'id' and not attisdropped`,
    );
    const t = rows[0]?.t as string | undefined;
    if (!t) {
      throw new GonogoError(
        "the database has no public.config_versions: it is not migrated",
        "apply the migration first (`gonogo migrate --database-url URL`)",
      );
    }
    return t === "uuid" ? "uuid" : "text";
  } finally {
    await c.end().catch(() => undefined);
  }
}

/** URL: clones of that database; the catalog diff from a baseline-only and a prepared database. */
async function prepareUrl(
  url: string,
  baselineOpt: string | undefined,
  session: SessionSettings,
): Promise<Prepared> {
  const target = targetFromUrl(url);
  const server: Server = {
    admin: async () => {
      try {
        return await connect({ connectionString: urlForDatabase(url, "postgres") }, session);
      } catch {
        return await connect({ connectionString: urlForDatabase(url, "template1") }, session);
      }
    },
    database: (name) => ({ connectionString: urlForDatabase(url, name) }),
  };
  const baseline = baselineOpt ?? (await detectBaseline(target.config, session));
  checkBaseline(baseline);
  const probe = await connect(target.config, session);
  let createPgtap: boolean;
  let mayCreate: boolean;
  try {
    const { rows } = await probe.query(
      `select exists (select from pg_extension where extname = 'pgtap') as pgtap,
        (select rolsuper or rolcreatedb from pg_roles where rolname = current_user) as may_create`,
    );
    createPgtap = !rows[0].pgtap;
    mayCreate = rows[0].may_create;
  } finally {
    await probe.end().catch(() => undefined);
  }
  if (!mayCreate) {
    throw new GonogoError(
      `role ${target.user} may not create databases on ${target.display}`,
      "use a role with CREATEDB (mutants run in clones of the database, never in it)",
    );
  }
  const tag = `${process.pid}`;
  const base = `gonogo_mutate_base_${tag}`;
  const ref = `gonogo_mutate_ref_${tag}`;
  try {
    await createBaselineDatabase(server, base, baseline, session);
    await onAdmin(server, (a) => a.query(`create database ${quote(ref)}`));
    const c = await connect(server.database(ref), session);
    try {
      const { rows } = await c.query(
        "select exists (select from pg_available_extensions where name = 'pgtap') as ok",
      );
      await prepareDatabase(c, { baseline, pgtap: rows[0].ok, fixtures: false });
    } finally {
      await c.end().catch(() => undefined);
    }
    const prepared = await snapshotOf(server.database(ref), session);
    const added = addedObjects(await snapshotOf(server.database(base), session), prepared);
    return {
      server,
      template: target.database,
      added,
      prepared,
      createPgtap,
      target: target.display,
      baseline,
      cleanup: async () => undefined,
    };
  } finally {
    await dropDatabase(server, base);
    await dropDatabase(server, ref);
  }
}

/** A clone the template refuses (other sessions on it) becomes a one-line reason and fix. */
function explainCloneFailure(e: unknown, template: string): never {
  const err = e as { code?: string; message?: string };
  if (err.code === "55006") {
    throw new GonogoError(
      `cannot clone ${template}: ${err.message}`,
      "CREATE DATABASE ... TEMPLATE needs the database without other sessions: use a quiet copy, or the throwaway cluster (no --database-url)",
    );
  }
  if (err.code === "42501") {
    throw new GonogoError(`cannot create a clone of ${template}: ${err.message}`, "use a role with CREATEDB");
  }
  throw e;
}

/** `--only a,b`: the ids containing any of the comma-separated texts (all without --only). */
export function selected(id: string, only: string | undefined): boolean {
  return !only || only.split(",").some((part) => part.trim() !== "" && id.includes(part.trim()));
}

/** Median clone / suite / drop time of one trial: where a mutant's seconds go. */
export function medianPhases(outcomes: readonly TrialOutcome[]): Record<string, number> {
  const median = (xs: number[]) => {
    const v = [...xs].sort((a, b) => a - b);
    return v.length === 0 ? 0 : (v[Math.floor((v.length - 1) / 2)] ?? 0);
  };
  return {
    medianCloneMs: median(outcomes.map((o) => o.phases.cloneMs)),
    medianSuiteMs: median(outcomes.map((o) => o.phases.suiteMs)),
    medianDropMs: median(outcomes.map((o) => o.phases.dropMs)),
  };
}

export async function mutate(opts: MutateOptions = {}): Promise<MutateOutcome> {
  const t0 = performance.now();
  const stdout = opts.stdout ?? process.stdout;
  const stderr = opts.stderr ?? process.stderr;
  const session = opts.session ?? DEFAULT_SESSION;
  const jobs = opts.jobs ?? availableParallelism();
  const suiteJobs = opts.suiteJobs ?? 1;
  const allowlistPath = opts.allowlist ?? join(ROOT, ALLOWLIST);
  const entries = loadAllowlist(allowlistPath);
  const inScope = entries.filter((e) => selected(e.mutant, opts.only));
  if (opts.reportDir) assertReportDir(opts.reportDir);
  const progress = new Progress((opts.progress ?? true) ? "lines" : "none", stderr);
  const say = (text: string) => progress.line(`mutate: ${text}`);
  const timings: Record<string, number> = {};

  say(opts.databaseUrl ? "reading the catalogs on the server" : "starting a throwaway cluster");
  const p = opts.databaseUrl
    ? await prepareUrl(opts.databaseUrl, opts.baseline, session)
    : await prepareThrowaway(opts.baseline ?? DEFAULT_BASELINE, session);
  timings.prepareMs = performance.now() - t0;

  let generated: Generated;
  let coverable: Mutant[];
  let outcomes: Map<string, TrialOutcome>;
  try {
    generated = generateMutants(p.added);
    // every guarantee of the prepared schema, the baseline's too: what an allowlist entry may name as cover
    coverable = generateMutants(p.prepared).mutants;
    const wanted = generated.mutants.filter((m) => selected(m.id, opts.only));
    const skipped = new Set(
      opts.databaseUrl && !opts.clusterWide ? wanted.filter((m) => m.clusterWide).map((m) => m.id) : [],
    );
    if (skipped.size > 0) {
      say(
        `${skipped.size} cluster-wide mutant(s) not run against a URL (they change roles on the whole server); --cluster-wide runs them`,
      );
    }
    const toRun = wanted.filter((m) => !skipped.has(m.id));
    const noClusterWide = !!opts.databaseUrl && !opts.clusterWide;
    const proofs = proofTrials(inScope, generated.mutants, coverable).filter(
      (t) => !(noClusterWide && t.clusterWide),
    );
    const trialOpts: TrialOptions = {
      server: p.server,
      template: p.template,
      files: discoverTests(join("db", "tests"), ROOT),
      root: ROOT,
      sessionHelpers: sessionHelpersIn(join("db", "tests"), ROOT),
      session,
      jobs,
      suiteJobs,
      fullSuite: opts.fullSuite,
      createPgtap: p.createPgtap,
      onDone: (o, done, total) => progress.line(trialLine(o, done, total, (performance.now() - t0) / 1000)),
    };
    // The unmutated clone must be GO, or no mutant could tell anything.
    const t1 = performance.now();
    const control = await runTrial(
      { id: "(unmutated)", sql: "" },
      { ...trialOpts },
      `gonogo_m_control_${process.pid}`,
    ).catch((e) => explainCloneFailure(e, p.template));
    timings.controlMs = performance.now() - t1;
    if (control.status !== "survived") {
      throw new GonogoError(
        `the unmutated copy of ${p.template} is not GO (${control.decision ?? control.error}; failing: ${control.failedChecks.join(", ")})`,
        "run `gonogo verify` and fix the suite or the schema first: mutants are measured against a GO",
      );
    }
    say(
      `${toRun.length} mutants and ${proofs.length} allowlist proofs, ${jobs} clones at a time (${generated.unknown.length} objects of unknown kind)`,
    );
    const t2 = performance.now();
    const done = await runTrials(
      [
        ...toRun.map((m) => ({
          id: m.id,
          kind: m.kind,
          sql: m.sql,
          undo: m.undo,
          clusterWide: m.clusterWide,
        })),
        ...proofs,
      ],
      trialOpts,
    );
    timings.mutantsMs = performance.now() - t2;
    Object.assign(timings, medianPhases(done));
    outcomes = new Map(done.map((o) => [o.id, o]));
  } finally {
    await p.cleanup();
  }

  const only = generated.mutants.filter((m) => selected(m.id, opts.only));
  const judged = judgeAllowlist(inScope, generated.mutants, outcomes, coverable);
  timings.totalMs = performance.now() - t0;
  for (const k of Object.keys(timings)) timings[k] = Math.round(timings[k] ?? 0);
  const report = buildMutationReport({
    generated,
    results: mutantResults(only, outcomes, judged),
    allowlist: judged,
    environment: { target: p.target, baseline: p.baseline, jobs, suiteJobs },
    timings,
  });
  stdout.write(renderMutationConsole(report));
  if (opts.reportDir) writeFileSync(join(opts.reportDir, "mutation.json"), renderMutationJson(report));
  return { report, exitCode: report.exitCode };
}
