// Pre-migration source databases for the pre-check and rehearse tests: a baseline (db/baselines)
// plus rows from bench/sql/rehearse/pre_migration_data.sql, optionally with a planted defect.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import pg from "pg";
import { ROOT } from "../../orchestrator/apply/sql-files.js";
import { connectionFor, createDatabase, type TestDatabase } from "./db.js";

export const FILL_SQL = readFileSync(
  join(ROOT, "bench", "sql", "rehearse", "pre_migration_data.sql"),
  "utf8",
);

export interface Volumes {
  workspaces: number;
  instances: number;
  stages: number;
}

export const SMALL: Volumes = { workspaces: 3, instances: 6, stages: 3 };

/** A baseline database holding rows, then `plant` (SQL run as the owner) on top. */
export async function preMigrationSource(
  opts: { baseline?: string; volumes?: Volumes; plant?: string } = {},
): Promise<TestDatabase> {
  const db = await createDatabase({ baseline: opts.baseline ?? "uuid", kind: "bare" });
  const v = opts.volumes ?? SMALL;
  const c = new pg.Client(connectionFor(db.name));
  await c.connect();
  try {
    await c.query("set client_min_messages = warning");
    await c.query(FILL_SQL);
    await c.query("select pg_temp.gonogo_fill($1, $2, $3)", [v.workspaces, v.instances, v.stages]);
    if (opts.plant) await c.query(opts.plant);
  } finally {
    await c.end();
  }
  return db;
}
