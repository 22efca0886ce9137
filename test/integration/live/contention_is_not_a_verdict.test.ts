// Interference is not evidence (issue 15): a file that ends on lock contention, a timeout, a
// deadlock or a serialization failure is retried in a fresh transaction; when it still cannot run,
// the run is inconclusive (exit 3, naming the check, the table and the session holding the lock),
// never NO-GO or HOLD.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { afterEach, describe, expect, it } from "vitest";
import { ROOT } from "../../../orchestrator/apply/sql-files.js";
import { explain, Inconclusive } from "../../../orchestrator/program/errors.js";
import type { Interference } from "../../../orchestrator/suite/interference.js";
import { discoverTests, runSuite } from "../../../orchestrator/suite/runner.js";
import { score } from "../../../orchestrator/suite/score.js";
import { verify } from "../../../orchestrator/suite/verification.js";
import { connect, DEFAULT_SESSION } from "../../../orchestrator/target/connection.js";
import { createDatabase, type TestDatabase } from "../../support/db.js";
import { gonogo } from "../../support/gonogo.js";
import { contentionSeen, holdAccessShare } from "../../support/live.js";

const sink = () =>
  new Writable({
    write(_c, _e, cb) {
      cb();
    },
  });
const quiet = () => ({ stdout: sink(), stderr: sink(), jobs: 2 });

const dbs: TestDatabase[] = [];
const releases: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(releases.splice(0).map((r) => r()));
  await Promise.all(dbs.splice(0).map((d) => d.drop()));
});
async function database() {
  const d = await createDatabase({ kind: "migrated" });
  dbs.push(d);
  return d;
}
async function hold(d: TestDatabase, table: string) {
  const app = await holdAccessShare(d.connection, table);
  releases.push(app.release);
  return app;
}

describe("contention during a run", () => {
  it("an application transaction that ends while the suite waits: the file is retried, the verdict is GO", async () => {
    const d = await database();
    const app = await hold(d, "workflow_stages");
    const retries: Interference[] = [];
    const files = discoverTests("db/tests", ROOT);
    const results = await runSuite({
      files,
      root: ROOT,
      jobs: 2,
      mode: "url",
      connect: () => connect(d.connection, DEFAULT_SESSION),
      onRetry: (_path, hit) => {
        retries.push(hit);
        // the application commits after the suite's first attempt gave up on its lock
        void app.release();
      },
    });
    expect(retries[0]).toMatchObject({ sqlstate: "55P03", table: "public.workflow_stages" });
    expect(score(results).decision).toBe("GO");
  });

  it("an application transaction open for the whole run: inconclusive, naming check, table and holder", async () => {
    const d = await database();
    const app = await hold(d, "workflow_stages");
    const err = await verify({
      ...quiet(),
      databaseUrl: d.url,
      session: { ...DEFAULT_SESSION, retryBudgetMs: 500 },
    }).catch((e) => e);
    expect(err).toBeInstanceOf(Inconclusive);
    const facts = (err as Inconclusive).facts;
    expect(facts.check).toBe("INV1");
    expect(facts.attempts).toBeGreaterThanOrEqual(2);
    const x = explain(err);
    expect(x.exitCode).toBe(3);
    expect(x.reason).toMatch(/^inconclusive, no verdict: check INV1 /);
    expect(x.reason).toContain("on table public.workflow_stages");
    expect(x.reason).toContain(`pid ${app.pid} (application_name "apms-app", idle in transaction for `);
    expect(x.reason).toContain("AccessShareLock on workflow_stages");
    expect(x.reason).not.toMatch(/NO-GO|HOLD/);
    expect(x.fix).toContain(`pid ${app.pid}`);
  });

  it("the CLI: exit 3 with one stderr line, no verdict on stdout", async () => {
    const d = await database();
    const app = await hold(d, "audit_logs");
    const r = await gonogo(["verify", "--database-url", d.url, "--jobs", "2", "--format", "json"], {
      env: { GONOGO_RETRY_BUDGET: "0" },
    });
    expect(r.code).toBe(3);
    expect(r.stdout).toBe("");
    const lines = r.stderr.trim().split("\n");
    expect(lines.at(-1)).toMatch(
      new RegExp(
        `^gonogo: inconclusive, no verdict: check I3 .*on table public\\.audit_logs, held by pid ${app.pid} `,
      ),
    );
    expect(lines.at(-1)).toMatch(/; fix: contention is not evidence/);
  });

  it("a statement timeout is not a verdict either", async () => {
    const d = await database();
    const err = await runSuite({
      files: discoverTests("db/tests", ROOT),
      root: ROOT,
      jobs: 2,
      mode: "url",
      // the I1 plans file alone runs for seconds: it is cancelled on every attempt
      connect: () => connect(d.connection, { ...DEFAULT_SESSION, statementTimeoutMs: 100 }),
      retryBudgetMs: 0,
    }).catch((e) => e);
    expect(err).toBeInstanceOf(Inconclusive);
    expect((err as Inconclusive).facts.interference.sqlstate).toBe("57014");
    expect(explain(err).reason).toMatch(
      /ended on statement timeout \(57014: canceling statement due to statement timeout\)/,
    );
  });

  it("contention is seen and waited out with the default budget: GO, as on a quiet database", async () => {
    const d = await database();
    const app = await hold(d, "config_versions");
    const run = verify({ ...quiet(), databaseUrl: d.url });
    expect(await contentionSeen(d.connection)).toBe(true);
    await app.release();
    const out = await run;
    expect(out.report.decision).toBe("GO");
    expect(out.exitCode).toBe(0);
  });
});

