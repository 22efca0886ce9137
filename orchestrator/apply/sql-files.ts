// Where the project's SQL lives and in which order it is applied. One source of truth for the
// orchestrator, the integration tests and the benchmarks.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** Repository root: works from orchestrator/*.ts (tsx, vitest) and dist/orchestrator/*.js. */
export const ROOT = (() => {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, "db", "migrations"))) {
    const up = dirname(dir);
    if (up === dir) throw new Error("gonogo: cannot find db/migrations above the orchestrator");
    dir = up;
  }
  return dir;
})();

export const DB_DIR = join(ROOT, "db");

export interface SqlFile {
  /** Path relative to the repository root, as shown to users. */
  path: string;
  text: string;
}

export function readSql(path: string): SqlFile {
  const abs = resolve(ROOT, path);
  return { path: relative(ROOT, abs), text: readFileSync(abs, "utf8") };
}

/** Every *.sql below dir, recursively, in lexicographic order of their relative path. */
export function listSql(dir: string, suffix = ".sql"): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: "utf8" })
    .filter((p) => p.endsWith(suffix))
    .map((p) => relative(ROOT, join(dir, p)))
    .sort();
}

/** Names of the baselines in db/baselines (file name without .sql). */
export function baselineNames(): string[] {
  return listSql(join(DB_DIR, "baselines")).map((p) => p.replace(/^.*\//, "").replace(/\.sql$/, ""));
}

export const DEFAULT_BASELINE = "uuid";

export function baselineFile(name: string): SqlFile {
  const names = baselineNames();
  if (!names.includes(name)) {
    throw new Error(`unknown baseline '${name}'; use one of: ${names.join(", ")}`);
  }
  return readSql(join("db", "baselines", `${name}.sql`));
}

/** Versioned migrations: db/migrations/<timestamp>_<name>/migration.sql, oldest first. */
export function migrationFiles(): SqlFile[] {
  const dir = join(DB_DIR, "migrations");
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && existsSync(join(dir, e.name, "migration.sql")))
    .map((e) => e.name)
    .sort()
    .map((name) => readSql(join("db", "migrations", name, "migration.sql")));
}

/**
 * The data pre-check beside each migration that has one, db/migrations/<id>/precheck.sql (outside
 * the migration's checksum: it changes nothing), oldest first.
 */
export function precheckFiles(): SqlFile[] {
  return migrationFiles().flatMap((m) => precheckFileOf(m) ?? []);
}

/** The pre-check beside one migration file, if it has one. */
export function precheckFileOf(migration: SqlFile): SqlFile | undefined {
  const path = join(dirname(migration.path), "precheck.sql");
  return existsSync(join(ROOT, path)) ? readSql(path) : undefined;
}

/** Repeatable objects (functions, triggers, policies): applied after the migrations, every time. */
export function functionFiles(): SqlFile[] {
  return listSql(join(DB_DIR, "functions")).map(readSql);
}

/** Dev fixtures for the throwaway cluster only (never part of the migration). */
export function fixtureFiles(): SqlFile[] {
  return listSql(join(DB_DIR, "fixtures")).map(readSql);
}

/** Test files of the pgTAP suite (*.test.sql), in path order. */
export function testFiles(): string[] {
  return listSql(join(DB_DIR, "tests"), ".test.sql");
}
