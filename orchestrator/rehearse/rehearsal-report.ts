// Pure: the rehearsal's facts -> its decision (docs/rehearse.md, step 7 "Decides"), rehearsal.json
// and the Deployment section shown on the console and appended to declaration.md.
import type { PrecheckResult } from "../apply/precheck.js";
import { failing, formatFailures } from "../apply/precheck.js";
import { type Decision, EXIT_CODES } from "../suite/score.js";
import type { CopyResult } from "./copy.js";
import { blockedBy, type StatementTiming, slowest, type TableBlocking } from "./locks.js";

export interface ProbeFigures {
  table: string;
  /** Longest single read / write by the probe session during the apply, seconds. */
  readWorstS: number;
  writeWorstS: number;
  reads: number;
  writes: number;
}

export interface Budgets {
  maxReadBlockS: number;
  maxWriteBlockS: number;
}

export interface Rehearsal {
  tool: "gonogo";
  kind: "rehearsal";
  migration: string;
  decision: Decision;
  exitCode: number;
  reasons: string[];
  /** `copy`: a throwaway copy of --from; `target`: the disposable clone given by --target. */
  mode: "copy" | "target";
  source: {
    target: string;
    serverVersion: string;
    sizeBytes: number;
    /** Exact row counts of the pre-existing tables, read on the copy (same snapshot as the dump). */
    rows: Record<string, number>;
  };
  copy?: CopyResult;
  precheck: PrecheckResult[];
  apply?: {
    ok: boolean;
    error?: string;
    durationMs: number;
    statements: StatementTiming[];
    samples: number;
    sampleIntervalMs: number;
    /** Per pre-existing table: seconds reads / writes were blocked, computed from the sampled locks. */
    computed: TableBlocking[];
    /** The probe session's worst waits on the same tables. */
    observed: ProbeFigures[];
  };
  budgets: Budgets;
  suite?: {
    decision: Decision;
    score: { passed: number; total: number; percent: number };
    reasons: string[];
  };
  timings: Record<string, number>;
}

export interface DecisionInput {
  precheck: readonly PrecheckResult[];
  apply?: Rehearsal["apply"];
  suite?: Rehearsal["suite"];
  budgets: Budgets;
}

/** The worst of the computed longest stretch and the probe's worst wait, per table. */
function worst(apply: NonNullable<Rehearsal["apply"]>, table: string) {
  const c = apply.computed.find((x) => x.table === table);
  const o = apply.observed.find((x) => x.table === table);
  return {
    read: Math.max(c?.reads.longestS ?? 0, o?.readWorstS ?? 0),
    write: Math.max(c?.writes.longestS ?? 0, o?.writeWorstS ?? 0),
  };
}

/**
 * NO-GO: the pre-check finds rows, the migration fails on the copy, or the suite says NO-GO.
 * HOLD: the suite says HOLD or a lock budget is exceeded. GO otherwise.
 */
export function decideRehearsal(input: DecisionInput): { decision: Decision; reasons: string[] } {
  const noGo: string[] = [];
  const hold: string[] = [];
  for (const r of failing(input.precheck)) {
    noGo.push(
      `data pre-check ${r.guards}: ${r.count} ${r.unit}${r.count === 1 ? "" : "s"} would be rejected`,
    );
  }
  const apply = input.apply;
  if (apply && !apply.ok) noGo.push(`the migration failed on the copy: ${apply.error ?? "unknown error"}`);
  if (!apply && noGo.length === 0) noGo.push("the migration was not applied");
  if (input.suite?.decision === "NO-GO")
    noGo.push(`the suite says NO-GO (${input.suite.reasons.join("; ")})`);
  if (input.suite?.decision === "HOLD") hold.push(`the suite says HOLD (${input.suite.reasons.join("; ")})`);
  if (apply?.ok) {
    for (const c of apply.computed) {
      const w = worst(apply, c.table);
      if (w.read > input.budgets.maxReadBlockS)
        hold.push(
          `reads of ${c.table} blocked ${w.read.toFixed(1)} s (budget ${input.budgets.maxReadBlockS} s)`,
        );
      if (w.write > input.budgets.maxWriteBlockS)
        hold.push(
          `writes to ${c.table} blocked ${w.write.toFixed(1)} s (budget ${input.budgets.maxWriteBlockS} s)`,
        );
    }
  }
  if (noGo.length > 0) return { decision: "NO-GO", reasons: [...noGo, ...hold] };
  if (hold.length > 0) return { decision: "HOLD", reasons: hold };
  return { decision: "GO", reasons: [] };
}

