// The data pre-check's SQL (db/migrations/<id>/precheck.sql) against the migration it guards, read
// as text: the CHECK literals and the status-column detection are the migration's own, and every
// constraint the migration adds to a baseline table has a rule (the catalog proof, on real
// databases, is test/integration/migration/precheck_names_every_row_the_migration_would_reject.test.ts). Then the refusal's wording.
import { describe, expect, it } from "vitest";
import { BASELINE_TABLES } from "../migration.js";
import { type PrecheckResult, refusal } from "./precheck.js";
import { migrationFiles, precheckFileOf } from "./sql-files.js";

const migration = migrationFiles()[0];
if (!migration) throw new Error("no migration in db/migrations");
const precheck = precheckFileOf(migration);
if (!precheck) throw new Error(`no precheck.sql beside ${migration.path}`);

/** The quoted strings of `text` (doubled quotes kept as one). */
const quoted = (text: string) =>
  [...text.matchAll(/'((?:[^']|'')*)'/g)].map((m) => (m[1] ?? "").replace(/''/g, "'"));

/** The literals of the `in (...)` of the CHECK named `name` in migration.sql. */
function migrationCheckLiterals(name: string): string[] {
  const at = migration?.text.indexOf(`'${name}'`) ?? -1;
  const list = /\bin \(([^)]*)\)/.exec(migration?.text.slice(at) ?? "");
  expect(at, name).toBeGreaterThan(0);
  return quoted(list?.[1] ?? "");
}

/** The literals of `v_<name> text[] := array[...]` in precheck.sql. */
function precheckArray(variable: string): string[] {
  const m = new RegExp(`${variable} text\\[\\] := array\\[([^\\]]*)\\]`).exec(precheck?.text ?? "");
  expect(m, variable).not.toBeNull();
  return quoted(m?.[1] ?? "");
}

/** The guards of precheck.sql's rules: the first string of each `array[[`. */
const guards = [...(precheck?.text ?? "").matchAll(/array\[\[\s*'([^']+)'/g)].map((m) => m[1]);

describe("precheck.sql and migration.sql agree", () => {
  it.each([
    ["v_config_statuses", "config_versions_status_check"],
    ["v_instance_statuses", "workflow_instances_status_check"],
    ["v_stage_statuses", "workflow_stages_status_check"],
  ])("%s holds the literals of %s", (variable, check) => {
    expect(precheckArray(variable)).toEqual(migrationCheckLiterals(check));
  });

  it("detects the status columns among the migration's own candidates", () => {
    for (const pair of ["('status', 'workflow_status')", "('status', 'stage_status')"]) {
      expect(migration.text, pair).toContain(`attname in ${pair}`);
      expect(precheck.text, pair).toContain(`attname in ${pair}`);
    }
  });

  it("every constraint the migration adds to a baseline table (and keeps) has its rule, and no rule guards something else", () => {
    const baseline = BASELINE_TABLES.join("|");
    const added = [
      ...migration.text.matchAll(
        new RegExp(`(?:add_constraint_once|attach_unique)\\('public\\.(?:${baseline})', '([a-z_]+)'`, "g"),
      ),
      ...migration.text.matchAll(/add constraint ([a-z_]+) unique/g),
      ...migration.text.matchAll(
        new RegExp(
          `create unique index concurrently if not exists ([a-z_]+)\\s+on public\\.(?:${baseline})\\b`,
          "g",
        ),
      ),
    ].map((m) => m[1] as string);
    const dropped = [...migration.text.matchAll(/drop constraint ([a-z_]+)/g)].map((m) => m[1]);
    const kept = [...new Set(added)].filter((n) => !dropped.includes(n));
    const notNull = [
      ...migration.text.matchAll(/alter table public\.(\w+) alter column (\w+) set not null/g),
    ].map((m) => `${m[1]}.${m[2]} NOT NULL`);
    expect(kept.length).toBeGreaterThan(15);
    expect([...kept, ...notNull].filter((n) => !guards.includes(n))).toEqual([]);
    expect(guards.filter((g) => !kept.includes(g as string) && !notNull.includes(g as string))).toEqual([]);
    expect(new Set(guards).size).toBe(guards.length);
  });

  it("lives outside the migration's checksum and never runs in its place", () => {
    expect(precheck.path).toBe(migration.path.replace(/migration\.sql$/, "precheck.sql"));
    expect(migrationFiles().map((f) => f.path)).not.toContain(precheck.path);
  });
});

describe("refusal", () => {
  it("one line: rule, count, samples (with ... beyond them) and every fix", () => {
    const r: PrecheckResult = {
      guards: "workflow_stages_status_check",
      table: "workflow_stages",
      requirement: "",
      unit: "stage",
      applicable: true,
      count: 12,
      samples: [{ workspace: "OPCO-1", key: "s1 stage_status=DONE" }],
      fix: "set these stages' status, then apply again",
      durationMs: 1,
    };
    const x = refusal([r, { ...r, guards: "ok", count: 0 }]);
    expect(x.reason).toBe(
      "data pre-check: existing rows violate what the migration adds, nothing was applied: workflow_stages_status_check: 12 stages (OPCO-1: s1 stage_status=DONE; ...)",
    );
    expect(x.fix).toBe("set these stages' status, then apply again");
    expect(x.reason).not.toContain("\n");
  });
});
