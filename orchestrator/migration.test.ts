// The table lists the SQL must hold (PL/pgSQL cannot import migration.ts) agree with migration.ts: each
// concern says its list once (public.audited_tables(), public.master_tables(), the workspace
// policies' loop, the migration, helper-functions.psql), so a seventeenth table is one edit per concern, and
// forgetting one fails here, naming the file.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "./apply/sql-files.js";
import {
  ALL_TABLES,
  APP_INSERT_TABLES,
  APP_READ_TABLES,
  AUDITED_TABLES,
  BASELINE_TABLES,
  MASTER_TABLES,
  MIGRATION,
  MIGRATION_TABLES,
  RLS_TABLES,
  WORKSPACE_POLICY_TABLES,
} from "./migration.js";

const read = (path: string) => readFileSync(join(ROOT, path), "utf8");
const MIGRATION_SQL = `db/migrations/${MIGRATION}/migration.sql`;

/** The quoted names of the first `array[...]` after `anchor` in `path`. */
function arrayAfter(path: string, anchor: string | RegExp): string[] {
  const text = read(path);
  const at = typeof anchor === "string" ? text.indexOf(anchor) : text.search(anchor);
  expect(at, `${path}: cannot find ${anchor}`).toBeGreaterThanOrEqual(0);
  const list = /array\[([^\]]*)\]/.exec(text.slice(at));
  expect(list, `${path}: no array[...] after ${anchor}`).not.toBeNull();
  return [...(list?.[1] ?? "").matchAll(/'([a-z_]+)'/g)].map((m) => m[1] ?? "");
}

/** Every match of group 1 of `pattern` in `path`. */
function allMatches(path: string, pattern: RegExp): string[] {
  return [...read(path).matchAll(pattern)].map((m) => m[1] ?? "");
}

const sorted = (xs: readonly string[]) => [...xs].sort();

/** The tables of the migration's `grant <privilege> on ... to apms_app` statement starting with `start`. */
function grantedAfter(start: string): string[] {
  const text = read(MIGRATION_SQL);
  const at = text.indexOf(`\n${start}\n`);
  expect(at, `${MIGRATION_SQL}: cannot find ${start}`).toBeGreaterThanOrEqual(0);
  const statement = text.slice(at, text.indexOf(";", at));
  expect(statement).toMatch(/\bto apms_app$/);
  return [...statement.matchAll(/public\.([a-z_]+)/g)].map((m) => m[1] ?? "");
}

const HELPERS = "db/tests/_support/helper-functions.psql";
const FN = "db/functions";
const listFunction = (file: string) => () => arrayAfter(`${FN}/010_functions/${file}`, "select array");
const helper = (name: string) => () => arrayAfter(HELPERS, `pg_temp.${name}()`);

const lists: [string, () => string[], readonly string[]][] = [
  ["helper-functions.psql gn_tables()", helper("gn_tables"), ALL_TABLES],
  ["helper-functions.psql gn_master_tables()", helper("gn_master_tables"), MASTER_TABLES],
  ["helper-functions.psql gn_rls_tables()", helper("gn_rls_tables"), WORKSPACE_POLICY_TABLES],
  ["helper-functions.psql gn_app_read_tables()", helper("gn_app_read_tables"), APP_READ_TABLES],
  ["helper-functions.psql gn_app_insert_tables()", helper("gn_app_insert_tables"), APP_INSERT_TABLES],
  ["migration: grant select to apms_app", () => grantedAfter("grant select on"), APP_READ_TABLES],
  ["migration: grant insert to apms_app", () => grantedAfter("grant insert on"), APP_INSERT_TABLES],
  ["public.audited_tables()", listFunction("040_audited_tables.sql"), AUDITED_TABLES],
  ["public.master_tables()", listFunction("050_master_tables.sql"), MASTER_TABLES],
  [
    "050_workspace_policies.sql",
    () => arrayAfter(`${FN}/050_workspace_policies.sql`, "foreach"),
    WORKSPACE_POLICY_TABLES,
  ],
  ["migration: baseline pre-flight", () => arrayAfter(MIGRATION_SQL, "do $preflight$"), BASELINE_TABLES],
  [
    "migration: create table",
    () => allMatches(MIGRATION_SQL, /create table if not exists public\.([a-z_]+)/g),
    MIGRATION_TABLES,
  ],
  [
    "migration: enable row level security",
    () => allMatches(MIGRATION_SQL, /alter table public\.([a-z_]+) enable row level security/g),
    RLS_TABLES,
  ],
];

describe("the SQL table lists agree with orchestrator/migration.ts", () => {
  it.each(lists)("%s", (_name, sqlList, expected) => {
    const names = sqlList();
    expect(new Set(names).size, "no table twice").toBe(names.length);
    expect(sorted(names)).toEqual(sorted(expected));
  });

  // the trigger concern files and the trigger functions read those two lists rather than repeat them
  it.each([
    ["020_audit_triggers.sql", "foreach v_table in array public.audited_tables() loop"],
    ["010_functions/900_audit_row_change.sql", "tg_table_name <> all (public.audited_tables())"],
    ["030_master_guards.sql", "foreach v_table in array public.master_tables() loop"],
    ["010_functions/120_guard_master_row.sql", "tg_table_name <> all (public.master_tables())"],
  ])("%s reads its list from the list function", (file, use) => {
    expect(read(`${FN}/${file}`)).toContain(use);
  });

  it("the roles partition the sixteen as documented", () => {
    expect(new Set(ALL_TABLES).size).toBe(16);
    expect(sorted(AUDITED_TABLES)).toEqual(
      sorted(ALL_TABLES.filter((t) => !["workspaces", "users", "audit_logs"].includes(t))),
    );
    expect(MASTER_TABLES.every((t) => AUDITED_TABLES.includes(t))).toBe(true);
  });
});
