// Where the suite runs. A target says how to open a configured connection, how pgTAP is made
// available, what the reports call the environment, and how it is released afterwards. verify
// has two (a throwaway local cluster, a database URL); every run goes through runOnTarget, so a
// new kind of target (a copied cluster, a template clone) is one more implementation here.
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import type pg from "pg";
import { applyMigrations } from "../apply/applier.js";
import { assertLedger, type LedgerReport, readPrismaLedger } from "../apply/prisma-ledger.js";
import { ROOT } from "../apply/sql-files.js";
import { keepThrowaway } from "../cluster/kept.js";
import { clusterConnection, stopCluster } from "../cluster/server.js";
import { startThrowaway, type Throwaway, type ThrowawayOptions } from "../cluster/throwaway.js";
import { MIGRATION } from "../migration.js";
import { serverVersion } from "../program/provenance.js";
import type { Environment } from "../report/json.js";
import { type RunOptions, runSuite, sessionHelpersIn } from "../suite/runner.js";
import type { FileResult } from "../suite/tap-results.js";
import { connect, type SessionSettings, targetFromUrl } from "./connection.js";
import { assertUsable, preflight } from "./refusals.js";

export interface SuiteTarget {
  environment: Environment;
  /** `cluster`: a throwaway database (psql semantics); `url`: every file rolled back. */
  mode: "cluster" | "url";
  /** Create pgTAP inside each file's rolled-back transaction (not installed on the target). */
  createPgtap: boolean;
  /** Prisma's ledger as found (URL targets). */
  ledger?: LedgerReport;
  /** Work on the target that completes alongside the suite (the environment's server version). */
  pending?: Promise<void>;
  /** Milliseconds spent reaching or preparing the target, by phase. */
  timings: Record<string, number>;
  /** How long a file that met lock contention or a timeout is retried (the session's budget). */
  retryBudgetMs?: number;
  connect(): Promise<pg.Client>;
  /** Stop what was started; with keep, leave it running and return its DATABASE_URL. */
  release(opts?: { keep?: boolean }): Promise<string | undefined>;
}

export interface TargetOptions {
  session: SessionSettings;
  workspace?: string;
  /** A line about a slow phase (progress). */
  onPhase?: (text: string) => void;
}

/** A local cluster started for this run, prepared from a baseline (or copied from the cache). */
export async function throwawayTarget(
  opts: TargetOptions & ThrowawayOptions & { started?: Promise<Throwaway> },
): Promise<SuiteTarget> {
  opts.onPhase?.(`starting a throwaway cluster (baseline ${opts.baseline})`);
  const tw = await (opts.started ?? startThrowaway(opts));
  const environment: Environment = {
    mode: "cluster",
    target: `local throwaway cluster/${tw.database}`,
    baseline: opts.baseline,
    workspace: opts.workspace,
    serverVersion: "",
    cache: tw.cache,
  };
  return {
    environment,
    // asked on a connection of its own while the suite runs
    pending: serverVersion(clusterConnection(tw.cluster, tw.database)).then((v) => {
      environment.serverVersion = v;
    }),
    mode: "cluster",
    createPgtap: false,
    timings: { ...tw.timings },
    retryBudgetMs: opts.session.retryBudgetMs,
    connect: () => connect(clusterConnection(tw.cluster, tw.database), opts.session, opts.workspace),
    async release({ keep = false } = {}) {
      if (!keep) {
        await stopCluster(tw.cluster);
        return undefined;
      }
      keepThrowaway(tw);
      return tw.url;
    },
  };
}

/** A database given by URL: checked first (preflight), optionally migrated, left as found. */
export async function urlTarget(
  opts: TargetOptions & {
    url: string;
    migrate?: boolean;
    allowLedgerMismatch?: boolean;
    log?: (line: string) => void;
  },
): Promise<SuiteTarget> {
  const target = targetFromUrl(opts.url);
  const t0 = performance.now();
  const probe = await connect(target.config, opts.session, opts.workspace);
  let pf: Awaited<ReturnType<typeof preflight>>;
  let ledger: LedgerReport;
  try {
    pf = await preflight(probe);
    assertUsable(pf, target, !!opts.migrate);
    ledger = assertLedger(await readPrismaLedger(probe, MIGRATION), !!opts.allowLedgerMismatch);
    if (opts.migrate) {
      opts.onPhase?.("applying migrations");
      await applyMigrations(probe, { log: opts.log });
      pf = await preflight(probe);
      ledger = assertLedger(await readPrismaLedger(probe, MIGRATION), !!opts.allowLedgerMismatch);
    }
  } finally {
    await probe.end().catch(() => undefined);
  }
  return {
    environment: {
      mode: "url",
      target: target.display,
      workspace: opts.workspace,
      serverVersion: pf.serverVersion,
      migrated: !!opts.migrate,
    },
    mode: "url",
    ledger,
    createPgtap: !pf.pgtapInstalled,
    timings: { connectMs: performance.now() - t0 },
    retryBudgetMs: opts.session.retryBudgetMs,
    connect: () => connect(target.config, opts.session, opts.workspace),
    release: async () => undefined,
  };
}

/** Run the suite on a target; the target's timings gain `runMs`. */
/**
 * Connections the suite can really use on a target. Where pgTAP is created inside each file's
 * transaction, a second session's CREATE EXTENSION waits for the first one's rollback (the unique
 * extension name), so files serialise anyway and only queue into lock timeouts: one connection.
 */
export function jobsFor(target: SuiteTarget, requested: number): number {
  return target.createPgtap ? 1 : requested;
}

export async function runOnTarget(
  target: SuiteTarget,
  opts: {
    files: readonly string[];
    /** Their directory (default db/tests): its session helpers are used on a throwaway cluster. */
    testsDir?: string;
    jobs: number;
    onFileDone?: (r: FileResult) => void;
    onRetry?: RunOptions["onRetry"];
  },
): Promise<FileResult[]> {
  const t0 = performance.now();
  target.pending?.catch(() => undefined); // awaited after the suite
  const results = await runSuite({
    files: opts.files,
    root: ROOT,
    jobs: opts.jobs,
    mode: target.mode,
    createPgtap: target.createPgtap,
    sessionHelpers:
      target.mode === "cluster" ? sessionHelpersIn(opts.testsDir ?? join("db", "tests"), ROOT) : undefined,
    reusePgtapTables: target.mode === "cluster",
    connect: () => target.connect(),
    onFileDone: opts.onFileDone,
    retryBudgetMs: target.retryBudgetMs,
    onRetry: opts.onRetry,
  });
  target.timings.runMs = performance.now() - t0;
  await target.pending;
  return results;
}
