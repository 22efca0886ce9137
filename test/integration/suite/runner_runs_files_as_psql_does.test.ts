// The pooled runner against psql: for the same files on the same database, psql -X -v
// ON_ERROR_STOP=1 -tA and runFile produce the same ok / not ok sequence and the same plan.
import { execFileSync, spawnSync } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listSql, ROOT, testFiles } from "../../../orchestrator/apply/sql-files.js";
import { runFile, runSuite } from "../../../orchestrator/suite/runner.js";
import { type FileResult, parseFileTap } from "../../../orchestrator/suite/tap-results.js";
import { connect, DEFAULT_SESSION } from "../../../orchestrator/target/connection.js";
import { createDatabase, type TestDatabase } from "../../support/db.js";

let db: TestDatabase;
beforeAll(async () => {
  db = await createDatabase({ baseline: "uuid", kind: "migrated" });
});
afterAll(async () => {
  await db?.drop();
});

function viaPsql(path: string): string {
  const r = spawnSync("psql", ["-X", "-q", "-v", "ON_ERROR_STOP=1", "-tA", "-d", db.url, "-f", path], {
    cwd: ROOT,
    encoding: "utf8",
  });
  return r.stdout;
}

const sequence = (tap: string, path: string) => {
  const r = parseFileTap(path, tap);
  return { plan: r.tests.planned, asserts: r.assertions.map((a) => `${a.ok ? "ok" : "not ok"} ${a.id}`) };
};

const fixtureFiles = [
  ...listSql(`${ROOT}/test/fixtures/suites/go`, ".test.sql"),
  ...listSql(`${ROOT}/test/fixtures/suites/mixed`, ".test.sql").filter(
    // psql runs \! and commits; the runner refuses them by design (covered below).
    (f) => !/bad_meta|commits/.test(f),
  ),
];

describe("runner = psql -X -v ON_ERROR_STOP=1 -tA", () => {
  it.each([...fixtureFiles, ...testFiles()])("%s", async (path) => {
    const client = await connect(db.connection, DEFAULT_SESSION);
    try {
      const ours = await runFile(client, path, { root: ROOT, mode: "cluster" });
      expect(sequence(ours.tap, path)).toEqual(sequence(viaPsql(path), path));
    } finally {
      await client.end();
    }
  });
});

describe("per-connection state (throwaway cluster): helpers and pgTAP's tables made once, same results", () => {
  const helpers = "db/tests/_support/helper-functions.psql";
  const probe = "test/fixtures/suites/session/c1_schema/helpers_exist_before_the_file.test.sql";
  type Opts = { mode: "cluster" | "url"; sessionHelpers?: string; reusePgtapTables?: boolean; jobs?: number };
  const run = (files: string[], opts: Opts, priority?: (p: string) => number) =>
    runSuite({
      files,
      root: ROOT,
      jobs: opts.jobs ?? 1,
      ...opts,
      priority,
      connect: () => connect(db.connection, DEFAULT_SESSION),
    });
  const full = { mode: "cluster", sessionHelpers: helpers, reusePgtapTables: true } as const;

  it("every suite and fixture file gives psql's plan and ok / not ok sequence, files sharing connections", async () => {
    const files = [...fixtureFiles, ...testFiles()];
    for (const jobs of [1, 2]) {
      const results = await run(files, { ...full, jobs });
      for (const r of results)
        expect(sequence(r.tap, r.path), `${r.path} (${jobs} connections)`).toEqual(
          sequence(viaPsql(r.path), r.path),
        );
    }
  });

  it("a file that commits its plan does not leak it into the next file on the connection", async () => {
    const files = [
      "test/fixtures/suites/mixed/i3_audit/commits.test.sql",
      "test/fixtures/suites/go/c1_schema/passes.test.sql",
      "test/fixtures/suites/mixed/c5_isolation/todo.test.sql",
    ];
    const shape = (r: FileResult) => [r.ok, r.tests.planned, r.tests.failed, r.assertions[0]?.id];
    const alone = await Promise.all(files.map(async (f) => (await run([f], { mode: "cluster" }))[0]));
    const shared = await run(files, full, (p) => -files.indexOf(p));
    expect(shared.map(shape)).toEqual(alone.map((r) => shape(r as FileResult)));
    expect(shared.map((r) => r.assertions[0]?.id)).toEqual([1, 1, 1]);
  });

  it("the helpers exist before a file runs only on a throwaway cluster that asked for them", async () => {
    const ok = async (o: Parameters<typeof run>[1]) => (await run([probe], o))[0]?.ok;
    expect(await ok({ mode: "cluster", sessionHelpers: helpers })).toBe(true);
    expect(await ok({ mode: "cluster" })).toBe(false);
    expect(await ok({ mode: "url", sessionHelpers: helpers })).toBe(false);
  });

  it("a helper file that fails leaves the connection as if it had none", async () => {
    const r = await run([probe], {
      mode: "cluster",
      sessionHelpers: "test/fixtures/suites/session/_support/broken-helper-functions.psql",
    });
    expect(r[0]?.ok).toBe(false);
    expect(r[0]?.error).toBeUndefined();
  });
});

