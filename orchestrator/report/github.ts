// GitHub Actions: the verdict as a job summary (Markdown appended to $GITHUB_STEP_SUMMARY) and as
// workflow commands (`::error file=...,line=...` per failed assertion, `::warning` per HOLD reason)
// that put failures on the pull request's diff. The renderers are pure; `publishToGithub` at the
// bottom is the only I/O, called once by each command that reports a verdict.
import { appendFileSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "../apply/sql-files.js";
import type { Failure } from "../suite/tap-results.js";
import type { VerdictReport } from "./json.js";

const ICON = { GO: "🟢", HOLD: "🟡", "NO-GO": "🔴" } as const;
const MAX_FAILURES_PER_CHECK = 20;
const MAX_DIAGNOSTIC_LINES = 30;

/** A table cell: pipes escaped, one line. */
function cell(s: string): string {
  return s.replace(/\|/g, "\\|").replace(/\s*\n\s*/g, " ");
}

/** A fenced block whose fence cannot be closed by its content. */
function fenced(text: string): string[] {
  let fence = "```";
  while (text.includes(fence)) fence += "`";
  return [fence, text, fence];
}

function where(f: Failure): string {
  return f.file ? `\`${f.file}\`${f.test !== null ? ` #${f.test}` : ""}` : "";
}

/**
 * The job summary: decision, score, the checks table, reasons, failures with pgTAP's diagnostics,
 * then `extra` (another command's own section, e.g. rehearse's Deployment table) as given.
 */
export function renderStepSummary(report: VerdictReport, extra?: string): string {
  const t = report.totals;
  const env = report.environment;
  const target =
    env.mode === "cluster" ? `throwaway local cluster, baseline ${env.baseline ?? "?"}` : env.target;
  const out = [
    `## ${ICON[report.decision]} gonogo: ${report.decision}`,
    "",
    `Migration \`${report.migration}\` on ${cell(target)}: **${report.score.passed}/${report.score.total} checks** (${report.score.percent}%), ${t.passed}/${t.planned} pgTAP assertions passed in ${t.files} files.`,
    "",
    "| Status | Check | Title | Severity | Assertions |",
    "|---|---|---|---|---|",
    ...report.checks.map(
      (c) =>
        `| ${c.passed ? "✅ PASS" : "❌ FAIL"} | ${c.id} | ${cell(c.title)} | ${c.severity} | ${c.tests.passed}/${c.tests.planned} |`,
    ),
    "",
    "**Reasons**",
    "",
    ...report.reasons.map((r) => `- ${r}`),
  ];
  const failed = report.checks.filter((c) => !c.passed);
  if (failed.length > 0) out.push("", "### Failures");
  for (const c of failed) {
    out.push("", `#### ${c.id} ${c.title} (${c.severity})`, "");
    for (const f of c.failures.slice(0, MAX_FAILURES_PER_CHECK)) {
      const at = where(f);
      out.push(`- ${at ? `${at}: ` : ""}${cell(f.description)}`);
      if (!f.diagnostics) continue;
      const lines = f.diagnostics.split("\n");
      const shown = lines.slice(0, MAX_DIAGNOSTIC_LINES);
      if (lines.length > shown.length)
        shown.push(`... ${lines.length - shown.length} more lines in the reports`);
      out.push("", ...fenced(shown.join("\n")).map((l) => `  ${l}`));
    }
    if (c.failures.length > MAX_FAILURES_PER_CHECK) {
      out.push(`- ... ${c.failures.length - MAX_FAILURES_PER_CHECK} more failures in verdict.json`);
    }
  }
  if (extra?.trim()) out.push("", extra.trim());
  out.push("");
  return `${out.join("\n")}\n`;
}

/** Workflow command escaping (actions/toolkit's escapeData / escapeProperty). */
export function escapeData(s: string): string {
  return s.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}

function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, "%3A").replace(/,/g, "%2C");
}

/** 1-based line of each character offset's start. */
function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/** An SQL string literal as written in a test file: 'it''s'. */
function sqlLiteral(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

/** Top-level statements that start with `select` and are assertions (not plan/finish). */
const ASSERTION_LINE = /^select\s+(?!plan\s*\(|\*\s+from\s+finish\b|\*\s+from\s+plan\b)/i;

/**
 * The line of a failed assertion in its test file: where its description is written as a literal
 * (pgTAP descriptions are literal strings), else, when the file has exactly one top-level
 * `select <assertion>` per planned test, the position of test N among them; else the SQL error's
 * line for a file-level failure; else line 1.
 */
export function failureLine(source: string, failure: Failure, errorLine?: number): number {
  if (failure.test === null) return errorLine ?? 1;
  if (failure.description) {
    const at = source.indexOf(sqlLiteral(failure.description));
    if (at >= 0 && source.indexOf(sqlLiteral(failure.description), at + 1) < 0) return lineAt(source, at);
  }
  const lines = source.split("\n");
  const assertions = lines.flatMap((l, i) => (ASSERTION_LINE.test(l) ? [i + 1] : []));
  const plan = /\bplan\s*\(\s*(\d+)\s*\)/i.exec(source);
  if (plan && Number(plan[1]) === assertions.length) return assertions[failure.test - 1] ?? 1;
  return 1;
}

/**
 * `::error` per failure (file and line of the assertion, the check as title) and, when the
 * decision is HOLD, `::warning` per reason. `sourceOf` returns a test file's text (undefined: unknown).
 */
export function renderAnnotations(
  report: VerdictReport,
  sourceOf: (path: string) => string | undefined,
): string {
  const errorLines = new Map(report.files.map((f) => [f.path, f.error?.line]));
  const out: string[] = [];
  for (const c of report.checks) {
    if (c.passed) continue;
    for (const f of c.failures) {
      const props = [`title=${escapeProperty(c.id)}`];
      if (f.file) {
        const source = sourceOf(f.file);
        const line = source === undefined ? 1 : failureLine(source, f, errorLines.get(f.file));
        props.unshift(`file=${escapeProperty(f.file)}`, `line=${line}`);
      }
      const message = [f.description, f.diagnostics].filter(Boolean).join("\n");
      out.push(`::error ${props.join(",")}::${escapeData(message)}`);
    }
  }
  if (report.decision === "HOLD") {
    for (const r of report.reasons) out.push(`::warning title=gonogo HOLD::${escapeData(r)}`);
  }
  return out.length ? `${out.join("\n")}\n` : "";
}

export interface GithubEnvironment {
  GITHUB_ACTIONS?: string;
  GITHUB_STEP_SUMMARY?: string;
}

/**
 * The I/O: append the summary when GITHUB_STEP_SUMMARY names a file, print the annotations when
 * GITHUB_ACTIONS=true (on `out`: stderr, so `--format json` keeps standard output clean; the
 * runner reads workflow commands from both streams).
 */
export function publishToGithub(
  report: VerdictReport,
  opts: { env?: GithubEnvironment; out: NodeJS.WritableStream; extraSummary?: string },
): void {
  const env = opts.env ?? process.env;
  if (env.GITHUB_STEP_SUMMARY) {
    appendFileSync(env.GITHUB_STEP_SUMMARY, renderStepSummary(report, opts.extraSummary));
  }
  if (env.GITHUB_ACTIONS === "true") {
    opts.out.write(
      renderAnnotations(report, (path) => {
        try {
          return readFileSync(join(ROOT, path), "utf8");
        } catch {
          return undefined;
        }
      }),
    );
  }
}
