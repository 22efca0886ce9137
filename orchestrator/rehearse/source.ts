// I/O: look at the database to rehearse on before anything else, read-only: server version, size,
// whether it is already migrated, and whether the migration would accept its baseline (the
// migration's own ZD001 pre-flight block, run in a read-only transaction that is rolled back).
import type pg from "pg";
import type { DatabaseError } from "pg";
import { migrationFiles } from "../apply/sql-files.js";
import { BASELINE_TABLES } from "../migration.js";
import { GonogoError } from "../program/errors.js";
import { redactUrl } from "../target/connection.js";

export interface SourceFacts {
  serverVersion: string;
  major: number;
  sizeBytes: number;
  inRecovery: boolean;
  /** Planner estimates (pg_class.reltuples): exact counts come from the copy. */
  estimatedRows: Record<string, number>;
}

/** The migration's first `do $preflight$ ... $preflight$;` block: it only reads the catalog. */
export function baselinePreflight(migrationText: string): string | undefined {
  return /do \$preflight\$[\s\S]*?\$preflight\$;/.exec(migrationText)?.[0];
}

/** Facts about the source; refuses (exit 3) an already migrated or unacceptable baseline. */
export async function inspectSource(client: pg.Client, display: string, url: string): Promise<SourceFacts> {
  const { rows } = await client.query(
    `select current_setting('server_version') as version,
            current_setting('server_version_num')::int / 10000 as major,
            pg_database_size(current_database())::text as size,
            pg_is_in_recovery() as in_recovery,
            to_regclass('public.audit_logs') is not null and to_regclass('public.workspace_members') is not null as migrated,
            (select json_object_agg(c.relname, greatest(c.reltuples, 0)::int8) from pg_class c
              where c.oid = any(array(select to_regclass('public.' || t) from unnest($1::text[]) t))) as estimates`,
    [BASELINE_TABLES],
  );
  const r = rows[0];
  if (r.migrated) {
    throw new GonogoError(
      `${display} is already migrated (audit_logs and workspace_members exist): there is nothing to rehearse`,
      `verify it instead: gonogo verify --database-url ${redactUrl(url)}`,
    );
  }
  const preflight = baselinePreflight(migrationFiles()[0]?.text ?? "");
  if (preflight) {
    await client.query("begin transaction read only");
    try {
      await client.query(preflight);
    } catch (e) {
      const err = e as DatabaseError;
      if (err.code === "ZD001") {
        throw new GonogoError(
          `${display} is not on a baseline the migration accepts (ZD001): ${err.message.replace(/^migration \d+ refused: /, "")}`,
          err.hint ?? "fix the baseline schema first",
        );
      }
      throw e;
    } finally {
      await client.query("rollback").catch(() => undefined);
    }
  }
  return {
    serverVersion: r.version,
    major: Number(r.major),
    sizeBytes: Number(r.size),
    inRecovery: r.in_recovery,
    estimatedRows: r.estimates ?? {},
  };
}

/** Exact row counts of the pre-existing tables (on the copy, or the clone). */
export async function rowCounts(client: pg.Client): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const t of BASELINE_TABLES) {
    const { rows } = await client.query<{ n: string }>(`select count(*)::text as n from public.${t}`);
    out[t] = Number(rows[0]?.n ?? 0);
  }
  return out;
}
