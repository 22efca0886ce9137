// Applies the project's SQL to a database: baseline, pgcrypto, pgTAP, migrations, functions,
// fixtures. Each file runs in one transaction; a SQL error names file, line and column.
import type { ClientBase, DatabaseError } from "pg";
import { baselineFile, fixtureFiles, functionFiles, migrationFiles, type SqlFile } from "./sql-files.js";
import { positionToLine } from "./sql-script.js";

export class SqlFileError extends Error {
  override name = "SqlFileError";
  constructor(
    message: string,
    readonly file: string,
    readonly line: number | undefined,
    readonly column: number | undefined,
    readonly sqlstate: string | undefined,
  ) {
    super(message);
  }
}

/** Where in the file a Postgres error points (its 1-based character `position`), when it says. */
function locate(file: SqlFile, err: DatabaseError): { line?: number; column?: number } {
  return err.position ? positionToLine(file.text, Number(err.position)) : {};
}

/** Run one file's text in a transaction of its own (unless it manages its own). */
export async function applyFile(client: ClientBase, file: SqlFile, opts: { transaction?: boolean } = {}) {
  const wrap = opts.transaction ?? true;
  try {
    if (wrap) await client.query("begin");
    await client.query(file.text);
    if (wrap) await client.query("commit");
  } catch (e) {
    if (wrap) await client.query("rollback").catch(() => undefined);
    const err = e as DatabaseError;
    const { line, column } = locate(file, err);
    const where = line ? `${file.path}:${line}:${column}` : file.path;
    const detail = [err.detail, err.hint ? `hint: ${err.hint}` : "", err.where ? `context: ${err.where}` : ""]
      .filter(Boolean)
      .join("; ");
    throw new SqlFileError(
      `${where}: ${err.code ? `${err.code} ` : ""}${err.message}${detail ? ` (${detail})` : ""}`,
      file.path,
      line,
      column,
      err.code,
    );
  }
}

export interface PrepareOptions {
  /** Baseline to load first (a fresh database only). */
  baseline?: string;
  /** Load db/fixtures (throwaway databases only). */
  fixtures?: boolean;
  /** `create extension pgtap` (throwaway databases only; staging gets it per test transaction). */
  pgtap?: boolean;
}

/** Migrations then functions: what `gonogo migrate` applies. */
export async function applyMigrations(client: ClientBase): Promise<void> {
  for (const f of migrationFiles()) await applyFile(client, f);
  for (const f of functionFiles()) await applyFile(client, f);
}

/** A fresh database prepared exactly as `verify` prepares its throwaway one. */
export async function prepareDatabase(client: ClientBase, opts: PrepareOptions = {}): Promise<void> {
  await client.query("set client_min_messages = warning");
  if (opts.baseline) await applyFile(client, baselineFile(opts.baseline));
  if (opts.pgtap ?? true) await client.query("create extension if not exists pgtap");
  await applyMigrations(client);
  if (opts.fixtures ?? true) for (const f of fixtureFiles()) await applyFile(client, f);
}