/** Run one test file (in a temporary suite) against d; the SQLSTATEs it was retried on, and its result. */
async function runOneFile(d: TestDatabase, sql: string) {
  const root = mkdtempSync(join(tmpdir(), "gonogo-retry-"));
  try {
    mkdirSync(join(root, "c1_one"));
    writeFileSync(join(root, "c1_one", "one.test.sql"), sql);
    const retriedOn: string[] = [];
    const [result] = await runSuite({
      files: ["c1_one/one.test.sql"],
      root,
      jobs: 1,
      mode: "url",
      connect: () => connect(d.connection, DEFAULT_SESSION),
      onRetry: (_p, hit) => retriedOn.push(hit.sqlstate),
    });
    return { retriedOn, result };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

describe("each interference SQLSTATE is retried in a fresh transaction (real errors from the server)", () => {
  it("25P03, then 40P01, then 40001, then the file runs: its own result counts", async () => {
    const d = await database();
    const admin = await d.connect();
    // non-transactional, so it counts attempts across the rolled-back transactions
    await admin.query("create sequence public.gn_attempts");
    const { retriedOn, result } = await runOneFile(
      d,
      `begin;
select plan(1);
do $$
declare
  v_attempt bigint := nextval('public.gn_attempts');
begin
  if v_attempt = 1 then raise exception 'idle-in-transaction timeout (simulated by the server)' using errcode = '25P03'; end if;
  if v_attempt = 2 then raise exception 'deadlock detected (simulated by the server)' using errcode = '40P01'; end if;
  if v_attempt = 3 then raise exception 'could not serialize access (simulated by the server)' using errcode = '40001'; end if;
end $$;
select pass('ran undisturbed on attempt 4');
select * from finish();
rollback;
`,
    );
    expect(retriedOn).toEqual(["25P03", "40P01", "40001"]);
    expect(result?.ok).toBe(true);
    expect(result?.assertions.map((a) => a.description)).toEqual(["ran undisturbed on attempt 4"]);
  });

  it("a failure that is evidence is not retried", async () => {
    const d = await database();
    const { retriedOn, result } = await runOneFile(
      d,
      "begin;\nselect plan(1);\nselect throws_ok('select 1', 'ZA001', 'x', 'a guarantee that is missing');\nselect * from finish();\nrollback;\n",
    );
    expect(retriedOn).toEqual([]);
    expect(result?.ok).toBe(false);
  });
});
