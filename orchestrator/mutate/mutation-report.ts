// Pure: the mutation report: score, killed / survived per operator and per table, survivors named
// with their guarantee and mutation, allowlist standing, kinds nothing mutates; mutation.json and
// the console table; the exit status (0 when every survivor is allowlisted and nothing is amiss).
import { FAILING_STATUSES, type JudgedEntry } from "./allowlist.js";
import type { CatalogObject } from "./catalog.js";
import type { Generated, Mutant } from "./generate.js";
import type { TrialOutcome } from "./trials.js";

export interface MutantResult extends Mutant {
  status: TrialOutcome["status"] | "allowlisted" | "not run";
  failedChecks: string[];
  error?: string;
  durationMs?: number;
}

export interface Tally {
  name: string;
  total: number;
  killed: number;
  survived: number;
  allowlisted: number;
  other: number;
}

export interface MutationReport {
  tool: "gonogo mutate";
  environment: { target: string; baseline?: string; jobs: number; suiteJobs: number };
  summary: {
    mutants: number;
    killed: number;
    survived: number;
    allowlisted: number;
    errors: number;
    notRun: number;
    /** killed / mutants run, in percent. */
    score: number;
  };
  byKind: Tally[];
  byTable: Tally[];
  survivors: MutantResult[];
  errors: MutantResult[];
  allowlist: JudgedEntry[];
  unknown: CatalogObject[];
  unmutated: Generated["unmutated"];
  mutants: MutantResult[];
  timings: Record<string, number>;
  exitCode: 0 | 1;
}

function tally(results: readonly MutantResult[], key: (m: MutantResult) => string): Tally[] {
  const rows = new Map<string, Tally>();
  for (const r of results) {
    const name = key(r);
    const t = rows.get(name) ?? { name, total: 0, killed: 0, survived: 0, allowlisted: 0, other: 0 };
    t.total++;
    if (r.status === "killed") t.killed++;
    else if (r.status === "survived") t.survived++;
    else if (r.status === "allowlisted") t.allowlisted++;
    else t.other++;
    rows.set(name, t);
  }
  return [...rows.values()].sort((a, b) => a.name.localeCompare(b.name));
}

/** Mutant results: a survivor whose allowlist entry holds is `allowlisted`; no outcome = `not run`. */
export function mutantResults(
  mutants: readonly Mutant[],
  outcomes: ReadonlyMap<string, TrialOutcome>,
  allowlist: readonly JudgedEntry[],
): MutantResult[] {
  const holds = new Set(allowlist.filter((e) => e.status === "holds").map((e) => e.mutant));
  return mutants.map((m) => {
    const o = outcomes.get(m.id);
    if (!o) return { ...m, status: "not run", failedChecks: [] };
    const status = o.status === "survived" && holds.has(m.id) ? "allowlisted" : o.status;
    return {
      ...m,
      status,
      failedChecks: o.failedChecks,
      error: o.error,
      durationMs: Math.round(o.durationMs),
    };
  });
}

export function buildMutationReport(input: {
  generated: Generated;
  results: readonly MutantResult[];
  allowlist: readonly JudgedEntry[];
  environment: MutationReport["environment"];
  timings: Record<string, number>;
}): MutationReport {
  const r = input.results;
  const count = (s: MutantResult["status"]) => r.filter((m) => m.status === s).length;
  const killed = count("killed");
  const run = r.length - count("not run") - count("error");
  const survivors = r.filter((m) => m.status === "survived");
  const errors = r.filter((m) => m.status === "error");
  const badEntries = input.allowlist.filter((e) => FAILING_STATUSES.includes(e.status));
  const ok = survivors.length === 0 && errors.length === 0 && badEntries.length === 0;
  return {
    tool: "gonogo mutate",
    environment: input.environment,
    summary: {
      mutants: r.length,
      killed,
      survived: survivors.length,
      allowlisted: count("allowlisted"),
      errors: errors.length,
      notRun: count("not run"),
      score: run === 0 ? 0 : Math.round((killed / run) * 1000) / 10,
    },
    byKind: tally(r, (m) => m.kind),
    byTable: tally(r, (m) => m.table),
    survivors,
    errors,
    allowlist: [...input.allowlist],
    unknown: input.generated.unknown,
    unmutated: input.generated.unmutated,
    mutants: [...r],
    timings: input.timings,
    // an unknown kind is a guarantee nothing tested: not a pass
    exitCode: ok && input.generated.unknown.length === 0 ? 0 : 1,
  };
}

function table(title: string, rows: readonly Tally[]): string[] {
  const width = Math.max(title.length, ...rows.map((t) => t.name.length));
  const head = `  ${title.padEnd(width)}  mutants  killed  survived  allowlisted  other`;
  return [
    head,
    ...rows.map(
      (t) =>
        `  ${t.name.padEnd(width)}  ${String(t.total).padStart(7)}  ${String(t.killed).padStart(6)}  ${String(t.survived).padStart(8)}  ${String(t.allowlisted).padStart(11)}  ${String(t.other).padStart(5)}`,
    ),
  ];
}

const ms = (v: number | undefined) => `${((v ?? 0) / 1000).toFixed(2)} s`;

export function renderMutationConsole(report: MutationReport): string {
  const s = report.summary;
  const out: string[] = [
    `gonogo mutate: ${report.environment.target}${report.environment.baseline ? ` (baseline ${report.environment.baseline})` : ""}`,
    "",
    ...table("operator", report.byKind),
    "",
    ...table("table", report.byTable),
    "",
  ];
  if (report.survivors.length > 0) {
    out.push(`survivors (${report.survivors.length}): the suite still says GO without these guarantees`);
    for (const m of report.survivors)
      out.push(`  ${m.table}: ${m.guarantee}`, `      mutation: ${m.mutation}  [${m.id}]`);
    out.push("");
  }
  if (report.errors.length > 0) {
    out.push(`mutants that could not run (${report.errors.length}):`);
    for (const m of report.errors) out.push(`  ${m.id}: ${m.error}`);
    out.push("");
  }
  for (const e of report.allowlist) out.push(`allowlist ${e.status}: ${e.mutant}: ${e.detail}`);
  if (report.allowlist.length > 0) out.push("");
  if (report.unknown.length > 0) {
    out.push(`catalog objects of a kind mutate has no operator for (${report.unknown.length}):`);
    for (const o of report.unknown) out.push(`  ${o.kind} ${o.table ? `${o.table}.` : ""}${o.name}`);
    out.push("");
  }
  for (const u of report.unmutated) out.push(`not mutated: ${u.count} ${u.kind} (${u.reason})`);
  const total = report.timings.totalMs ?? 0;
  out.push(
    "",
    `mutation score  ${s.killed}/${s.mutants - s.notRun - s.errors} killed (${s.score}%), ${s.survived} survived, ${s.allowlisted} allowlisted, ${s.errors} errors${s.notRun ? `, ${s.notRun} not run` : ""}`,
    `run time        ${(total / 1000).toFixed(1)} s, ${report.environment.jobs} clones at a time${total > 0 ? `, ${((s.mutants - s.notRun) / (total / 1000)).toFixed(2)} mutants/s` : ""}`,
    `per mutant      clone ${ms(report.timings.medianCloneMs)}, suite ${ms(report.timings.medianSuiteMs)}, drop ${ms(report.timings.medianDropMs)} (medians)`,
    `result          ${report.exitCode === 0 ? "every mutant killed or allowlisted" : "NOT every guarantee is proven by the suite"}`,
  );
  return `${out.join("\n")}\n`;
}

export function renderMutationJson(report: MutationReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
