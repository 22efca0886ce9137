// `gonogo verify`: prepare (throwaway cluster) or reach (URL) the database, run the pgTAP suite,
// score it and report. Returns the outcome; the CLI turns it into output and an exit status.
import { accessSync, constants, existsSync, mkdirSync, writeFileSync } from "node:fs";
import { availableParallelism, userInfo } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { performance } from "node:perf_hooks";
import type pg from "pg";
import { applyMigrations } from "../apply.js";
import { checkForFile } from "../checks.js";
import { clusterConnection, stopCluster } from "../cluster.js";
import { connect, DEFAULT_SESSION, type SessionSettings, type Target, targetFromUrl } from "../connection.js";
import { GonogoError } from "../errors.js";
import { renderConsole } from "../report/console.js";
import { renderDeclaration } from "../report/declaration.js";
import { buildReport, type Environment, renderJson, type VerdictReport } from "../report/json.js";
import { renderJunit } from "../report/junit.js";
import { renderTap } from "../report/tap.js";
import { runSuite } from "../runner.js";
import { score } from "../score.js";
import { DEFAULT_BASELINE, listSql, ROOT } from "../sql-files.js";
import { BASELINE_TABLES, MIGRATION_TABLES } from "../tables.js";
import type { FileResult } from "../tap.js";
import { DATABASE, keepCluster, STATE_FILE, startThrowaway } from "./cluster.js";

export type Format = "console" | "tap" | "json";

export interface VerifyOptions {
  /** A database to verify and leave as found; undefined = throwaway local cluster. */
  databaseUrl?: string;
  baseline?: string;
  jobs?: number;
  workspace?: string;
  reportDir?: string;
  format?: Format;
  /** Keep the throwaway cluster running and print its URL. */
  keep?: boolean;
  /** URL mode: apply migrations first (the only thing verify ever commits). */
  migrate?: boolean;
  /** Directory of *.test.sql files (default db/tests). */
  tests?: string;
  session?: SessionSettings;
  /** Throwaway cluster listens on 127.0.0.1 too. */
  tcp?: boolean;
  /** Name for the declaration's Tester line (default GONOGO_TESTER, then the OS user). */
  tester?: string;
  color?: boolean;
  /** `tty`: a live line on stderr; `lines`: one line per file (CI); `none`. */
  progress?: "tty" | "lines" | "none";
  stdout?: NodeJS.WritableStream;
  stderr?: NodeJS.WritableStream;
}

export interface VerifyOutcome {
  report: VerdictReport;
  files: FileResult[];
  exitCode: number;
  /** The kept cluster's DATABASE_URL (--keep). */
  keptUrl?: string;
}

/** Test files under dir (relative to the root), each mapped to a check by its folder. */
export function discoverTests(dir: string): string[] {
  const abs = resolve(ROOT, dir);
  const files = listSql(abs, ".test.sql");
  if (files.length === 0) {
    throw new GonogoError(
      `no *.test.sql files under ${relative(ROOT, abs) || "."}`,
      "check --tests or the checkout",
    );
  }
  const unmapped = files.filter((f) => !checkForFile(f));
  if (unmapped.length > 0) {
    throw new GonogoError(
      `test file ${unmapped[0]} is in a folder that names no check`,
      "put each test file under a folder named for its check: s0_, c1_..c6_, i1_..i3_, inv1_, inv2_, e1_..e3_",
    );
  }
  return files;
}

export interface Preflight {
  serverVersion: string;
  major: number;
  pgtapInstalled: boolean;
  pgtapAvailable: boolean;
  migrated: boolean;
  missingTables: string[];
  missingPrivileges: string[];
  superuser: boolean;
  tempOk: boolean;
  appRoleOk: boolean;
  role: string;
  readOnly: boolean;
  inRecovery: boolean;
}

async function preflight(client: pg.Client): Promise<Preflight> {
  const { rows } = await client.query(
    `select
      current_setting('server_version') as server_version,
      current_setting('server_version_num')::int / 10000 as major,
      exists (select from pg_extension where extname = 'pgtap') as pgtap_installed,
      exists (select from pg_available_extensions where name = 'pgtap') as pgtap_available,
      array(select t from unnest($1::text[]) t where to_regclass('public.' || t) is null) as missing_tables,
      array(select t || ': ' || p from unnest($2::text[]) t, unnest(array['SELECT','INSERT','UPDATE','DELETE','TRUNCATE']) p
             where to_regclass('public.' || t) is not null
               and not has_table_privilege(('public.' || t)::regclass, p)) as missing_privileges,
      (select rolsuper from pg_roles where rolname = current_user) as superuser,
      has_database_privilege(current_database(), 'TEMP') as temp_ok,
      (not exists (select from pg_roles where rolname = 'apms_app')
        or pg_has_role('apms_app', 'MEMBER')) as app_role_ok,
      current_user as role,
      current_setting('default_transaction_read_only') = 'on' as read_only,
      pg_is_in_recovery() as in_recovery`,
    [MIGRATION_TABLES, [...BASELINE_TABLES, ...MIGRATION_TABLES]],
  );
  const r = rows[0];
  return {
    serverVersion: r.server_version,
    major: r.major,
    pgtapInstalled: r.pgtap_installed,
    pgtapAvailable: r.pgtap_available,
    migrated: r.missing_tables.length === 0,
    missingTables: r.missing_tables,
    missingPrivileges: r.superuser ? [] : r.missing_privileges,
    superuser: r.superuser,
    tempOk: r.superuser || r.temp_ok,
    appRoleOk: r.superuser || r.app_role_ok,
    role: r.role,
    readOnly: r.read_only,
    inRecovery: r.in_recovery,
  };
}

