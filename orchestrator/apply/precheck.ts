// I/O: runs the data pre-check (precheck.ts's rules) on a database before the migration touches
// it. Read-only: catalog detection, then one counting query per rule. `assertPrecheckClean` is
// what `migrate` and `verify --migrate` call first: it refuses (exit 3) naming the rows to fix.
import { performance } from "node:perf_hooks";
import type pg from "pg";
import { BASELINE_TABLES, MIGRATION_TABLES } from "../migration.js";
import { GonogoError } from "../program/errors.js";
import {
  countingQuery,
  fixFor,
  PRECHECK_RULES,
  type PrecheckContext,
  type PrecheckResult,
  refusal,
} from "./precheck-rules.js";

/** The data pre-check found rows the migration would reject. */
export class PrecheckRefused extends GonogoError {
  constructor(readonly results: readonly PrecheckResult[]) {
    const r = refusal(results);
    super(r.reason, r.fix);
  }
}

/** What the rules depend on, read from the catalog. */
export async function precheckContext(client: pg.ClientBase): Promise<PrecheckContext> {
  const { rows } = await client.query<{ t: string; c: string }>(
    `select c.relname as t, a.attname as c
     from pg_catalog.pg_attribute a
     join pg_catalog.pg_class c on c.oid = a.attrelid
     join pg_catalog.pg_namespace n on n.oid = c.relnamespace
     where n.nspname = 'public' and c.relname = any($1) and a.attnum > 0 and not a.attisdropped`,
    [[...BASELINE_TABLES, ...MIGRATION_TABLES]],
  );
  const unique = await client.query<{ t: string }>(
    `select c.relname as t
     from pg_catalog.pg_index i
     join pg_catalog.pg_class c on c.oid = i.indrelid
     join pg_catalog.pg_namespace n on n.oid = c.relnamespace
     join pg_catalog.pg_attribute a on a.attrelid = i.indrelid and a.attnum = i.indkey[0]
     where n.nspname = 'public' and i.indisunique and i.indnkeyatts = 1 and i.indpred is null
       and a.attname = 'id'`,
  );
  const columns = new Set(rows.map((r) => `${r.t}.${r.c}`));
  const pick = (table: string, names: string[]) =>
    names.find((n) => columns.has(`${table}.${n}`)) ?? names[0];
  return {
    columns,
    relations: new Set(rows.map((r) => r.t)),
    idUnique: new Set(unique.rows.map((r) => r.t)),
    instanceStatus: pick("workflow_instances", ["status", "workflow_status"]) as string,
    stageStatus: pick("workflow_stages", ["status", "stage_status"]) as string,
  };
}

/** Run every rule; `onRule` reports progress. Needs the five baseline tables (the migration's ZD001 says so otherwise). */
export async function runPrecheck(
  client: pg.ClientBase,
  onRule?: (r: PrecheckResult) => void,
): Promise<PrecheckResult[]> {
  const ctx = await precheckContext(client);
  const results: PrecheckResult[] = [];
  for (const rule of PRECHECK_RULES) {
    const t0 = performance.now();
    const sql = rule.sql(ctx);
    let count = 0;
    let samples: PrecheckResult["samples"] = [];
    if (sql !== null) {
      const { rows } = await client.query<{ total: string; workspace: string | null; key: string }>(
        countingQuery(sql),
      );
      count = Number(rows[0]?.total ?? 0);
      samples = rows.map((r) => ({ workspace: r.workspace, key: r.key }));
    }
    const result: PrecheckResult = {
      guards: rule.guards,
      table: rule.table,
      requirement: rule.requirement,
      unit: rule.unit,
      applicable: sql !== null,
      count,
      samples,
      fix: count > 0 ? fixFor(rule, samples) : "",
      durationMs: Math.round(performance.now() - t0),
    };
    results.push(result);
    onRule?.(result);
  }
  return results;
}

/**
 * The pre-check before `migrate` applies anything: refuses with the offending rows. Skipped when
 * the baseline tables are not all there (the migration's own ZD001 pre-flight explains that).
 */
export async function assertPrecheckClean(client: pg.ClientBase): Promise<PrecheckResult[]> {
  const { rows } = await client.query<{ ok: boolean }>(
    "select bool_and(to_regclass('public.' || t) is not null) as ok from unnest($1::text[]) t",
    [BASELINE_TABLES],
  );
  if (!rows[0]?.ok) return [];
  const results = await runPrecheck(client);
  if (results.some((r) => r.count > 0)) throw new PrecheckRefused(results);
  return results;
}