describe("runner semantics", () => {
  it("an SQL error stops the file at that statement, names file:line:col, and the connection is usable after", async () => {
    const client = await connect(db.connection, DEFAULT_SESSION);
    try {
      const path = "test/fixtures/suites/mixed/c2_types/sql_error.test.sql";
      const r = await runFile(client, path, { root: ROOT, mode: "cluster" });
      expect(r.ok).toBe(false);
      expect(r.tests.run).toBe(1);
      expect(r.error).toMatchObject({ sqlstate: "42703", file: path, line: 4, column: 8 });
      const next = await runFile(client, "test/fixtures/suites/go/c1_schema/passes.test.sql", {
        root: ROOT,
        mode: "cluster",
      });
      expect(next.ok).toBe(true);
    } finally {
      await client.end();
    }
  });

  it("URL mode refuses a file that would commit, and an unsupported meta-command, without running them", async () => {
    const files = [
      "test/fixtures/suites/mixed/i3_audit/commits.test.sql",
      "test/fixtures/suites/mixed/i2_validation/bad_meta.test.sql",
    ];
    const results = await runSuite({
      files,
      root: ROOT,
      jobs: 2,
      mode: "url",
      connect: () => connect(db.connection, DEFAULT_SESSION),
    });
    expect(results.map((r) => r.ok)).toEqual([false, false]);
    expect(results[0]?.error?.message).toMatch(/nothing may be committed/);
    expect(results[1]?.error?.message).toMatch(/meta-command \\! is not supported/);
  });

  it("runs Section 0 first and returns results in file order", async () => {
    const files = listSql(`${ROOT}/test/fixtures/suites/go`, ".test.sql");
    const order: string[] = [];
    const results = await runSuite({
      files,
      root: ROOT,
      jobs: 3,
      mode: "cluster",
      connect: () => connect(db.connection, DEFAULT_SESSION, "XLSMART-AVIAT"),
      onFileStart: (p) => order.push(p),
    });
    expect(order[0]).toMatch(/s0_preflight/);
    expect(results.map((r) => r.path)).toEqual(files);
    expect(results.every((r) => r.ok)).toBe(true);
    expect(results.find((r) => r.check === "S0")?.section0.workspaceCode).toBe("XLSMART-AVIAT");
  });

  it("every connection carries application_name and the timeouts", async () => {
    const client = await connect(db.connection, {
      lockTimeoutMs: 1234,
      statementTimeoutMs: 5678,
      idleInTransactionTimeoutMs: 9000,
    });
    try {
      const { rows } = await client.query(
        "select current_setting('application_name') a, current_setting('lock_timeout') l, current_setting('statement_timeout') s, current_setting('idle_in_transaction_session_timeout') i",
      );
      expect(rows[0]).toEqual({ a: "gonogo", l: "1234ms", s: "5678ms", i: "9s" });
    } finally {
      await client.end();
    }
  });

  it("a crafted workspace code is bound, never spliced into SQL", async () => {
    const evil = "x'); drop table public.users; --";
    const client = await connect(db.connection, DEFAULT_SESSION, evil);
    try {
      const { rows } = await client.query(
        "select current_setting('gonogo.workspace') w, to_regclass('public.users') is not null t",
      );
      expect(rows[0]).toEqual({ w: evil, t: true });
    } finally {
      await client.end();
    }
  });

  it("psql is on the path for this comparison", () => {
    expect(execFileSync("psql", ["--version"], { encoding: "utf8" })).toMatch(/psql/);
  });
});
