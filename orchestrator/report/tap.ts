// Pure: the whole run as one TAP stream, a test point per test file. TAP 14 (default) nests each
// file's own TAP as an indented subtest; TAP 13 (`--tap-version 13`, for Perl's TAP::Parser, which
// pg_prove and prove use) has no version line and carries each file's TAP as `#` comments.

import { describeSqlError } from "../suite/sql-error.js";
import type { FileResult } from "../suite/tap-results.js";
import type { VerdictReport } from "./json.js";

export type TapVersion = 13 | 14;
export const TAP_VERSIONS: readonly TapVersion[] = [13, 14];

function indent(text: string, prefix: string): string[] {
  return text
    .replace(/\n$/, "")
    .split("\n")
    .filter((l, i, all) => !(l === "" && i === all.length - 1))
    .map((l) => (l === "" ? prefix.trimEnd() : `${prefix}${l}`));
}

function escapeDescription(s: string): string {
  // `#` starts a directive in TAP; escape it in descriptions.
  return s.replace(/\\/g, "\\\\").replace(/#/g, "\\#");
}

export function renderTap(
  report: VerdictReport,
  files: readonly FileResult[],
  version: TapVersion = 14,
): string {
  // TAP 13 has no subtests: the file's own stream becomes comments under a `# file:` heading.
  const nest = version === 14 ? "    " : "#     ";
  const out: string[] = version === 14 ? ["TAP version 14"] : [];
  out.push(`1..${files.length}`);
  files.forEach((f, i) => {
    out.push(`# ${version === 14 ? "Subtest" : "file"}: ${f.path}`);
    if (f.tap.trim() !== "") out.push(...indent(f.tap, nest));
    if (f.error) out.push(...indent(`# ${describeSqlError(f.error)}`, nest));
    const problems = f.failures.filter((x) => x.test === null).map((x) => x.description);
    out.push(
      `${f.ok ? "ok" : "not ok"} ${i + 1} - ${escapeDescription(f.path)}${f.check ? ` [${f.check}]` : ""}`,
    );
    if (!f.ok && problems.length > 0) {
      out.push("  ---", `  check: ${f.check ?? "none"}`, "  problems:");
      for (const p of problems) out.push(`    - ${JSON.stringify(p)}`);
      out.push("  ...");
    }
  });
  out.push(
    `# gonogo: ${report.decision} ${report.score.passed}/${report.score.total} (${report.score.percent}%)`,
  );
  for (const c of report.checks)
    out.push(`# ${c.passed ? "PASS" : "FAIL"} ${c.id} ${c.title} (${c.severity})`);
  for (const r of report.reasons) out.push(`# reason: ${r}`);
  return `${out.join("\n")}\n`;
}
