// The data pre-check: every constraint, unique index and NOT NULL the migration adds over rows
// that may already exist has a rule in db/migrations/<id>/precheck.sql, beside the migration it
// guards and runnable by hand with psql before it. This module only runs that file (read-only:
// it creates and drops pg_temp functions) and formats its rows. `assertPrecheckClean` is what the
// applier calls first: it refuses (exit 3) naming the rows to fix.
import type pg from "pg";
import { BASELINE_TABLES } from "../migration.js";
import { GonogoError } from "../program/errors.js";
import { precheckFiles, type SqlFile } from "./sql-files.js";

/** One rule's row as precheck.sql returns it. */
interface PrecheckRow {
  guards: string;
  table_name: string;
  requirement: string;
  unit: string;
  applicable: boolean;
  count: string;
  samples: PrecheckSample[];
  fix: string;
  duration_ms: number;
}

/** Run the pre-check files (default: beside every migration); one result per rule, in their order. */
export async function runPrecheck(
  client: pg.ClientBase,
  files: readonly SqlFile[] = precheckFiles(),
): Promise<PrecheckResult[]> {
  const results: PrecheckResult[] = [];
  for (const file of files) {
    // the rows, not psql's refusal (ZD003): this module decides and words the refusal
    const out = await client.query(
      `select pg_catalog.set_config('gonogo.precheck_raise', 'off', true);\n${file.text}`,
    );
    const rows = ([] as pg.QueryResult[])
      .concat(out as unknown as pg.QueryResult[])
      .find((r) => r.fields?.some((f) => f.name === "guards"))?.rows as PrecheckRow[] | undefined;
    if (!rows) throw new Error(`${file.path} returned no pre-check rows`);
    for (const r of rows) {
      results.push({
        guards: r.guards,
        table: r.table_name,
        requirement: r.requirement,
        unit: r.unit,
        applicable: r.applicable,
        count: Number(r.count),
        samples: r.samples,
        fix: r.fix,
        durationMs: r.duration_ms,
      });
    }
  }
  return results;
}

/** The data pre-check found rows the migration would reject. */
export class PrecheckRefused extends GonogoError {
  constructor(readonly results: readonly PrecheckResult[]) {
    const r = refusal(results);
    super(r.reason, r.fix);
  }
}

/**
 * The pre-check before the applier changes anything: refuses with the offending rows. Skipped when
 * the baseline tables are not all there (the migration's own ZD001 pre-flight explains that).
 */
export async function assertPrecheckClean(
  client: pg.ClientBase,
  files?: readonly SqlFile[],
): Promise<PrecheckResult[]> {
  const { rows } = await client.query<{ ok: boolean }>(
    "select bool_and(to_regclass('public.' || t) is not null) as ok from unnest($1::text[]) t",
    [BASELINE_TABLES],
  );
  if (!rows[0]?.ok) return [];
  const results = await runPrecheck(client, files);
  if (results.some((r) => r.count > 0)) throw new PrecheckRefused(results);
  return results;
}

export interface PrecheckSample {
  workspace: string | null;
  key: string;
}

export interface PrecheckResult {
  guards: string;
  table: string;
  requirement: string;
  unit: string;
  /** False when no existing row can violate it (column added empty, key already unique). */
  applicable: boolean;
  count: number;
  samples: PrecheckSample[];
  fix: string;
  durationMs: number;
}

export const failing = (results: readonly PrecheckResult[]) => results.filter((r) => r.count > 0);

function sampleText(r: PrecheckResult): string {
  const keys = r.samples.map((s) => (s.workspace ? `${s.workspace}: ${s.key}` : s.key)).join("; ");
  return `${keys}${r.count > r.samples.length ? "; ..." : ""}`;
}

/** One line per failing rule: `rule: count unit(s) (samples); fix: ...`. */
export function formatFailures(results: readonly PrecheckResult[]): string[] {
  return failing(results).map(
    (r) => `${r.guards}: ${r.count} ${r.unit}${r.count === 1 ? "" : "s"} (${sampleText(r)}); fix: ${r.fix}`,
  );
}

/** The refusal as one line: what was found (rule, count, samples) and every fix. */
export function refusal(results: readonly PrecheckResult[]): { reason: string; fix: string } {
  const bad = failing(results);
  const found = bad.map(
    (r) => `${r.guards}: ${r.count} ${r.unit}${r.count === 1 ? "" : "s"} (${sampleText(r)})`,
  );
  return {
    reason: `data pre-check: existing rows violate what the migration adds, nothing was applied: ${found.join(" | ")}`,
    fix: bad.map((r) => r.fix).join("; "),
  };
}

/** A plain-text table of every rule's outcome (rehearse's console when the migration was not applied). */
export function renderPrecheck(results: readonly PrecheckResult[]): string {
  const lines = ["Data pre-check (every constraint the migration adds over existing rows):"];
  for (const r of results) {
    const state = !r.applicable ? "n/a " : r.count === 0 ? "ok  " : "FAIL";
    lines.push(`  ${state} ${r.guards}${r.applicable ? ` (${r.count})` : ""}`);
  }
  lines.push(
    "  (n/a: no existing row can violate it: the migration adds the column empty, or id is already unique)",
  );
  return `${lines.join("\n")}\n`;
}