export function assertUsable(p: Preflight, target: Target, migrate: boolean): void {
  if (p.inRecovery) {
    throw new GonogoError(
      `${target.display} is a read-only standby (pg_is_in_recovery)`,
      "point --database-url at the primary: the suite writes inside transactions it rolls back",
    );
  }
  if (p.readOnly) {
    throw new GonogoError(
      `${target.display} is read-only (default_transaction_read_only = on)`,
      "use a role or database where writes are allowed: the suite writes inside transactions it rolls back",
    );
  }
  if (!p.pgtapInstalled && !p.pgtapAvailable) {
    throw new GonogoError(
      `pgTAP is not available on ${target.display} (PostgreSQL ${p.serverVersion}: no pgtap in pg_available_extensions)`,
      `install the package postgresql-${p.major}-pgtap on the database server (apt-get install postgresql-${p.major}-pgtap); gonogo creates the extension only inside transactions it rolls back`,
    );
  }
  if (!p.migrated && !migrate) {
    const n = p.missingTables.length;
    const partly = n < MIGRATION_TABLES.length;
    throw new GonogoError(
      `${target.display} is ${partly ? "only partly" : "not"} migrated: ${n} of the migration's ${MIGRATION_TABLES.length} tables missing (${p.missingTables.slice(0, 3).join(", ")}${n > 3 ? ", ..." : ""})`,
      partly
        ? "finish or roll back the interrupted migration, then `gonogo migrate --database-url URL` (or --migrate)"
        : "apply the migration first: `gonogo migrate --database-url URL`, or add --migrate",
    );
  }
  if (!p.superuser && !p.pgtapInstalled) {
    throw new GonogoError(
      `role ${p.role} cannot create pgTAP on ${target.display} (permission: creating an untrusted extension needs a superuser)`,
      "run as a superuser, or have one run `create extension pgtap` once",
    );
  }
  const missing = [
    ...p.missingPrivileges,
    ...(p.tempOk ? [] : ["TEMP on the database"]),
    ...(p.appRoleOk ? [] : ["membership in apms_app"]),
  ];
  if (missing.length > 0) {
    throw new GonogoError(
      `role ${p.role} lacks privileges the suite needs on ${target.display} (${missing.length}: ${missing.slice(0, 3).join(", ")}${missing.length > 3 ? ", ..." : ""})`,
      "run as the schema owner or a superuser: the suite writes, and rolls back, in every table",
    );
  }
}

class Progress {
  private done = 0;
  constructor(
    private readonly mode: "tty" | "lines" | "none",
    private readonly err: NodeJS.WritableStream,
    private readonly total: number,
  ) {}
  file(r: FileResult): void {
    this.done++;
    if (this.mode === "tty") {
      this.err.write(`\r\u001b[K  [${this.done}/${this.total}] ${r.ok ? "ok" : "FAIL"} ${r.path}`);
    } else if (this.mode === "lines") {
      const t = r.tests;
      this.err.write(
        `${r.ok ? "ok  " : "FAIL"} ${r.check ?? "?"} ${r.path} (${t.passed}/${t.planned}, ${Math.round(r.durationMs)} ms)\n`,
      );
    }
  }
  phase(text: string): void {
    if (this.mode === "tty") this.err.write(`\r\u001b[K  ${text}`);
  }
  end(): void {
    if (this.mode === "tty") this.err.write("\r\u001b[K");
  }
}

