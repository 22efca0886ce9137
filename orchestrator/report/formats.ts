// The one registry of report formats: its name (`--format` on stdout), the file it becomes in
// `--report-dir`, and its renderer. The CLI's `--format` choices and the report directory both
// read this list, so a new format is one entry here plus its renderer.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { GonogoError } from "../program/errors.js";
import type { FileResult } from "../suite/tap-results.js";
import { renderConsole } from "./console.js";
import { renderDeclaration } from "./declaration.js";
import { renderJson, type VerdictReport } from "./json.js";
import { renderJunit } from "./junit.js";
import { mkdirs } from "./report-dir.js";
import { renderTap, type TapVersion } from "./tap.js";

export interface RenderContext {
  color: boolean;
  /** The declaration's Tester line. */
  tester: string;
  /** TAP 14 (default) or 13 (Perl's TAP::Parser). */
  tapVersion?: TapVersion;
}

export interface ReportFormat {
  name: string;
  /** File name in --report-dir; absent: standard output only. */
  file?: string;
  /** Offered by --format. */
  stdout: boolean;
  render(report: VerdictReport, files: readonly FileResult[], ctx: RenderContext): string;
}

export const REPORT_FORMATS: readonly ReportFormat[] = [
  { name: "console", stdout: true, render: (r, _f, c) => renderConsole(r, { color: c.color }) },
  { name: "tap", file: "results.tap", stdout: true, render: (r, f, c) => renderTap(r, f, c.tapVersion) },
  { name: "json", file: "verdict.json", stdout: true, render: (r) => renderJson(r) },
  { name: "junit", file: "junit.xml", stdout: false, render: (r, f) => renderJunit(r, f) },
  {
    name: "declaration",
    file: "declaration.md",
    stdout: false,
    render: (r, _f, c) => renderDeclaration(r, { tester: c.tester }),
  },
];

/** What --format accepts. */
export const STDOUT_FORMATS = REPORT_FORMATS.filter((f) => f.stdout).map((f) => f.name);

export type Format = (typeof REPORT_FORMATS)[number]["name"];

export function formatByName(name: string): ReportFormat {
  const f = REPORT_FORMATS.find((x) => x.name === name);
  if (!f) throw new GonogoError(`unknown format '${name}'`, `use --format ${STDOUT_FORMATS.join("|")}`);
  return f;
}

/** Every format that has a file, written to dir. */
export function writeReports(
  dir: string,
  report: VerdictReport,
  files: readonly FileResult[],
  ctx: RenderContext,
): void {
  mkdirs(dir);
  for (const f of REPORT_FORMATS) {
    if (f.file) writeFileSync(join(dir, f.file), f.render(report, files, ctx));
  }
}
