// Pure: the verdict as a DBA reads it at a glance: one line per check, the failures under the
// check with pgTAP's diagnostics, then score, verdict and reasons. Colour only when asked.
import { describeLedger } from "../apply/prisma-ledger.js";
import type { VerdictReport } from "./json.js";

export interface ConsoleOptions {
  color: boolean;
  /** Failures shown per check and diagnostic lines per failure (the reports carry everything). */
  maxFailures?: number;
  maxDiagnosticLines?: number;
}

type Paint = (s: string) => string;

function palette(color: boolean) {
  const wrap =
    (open: number, close: number): Paint =>
    (s) =>
      color ? `\u001b[${open}m${s}\u001b[${close}m` : s;
  return {
    green: wrap(32, 39),
    red: wrap(31, 39),
    yellow: wrap(33, 39),
    bold: wrap(1, 22),
    dim: wrap(2, 22),
  };
}

function seconds(ms: number | undefined): string {
  return ms === undefined ? "?" : `${(ms / 1000).toFixed(2)} s`;
}

export function renderConsole(report: VerdictReport, opts: ConsoleOptions): string {
  const p = palette(opts.color);
  const maxFailures = opts.maxFailures ?? 5;
  const maxDiag = opts.maxDiagnosticLines ?? 8;
  const out: string[] = [];
  const env = report.environment;
  const s0 = report.section0;
  const show = (v: unknown) => (v === null || v === undefined ? "not detected" : String(v));

  out.push(p.bold(`gonogo: migration ${report.migration}`));
  out.push(
    `target    ${env.mode === "cluster" ? `throwaway local cluster, baseline ${env.baseline ?? "?"}${env.cache && env.cache !== "off" ? ` (cache ${env.cache})` : ""}` : env.target}${
      env.workspace ? `, workspace ${env.workspace}` : ""
    }`,
  );
  if (report.ledger && report.ledger.status !== "absent")
    out.push(`ledger    ${describeLedger(report.ledger)}`);
  out.push(
    `section 0 pgcrypto ${s0.pgcrypto === null ? "not detected" : s0.pgcrypto ? "yes" : "no"} · config_versions.id ${show(
      s0.configVersionsIdType,
    )} · status columns ${show(s0.statusColumn)}/${show(s0.stageStatusColumn)} · workspace ${show(
      s0.workspaceCode,
    )} ${s0.workspaceId ? `(${s0.workspaceId})` : ""} · active users ${show(s0.activeUsers)}`,
  );
  out.push("");

  const titleWidth = Math.max(...report.checks.map((c) => c.title.length));
  for (const c of report.checks) {
    const status = c.passed ? p.green("PASS") : p.red("FAIL");
    const t = c.tests;
    const counts = `${t.passed}/${t.planned}`;
    out.push(
      `  ${status}  ${c.id.padEnd(4)}  ${c.title.padEnd(titleWidth)}  ${c.severity.padEnd(9)}  ${counts}`,
    );
    if (c.passed) continue;
    for (const f of c.failures.slice(0, maxFailures)) {
      const where = f.file ? `${f.file}${f.test !== null ? ` #${f.test}` : ""}: ` : "";
      out.push(`        ${p.red("x")} ${where}${f.description}`);
      const diag = f.diagnostics ? f.diagnostics.split("\n") : [];
      for (const line of diag.slice(0, maxDiag)) out.push(p.dim(`            ${line}`));
      if (diag.length > maxDiag)
        out.push(p.dim(`            ... ${diag.length - maxDiag} more lines in the reports`));
    }
    if (c.failures.length > maxFailures) {
      out.push(`        ... ${c.failures.length - maxFailures} more failures (see --report-dir)`);
    }
  }
  out.push("");
  const colourOf = { GO: p.green, HOLD: p.yellow, "NO-GO": p.red }[report.decision];
  out.push(`score     ${report.score.passed}/${report.score.total} (${report.score.percent}%)`);
  out.push(`verdict   ${p.bold(colourOf(report.decision))}`);
  report.reasons.forEach((r, i) => {
    out.push(`${i === 0 ? "reasons" : "       "}   - ${r}`);
  });
  const tt = report.totals;
  out.push(
    p.dim(
      `${tt.files} files, ${tt.passed}/${tt.planned} assertions passed, suite ${seconds(report.timings.runMs)} on ${
        report.jobs
      } connection(s), total ${seconds(report.timings.totalMs)}`,
    ),
  );
  return `${out.join("\n")}\n`;
}

/** Colour on a terminal unless NO_COLOR is set (https://no-color.org); FORCE_COLOR forces it. */
export function wantColor(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== "") return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== "0") return true;
  return !!stream.isTTY && env.TERM !== "dumb";
}
