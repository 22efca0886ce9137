// Runs the pgTAP suite's files the way users do (real psql, real pg_prove) and reads the TAP with
// tap-parser, for the integration tests of db/tests.
import { execa } from "execa";
import { type FinalResults, Parser } from "tap-parser";
import { ROOT, testFiles } from "../../orchestrator/apply/sql-files.js";
import { CHECKS as ALL_CHECKS, checkForFile } from "../../orchestrator/suite/checks.js";
import { parseFileTap } from "../../orchestrator/suite/tap-results.js";

export interface FileRun {
  file: string;
  exitCode: number;
  stdout: string;
  stderr: string;
  tap: FinalResults;
  /** Ran to a complete plan, every assertion ok, no skip or todo, exit status 0. */
  passed: boolean;
  /** `# section0.<key>: <value>` diagnostics. */
  section0: Record<string, string>;
}

/** The check a file proves, lower-cased (s0, c1, inv1, ...): the orchestrator's own mapping. */
export function checkOf(file: string): string {
  return checkForFile(file)?.id.toLowerCase() ?? "";
}

export const CHECKS = ALL_CHECKS.map((c) => c.id.toLowerCase());

export function filesOf(check: string): string[] {
  return testFiles().filter((f) => checkOf(f) === check);
}

export function parseTap(text: string): FinalResults {
  let final: FinalResults | undefined;
  const p = new Parser((r) => {
    final = r;
  });
  p.end(text);
  if (!final) throw new Error("tap-parser produced no result");
  return final;
}

export function section0Of(text: string): Record<string, string> {
  return parseFileTap("section0", text).section0;
}

/** `psql -X -v ON_ERROR_STOP=1 -f FILE`, exactly as a psql user runs one file. */
export async function runPsql(url: string, file: string, env: Record<string, string> = {}): Promise<FileRun> {
  const r = await execa("psql", ["-X", "-v", "ON_ERROR_STOP=1", "-d", url, "-f", file], {
    cwd: ROOT,
    reject: false,
    env: { PGOPTIONS: "", ...env },
  });
  const tap = parseTap(r.stdout);
  const exitCode = r.exitCode ?? -1;
  const passed =
    exitCode === 0 &&
    tap.ok &&
    tap.count > 0 &&
    tap.count === tap.plan.end &&
    tap.skip === 0 &&
    tap.todo === 0;
  return { file, exitCode, stdout: r.stdout, stderr: r.stderr, tap, passed, section0: section0Of(r.stdout) };
}

export async function runFiles(url: string, files: string[], concurrency = 2): Promise<FileRun[]> {
  const out: FileRun[] = new Array(files.length);
  let next = 0;
  const worker = async () => {
    while (next < files.length) {
      const i = next++;
      const file = files[i];
      if (file !== undefined) out[i] = await runPsql(url, file);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, files.length) }, worker));
  return out;
}

/** A readable account of the files that did not pass, for assertion messages. */
export function explain(runs: FileRun[]): string {
  return runs
    .filter((r) => !r.passed)
    .map((r) => {
      const fails = r.tap.failures.map((f) => `  not ok ${f.id ?? ""} - ${f.name}`).join("\n");
      return `${r.file} (exit ${r.exitCode}, ${r.tap.pass}/${r.tap.plan.end ?? "?"} ok)\n${fails}\n${r.stderr.trim()}`;
    })
    .join("\n");
}

/**
 * `pg_prove -d NAME -r db/tests` from the repository root (its .proverc picks *.test.sql). The host,
 * port and user go through libpq's PG* variables: pg_prove splits a URI's query parameters off.
 */
export async function runProve(
  conn: { host: string; port: number; user: string; database: string },
  args: string[] = [],
) {
  const started = Date.now();
  const r = await execa("pg_prove", ["-d", conn.database, ...args, "-r", "db/tests"], {
    cwd: ROOT,
    reject: false,
    env: { PGHOST: conn.host, PGPORT: String(conn.port), PGUSER: conn.user },
  });
  return { exitCode: r.exitCode ?? -1, stdout: r.stdout, stderr: r.stderr, ms: Date.now() - started };
}
