// Pure: one test file's TAP (as psql -tA prints pgTAP's output) -> a FileResult, read through
// tap-parser. pgTAP's `#` diagnostics are attached to the failed assertion they follow, and the
// Section 0 detections (`# section0.<key>: <value>`) are collected.
import { Parser, type Result } from "tap-parser";
import { checkForFile } from "./checks.js";
import { describeSqlError, type SqlErrorInfo } from "./sql-error.js";

export { describeSqlError, type SqlErrorInfo };

export interface Assertion {
  id: number;
  description: string;
  ok: boolean;
  skip: string | false;
  todo: string | false;
  diagnostics: string;
}

export interface Failure {
  file: string;
  /** Test number in the file; null for file-level problems (plan, error, bail out). */
  test: number | null;
  description: string;
  diagnostics: string;
}

export interface TestCounts {
  planned: number;
  passed: number;
  failed: number;
  skipped: number;
  todo: number;
}

export interface FileResult {
  path: string;
  /** Check id from the file's folder; undefined when the folder names no check. */
  check: string | undefined;
  tests: TestCounts & { run: number };
  assertions: Assertion[];
  /** Failed assertions, then file-level problems (short plan, SQL error, bail out, skip/todo). */
  failures: Failure[];
  bailout: string | false;
  error?: SqlErrorInfo;
  section0: Record<string, string>;
  /** Ran to a complete, correct plan with no failure, error, bail out, SKIP or TODO. */
  ok: boolean;
  durationMs: number;
  /** The file's TAP as produced, for results.tap and `--format tap`. */
  tap: string;
}

const SECTION0 = /^#\s*section0\.([A-Za-z0-9_]+):\s*(.*?)\s*$/;

function sqlErrorDiagnostics(e: SqlErrorInfo): string {
  return [
    describeSqlError(e),
    e.detail ? `detail: ${e.detail}` : "",
    e.hint ? `hint: ${e.hint}` : "",
    e.where ? `context: ${e.where}` : "",
  ]
    .filter(Boolean)
    .join("\n");
}

function stripHash(line: string): string {
  return line.replace(/\n$/, "").replace(/^# ?/, "");
}

export interface ParseOptions {
  /** The SQL error that stopped the file, if any (the runner's ON_ERROR_STOP). */
  error?: SqlErrorInfo;
  durationMs?: number;
}

/** Parse one file's TAP. Synchronous: tap-parser emits everything during end(). */
export function parseFileTap(path: string, tap: string, opts: ParseOptions = {}): FileResult {
  const parser = new Parser({ strict: false });
  const assertions: Assertion[] = [];
  const section0: Record<string, string> = {};
  let last: Assertion | undefined;
  let complete: Parser["results"] | undefined;

  parser.on("assert", (r: Result) => {
    last = {
      id: r.id,
      description: r.name,
      ok: r.ok,
      skip: r.skip === false ? false : String(r.skip || "skipped"),
      todo: r.todo === false ? false : String(r.todo || "todo"),
      diagnostics: "",
    };
    assertions.push(last);
  });
  parser.on("comment", (c: string) => {
    const m = SECTION0.exec(c.trim());
    if (m?.[1] !== undefined) section0[m[1]] = m[2] ?? "";
    // pgTAP prints a failure's details as comments right after the `not ok` line.
    if (last && !last.ok && !m && !/^# test count\(\d+\) != plan\(\d+\)/.test(c)) {
      last.diagnostics += `${last.diagnostics ? "\n" : ""}${stripHash(c)}`;
    }
  });
  parser.on("complete", (r) => {
    complete = r;
  });
  parser.end(tap.endsWith("\n") || tap === "" ? tap : `${tap}\n`);
  const results = complete ?? parser.results;
  if (!results) throw new Error(`tap-parser produced no result for ${path}`);

  const failures: Failure[] = [];
  for (const a of assertions) {
    if (!a.ok && a.todo === false) {
      failures.push({ file: path, test: a.id, description: a.description, diagnostics: a.diagnostics });
    }
  }
  // Parser-level failures that are not assertions we saw (duplicate ids, out of order, ...).
  for (const f of results.failures) {
    // A short plan is reported once, below, with the numbers.
    if (f.tapError && f.tapError !== "incorrect number of tests")
      failures.push({ file: path, test: f.id ?? null, description: f.tapError, diagnostics: "" });
  }

  const plan = results.plan;
  const hasPlan = plan.end !== null && plan.end !== undefined && plan.start !== null;
  const planned = hasPlan ? Math.max(0, (plan.end ?? 0) - (plan.start ?? 1) + 1) : 0;
  const run = assertions.length;
  const skipped = assertions.filter((a) => a.skip !== false).length;
  const todo = assertions.filter((a) => a.todo !== false).length;
  const failed = assertions.filter((a) => !a.ok && a.todo === false).length;
  const passed = assertions.filter((a) => a.ok && a.skip === false && a.todo === false).length;

  const problem = (description: string, diagnostics = "") =>
    failures.push({ file: path, test: null, description, diagnostics });
  if (opts.error) {
    const e = opts.error;
    const located = e.sqlstate !== undefined || e.file !== undefined;
    problem(
      e.sqlstate ? `SQL error ${e.sqlstate}: ${e.message}` : e.message,
      located ? sqlErrorDiagnostics(e) : "",
    );
  }
  if (results.bailout !== false) problem(`bailed out: ${String(results.bailout || "no reason given")}`);
  if (tap.trim() === "") problem("no TAP output");
  else if (!hasPlan)
    problem(run === 0 ? "no TAP output: no plan and no tests" : "no plan (select plan(N) missing)");
  else if (plan.skipAll) problem(`whole file skipped: ${plan.skipReason || "no reason given"}`);
  else if (run !== planned) problem(`planned ${planned} tests but ran ${run}`);
  if (skipped > 0) problem(`${skipped} test(s) skipped: SKIP is not evidence`);
  if (todo > 0) problem(`${todo} test(s) marked TODO: TODO is not evidence`);

  const ok =
    !opts.error &&
    results.bailout === false &&
    hasPlan &&
    !plan.skipAll &&
    planned > 0 &&
    run === planned &&
    failed === 0 &&
    skipped === 0 &&
    todo === 0 &&
    failures.length === 0;

  return {
    path,
    check: checkForFile(path)?.id,
    tests: { planned, run, passed, failed, skipped, todo },
    assertions,
    failures,
    bailout: results.bailout === false ? false : String(results.bailout || "bail out"),
    error: opts.error,
    section0,
    ok,
    durationMs: opts.durationMs ?? 0,
    tap,
  };
}