export async function verify(opts: VerifyOptions = {}): Promise<VerifyOutcome> {
  const started = new Date();
  const t0 = performance.now();
  const stdout = opts.stdout ?? process.stdout;
  const stderr = opts.stderr ?? process.stderr;
  const session = opts.session ?? DEFAULT_SESSION;
  const jobs = opts.jobs ?? availableParallelism();
  if (!Number.isInteger(jobs) || jobs < 1)
    throw new GonogoError(`--jobs ${jobs} is not a positive integer`, "use --jobs N with N >= 1");
  const files = discoverTests(opts.tests ?? join("db", "tests"));
  if (opts.reportDir) assertWritable(opts.reportDir);
  const progress = new Progress(opts.progress ?? "none", stderr, files.length);
  const timings: Record<string, number> = {};
  let environment: Environment;
  let results: FileResult[];
  let keptUrl: string | undefined;

  if (opts.databaseUrl === undefined) {
    const baseline = opts.baseline ?? DEFAULT_BASELINE;
    progress.phase(`starting a throwaway cluster (baseline ${baseline})`);
    const tw = await startThrowaway({ baseline, tcp: opts.tcp });
    Object.assign(timings, tw.timings);
    environment = {
      mode: "cluster",
      target: `local throwaway cluster/${DATABASE}`,
      baseline,
      workspace: opts.workspace,
    };
    try {
      const t1 = performance.now();
      results = await runSuite({
        files,
        root: ROOT,
        jobs,
        mode: "cluster",
        connect: () => connect(clusterConnection(tw.cluster, DATABASE), session, opts.workspace),
        onFileDone: (r) => progress.file(r),
      });
      timings.runMs = performance.now() - t1;
    } finally {
      const t2 = performance.now();
      if (opts.keep) {
        keepCluster(tw);
        keptUrl = tw.url;
      } else await stopCluster(tw.cluster);
      timings.stopMs = performance.now() - t2;
    }
  } else {
    const target = targetFromUrl(opts.databaseUrl);
    const t1 = performance.now();
    const probe = await connect(target.config, session, opts.workspace);
    let pf: Preflight;
    try {
      pf = await preflight(probe);
      assertUsable(pf, target, !!opts.migrate);
      if (opts.migrate) {
        progress.phase("applying migrations");
        await applyMigrations(probe, { log: (l) => stderr.write(`${l}\n`) });
        pf = await preflight(probe);
      }
    } finally {
      await probe.end().catch(() => undefined);
    }
    timings.connectMs = performance.now() - t1;
    environment = {
      mode: "url",
      target: target.display,
      workspace: opts.workspace,
      serverVersion: pf.serverVersion,
      migrated: !!opts.migrate,
    };
    const t2 = performance.now();
    results = await runSuite({
      files,
      root: ROOT,
      jobs,
      mode: "url",
      createPgtap: !pf.pgtapInstalled,
      connect: () => connect(target.config, session, opts.workspace),
      onFileDone: (r) => progress.file(r),
    });
    timings.runMs = performance.now() - t2;
  }
  progress.end();

  const verdict = score(results);
  timings.totalMs = performance.now() - t0;
  for (const k of Object.keys(timings)) timings[k] = Math.round(timings[k] ?? 0);
  const report = buildReport({
    verdict,
    files: results,
    environment,
    startedAt: started,
    finishedAt: new Date(),
    jobs,
    timings,
  });

  const format = opts.format ?? "console";
  if (format === "json") stdout.write(renderJson(report));
  else if (format === "tap") stdout.write(renderTap(report, results));
  else stdout.write(renderConsole(report, { color: opts.color ?? false }));

  if (opts.reportDir) writeReports(opts.reportDir, report, results, opts.tester ?? defaultTester());
  if (keptUrl) {
    stderr.write(
      `kept the cluster (${STATE_FILE}); stop it with \`gonogo cluster down\`\nDATABASE_URL=${keptUrl}\n`,
    );
  }
  return { report, files: results, exitCode: report.exitCode, keptUrl };
}

/** Fail before anything runs when the reports could not be written afterwards. */
export function assertWritable(dir: string): void {
  try {
    mkdirs(dir);
    accessSync(dir, constants.W_OK);
  } catch (e) {
    throw new GonogoError(
      `cannot write reports to ${dir}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
      "choose a writable --report-dir",
    );
  }
}

/** mkdir -p one level at a time (Node's recursive mkdir can spin forever on /proc). */
function mkdirs(dir: string): void {
  const abs = resolve(dir);
  if (existsSync(abs)) return;
  const parent = dirname(abs);
  if (parent !== abs) mkdirs(parent);
  mkdirSync(abs);
}

function defaultTester(): string {
  if (process.env.GONOGO_TESTER) return process.env.GONOGO_TESTER;
  try {
    return `${userInfo().username} (via gonogo)`;
  } catch {
    return "gonogo";
  }
}

/** verdict.json, junit.xml, results.tap, declaration.md. */
export function writeReports(
  dir: string,
  report: VerdictReport,
  files: readonly FileResult[],
  tester: string,
): void {
  mkdirs(dir);
  writeFileSync(join(dir, "verdict.json"), renderJson(report));
  writeFileSync(join(dir, "junit.xml"), renderJunit(report, files));
  writeFileSync(join(dir, "results.tap"), renderTap(report, files));
  writeFileSync(join(dir, "declaration.md"), renderDeclaration(report, { tester }));
}
