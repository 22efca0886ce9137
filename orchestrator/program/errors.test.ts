import { describe, expect, it } from "vitest";
import { ClusterError } from "../cluster/binaries.js";
import { BadArgument } from "../target/connection.js";
import { explain, formatExplained, GonogoError, SqlFileError } from "./errors.js";

const ctx = { target: "db.example.com:5432/apms", user: "app", secrets: ["hunter2"] };
const pgError = (code: string, message: string) => Object.assign(new Error(message), { code });

describe("explain: every failure is exit 3 with one reason and one fix", () => {
  it.each([
    [
      "unreachable host",
      pgError("ECONNREFUSED", "connect ECONNREFUSED 10.0.0.1:5432"),
      /connection refused/,
      /host and port/,
    ],
    ["unknown host", pgError("ENOTFOUND", "getaddrinfo ENOTFOUND db"), /host name not found/, /host name/],
    [
      "bad password",
      pgError("28P01", 'password authentication failed for user "app"'),
      /password authentication failed for user app/,
      /PGPASSWORD|pgpass/,
    ],
    [
      "missing database",
      pgError("3D000", 'database "apms" does not exist'),
      /does not exist/,
      /database name/,
    ],
    [
      "pg_hba refusal",
      pgError("28000", 'no pg_hba.conf entry for host "1.2.3.4"'),
      /refused the login/,
      /pg_hba/,
    ],
    [
      "no SSL",
      new Error("The server does not support SSL connections"),
      /does not support SSL/,
      /sslmode=disable/,
    ],
    ["bad flag", new BadArgument("lock timeout 'soon' is not a duration"), /not a duration/, /--help/],
    ["no server binaries", new ClusterError("initdb not found"), /initdb/, /make deps/],
  ])("%s", (_name, err, reason, fix) => {
    const x = explain(err, ctx);
    expect(x.exitCode).toBe(3);
    expect(x.reason).toMatch(reason);
    expect(x.fix).toMatch(fix);
    expect(x.reason).not.toContain("\n");
  });

  it("anticipated failures (missing pgTAP, not migrated) keep their own wording", () => {
    const x = explain(new GonogoError("pgTAP is not available", "install postgresql-15-pgtap"), ctx);
    expect(x).toEqual({ exitCode: 3, reason: "pgTAP is not available", fix: "install postgresql-15-pgtap" });
  });

  it("a SQL error in the migration names file, line and column", () => {
    const e = new SqlFileError(
      "db/migrations/x/migration.sql:12:5: 42601 syntax error",
      "db/migrations/x/migration.sql",
      12,
      5,
      "42601",
    );
    const x = explain(e, ctx);
    expect(x.reason).toContain("db/migrations/x/migration.sql:12:5");
    expect(x.fix).toContain("db/migrations/x/migration.sql:12:5");
  });

  it("never shows a password", () => {
    const x = explain(new Error("cannot use postgresql://app:hunter2@db/apms: boom hunter2"), ctx);
    expect(x.reason).not.toContain("hunter2");
    expect(formatExplained(x)).toMatch(/^gonogo: [^\n]*; fix: [^\n]*\n$/);
  });
});