export const exitCodeOf = (d: Decision) => EXIT_CODES[d];

const s = (x: number) => `${x.toFixed(2)} s`;
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

/** The Deployment section: source, copy, pre-check, blocking per table, slowest statements, decision. */
export function renderDeployment(r: Rehearsal): string {
  const out: string[] = ["", "Deployment (rehearsed on a copy)"];
  if (r.mode === "target") out[1] = "Deployment (rehearsed on the disposable clone)";
  const rows = Object.entries(r.source.rows)
    .map(([t, n]) => `${t} ${n}`)
    .join(", ");
  out.push(
    `  source    ${r.source.target}, PostgreSQL ${r.source.serverVersion}, ${mb(r.source.sizeBytes)}; rows: ${rows}`,
  );
  if (r.copy) {
    out.push(
      `  copy      ${s(r.copy.totalMs / 1000)} (schema ${s(r.copy.schemaMs / 1000)}, data streamed ${s(r.copy.dataMs / 1000)}, indexes and constraints ${s(r.copy.postDataMs / 1000)}, analyze ${s(r.copy.analyzeMs / 1000)}; ${r.copy.jobs} at a time)`,
    );
  }
  const bad = failing(r.precheck);
  out.push(
    `  pre-check ${r.precheck.filter((p) => p.applicable).length} rules applied, ${r.precheck.length - r.precheck.filter((p) => p.applicable).length} n/a (no existing row can violate them), ${bad.length} failed`,
  );
  for (const l of formatFailures(r.precheck)) out.push(`    FAIL ${l}`);
  const a = r.apply;
  if (a) {
    out.push(
      `  apply     ${a.ok ? "ok" : "FAILED"} in ${s(a.durationMs / 1000)}, ${a.statements.length} statements, ${a.samples} lock samples every ~${a.sampleIntervalMs} ms`,
    );
    if (a.error) out.push(`    ${a.error}`);
    out.push("");
    out.push(
      "  blocked seconds per pre-existing table (computed from the applier's locks | observed by the probe)",
    );
    out.push(
      `    ${"table".padEnd(20)} ${"reads".padStart(9)} ${"probe".padStart(9)} ${"writes".padStart(9)} ${"probe".padStart(9)}  strongest lock`,
    );
    for (const c of a.computed) {
      const o = a.observed.find((x) => x.table === c.table);
      out.push(
        `    ${c.table.padEnd(20)} ${s(c.reads.longestS).padStart(9)} ${s(o?.readWorstS ?? 0).padStart(9)} ${s(c.writes.longestS).padStart(9)} ${s(o?.writeWorstS ?? 0).padStart(9)}  ${c.strongest || "-"}`,
      );
    }
    out.push("");
    out.push("  slowest statements");
    for (const st of slowest(a.statements)) {
      const b = blockedBy(st);
      out.push(`    ${s(st.durationMs / 1000).padStart(9)}  ${st.file}:${st.line}  ${st.text}`);
      if (b.writes.length > 0) {
        const reads = b.reads.length > 0 ? `reads of ${b.reads.join(", ")}; ` : "";
        out.push(`               then blocked until commit: ${reads}writes to ${b.writes.join(", ")}`);
      }
    }
  }
  if (r.suite) out.push(`  suite     ${r.suite.decision} (${r.suite.score.passed}/${r.suite.score.total})`);
  out.push(`  budgets   reads ${r.budgets.maxReadBlockS} s, writes ${r.budgets.maxWriteBlockS} s`);
  out.push(`rehearsal ${r.decision}`);
  r.reasons.forEach((x, i) => {
    out.push(`${i === 0 ? "reasons" : "       "}   - ${x}`);
  });
  return `${out.join("\n")}\n`;
}

/** The same section for declaration.md. */
export function renderDeploymentMarkdown(r: Rehearsal): string {
  return `\n## Deployment\n\n\`\`\`\n${renderDeployment(r).trim()}\n\`\`\`\n`;
}

export function renderRehearsalJson(r: Rehearsal): string {
  return `${JSON.stringify(r, null, 2)}\n`;
}
