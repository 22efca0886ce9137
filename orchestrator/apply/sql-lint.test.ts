// scripts/lint-sql.mjs can fail: run it, as `npm run lint` does, on a scratch db/ holding one
// function file at a time, and check it refuses each unsafe pattern and accepts the safe one.
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it, onTestFinished } from "vitest";
import { ROOT } from "./sql-files.js";

function lint(sql: string) {
  const dir = mkdtempSync(join(tmpdir(), "gonogo-lint-"));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  mkdirSync(join(dir, "db", "functions"), { recursive: true });
  writeFileSync(join(dir, "db", "functions", "f.sql"), sql);
  const r = spawnSync(process.execPath, [join(ROOT, "scripts", "lint-sql.mjs")], {
    cwd: dir,
    encoding: "utf8",
  });
  return { status: r.status, out: r.stdout };
}

const definer = (path: string, body: string, revoke = true) => `
create or replace function public.f()
returns trigger
language plpgsql
security definer
set search_path = ${path}
as $$
begin
  ${body}
  return null;
end
$$;
${revoke ? "revoke execute on function public.f() from public;" : ""}
`;

describe("scripts/lint-sql.mjs function rules", () => {
  it("accepts a definer that pins pg_catalog, pg_temp, qualifies its relations and revokes EXECUTE", () => {
    const r = lint(definer("pg_catalog, pg_temp", "insert into public.audit_logs (actor) values ('x');"));
    expect(r.out).toBe("");
    expect(r.status).toBe(0);
  });

  it.each([
    [
      "an empty search_path",
      definer("''", "insert into public.audit_logs (actor) values ('x');"),
      /pin 'set search_path = pg_catalog, pg_temp'/,
    ],
    [
      "pg_temp first",
      definer("pg_temp, pg_catalog", "perform 1;"),
      /pin 'set search_path = pg_catalog, pg_temp'/,
    ],
    [
      "an unqualified relation",
      definer("pg_catalog, pg_temp", "insert into audit_logs (actor) values ('x');"),
      /names relation 'audit_logs' without its schema/,
    ],
    [
      "no revoke from PUBLIC",
      definer("pg_catalog, pg_temp", "perform 1;", false),
      /must 'revoke execute on function public\.f\(\.\.\.\) from public'/,
    ],
  ])("refuses %s", (_name, sql, message) => {
    const r = lint(sql);
    expect(r.out).toMatch(message);
    expect(r.status).toBe(1);
  });
});
