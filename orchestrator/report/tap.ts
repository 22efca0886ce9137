// Pure: the whole run as one TAP 14 stream: one subtest per test file (its own TAP, indented),
// then a test point per file, so any TAP consumer (tap-parser, prove, CI plugins) reads it.
import type { FileResult } from "../tap.js";
import { describeSqlError } from "../tap.js";
import type { VerdictReport } from "./json.js";

function indent(text: string): string[] {
  return text
    .replace(/\n$/, "")
    .split("\n")
    .filter((l, i, all) => !(l === "" && i === all.length - 1))
    .map((l) => (l === "" ? "" : `    ${l}`));
}

function escapeDescription(s: string): string {
  // `#` starts a directive in TAP; escape it in descriptions.
  return s.replace(/\\/g, "\\\\").replace(/#/g, "\\#");
}

export function renderTap(report: VerdictReport, files: readonly FileResult[]): string {
  const out: string[] = ["TAP version 14", `1..${files.length}`];
  files.forEach((f, i) => {
    out.push(`# Subtest: ${f.path}`);
    if (f.tap.trim() !== "") out.push(...indent(f.tap));
    if (f.error) out.push(...indent(`# ${describeSqlError(f.error)}`));
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
