import { describe, expect, it } from "vitest";
import { explain, formatExplained, Inconclusive } from "../program/errors.js";
import {
  DEFAULT_RETRY,
  describeRetry,
  explainInconclusive,
  type InconclusiveFacts,
  interferenceOf,
  isInterference,
  retryDelay,
  takesStrongLocks,
} from "./interference.js";
import { parseFileTap, type SqlErrorInfo } from "./tap-results.js";

const PATH = "db/tests/inv1_active_config_undeletable/active_config_delete_refused.test.sql";
const PLAN2 = "1..2\nok 1 - first\n";

function stopped(error: SqlErrorInfo) {
  return parseFileTap(PATH, PLAN2, { error });
}

describe("isInterference: the SQLSTATEs of contention, not of a broken guarantee", () => {
  it.each(["55P03", "57014", "25P03", "40P01", "40001"])("%s is interference", (s) =>
    expect(isInterference(s)).toBe(true),
  );
  it.each(["ZA001", "23505", "42P01", "P0001", "23503", "57P01", undefined])("%s is evidence", (s) =>
    expect(isInterference(s)).toBe(false),
  );
});

describe("interferenceOf", () => {
  it("a file stopped by lock_not_available, with the table from the TABLE/SCHEMA fields", () => {
    const r = stopped({
      sqlstate: "55P03",
      message: "could not lock workflow_stages in ACCESS EXCLUSIVE mode without queueing",
      table: "workflow_stages",
      schema: "public",
    });
    expect(interferenceOf(r)).toEqual({
      sqlstate: "55P03",
      message: "could not lock workflow_stages in ACCESS EXCLUSIVE mode without queueing",
      table: "public.workflow_stages",
    });
  });

  it('the table from `relation "x"` in the message or the context', () => {
    const nowait = stopped({ sqlstate: "55P03", message: 'could not obtain lock on relation "audit_logs"' });
    expect(interferenceOf(nowait)?.table).toBe("audit_logs");
    const row = stopped({
      sqlstate: "55P03",
      message: "canceling statement due to lock timeout",
      where: 'while updating tuple (0,3) in relation "workflow_instances"',
    });
    expect(interferenceOf(row)?.table).toBe("workflow_instances");
  });

  it.each([
    ["57014", "canceling statement due to statement timeout"],
    ["25P03", "terminating connection due to idle-in-transaction timeout"],
    ["40P01", "deadlock detected"],
    ["40001", "could not serialize access due to concurrent update"],
  ])("a file stopped by %s, no table named", (sqlstate, message) => {
    expect(interferenceOf(stopped({ sqlstate, message }))).toEqual({ sqlstate, message });
  });

  it("an assertion that caught a lock timeout (throws_ok: caught, lives_ok: died, is: have)", () => {
    const caught = [
      "1..2",
      "ok 1 - first",
      "not ok 2 - inv1: truncating is refused",
      '# Failed test 2: "inv1: truncating is refused"',
      "#       caught: 55P03: canceling statement due to lock timeout",
      "#       wanted: ZA001: cannot truncate config_versions",
      "",
    ].join("\n");
    expect(interferenceOf(parseFileTap(PATH, caught))).toEqual({
      sqlstate: "55P03",
      message: "canceling statement due to lock timeout",
    });
    const died = caught.replace("caught: 55P03", "died: 40P01").replace("lock timeout", "deadlock");
    expect(interferenceOf(parseFileTap(PATH, died))?.sqlstate).toBe("40P01");
    const have = caught.replace("caught: 55P03", "have: 57014");
    expect(interferenceOf(parseFileTap(PATH, have))?.sqlstate).toBe("57014");
  });

  it("evidence stays evidence: a guarantee's own error, a wrong value, a pass", () => {
    expect(
      interferenceOf(stopped({ sqlstate: "ZA001", message: "cannot delete ACTIVE config version" })),
    ).toBe(undefined);
    const wrong = "1..1\nnot ok 1 - refused\n# Failed test 1\n#         have: ok\n#         want: ZA001: x\n";
    expect(interferenceOf(parseFileTap(PATH, wrong))).toBe(undefined);
    const caughtOther =
      "1..1\nnot ok 1 - refused\n#       caught: 23505: duplicate key\n#       wanted: ZA001: x\n";
    expect(interferenceOf(parseFileTap(PATH, caughtOther))).toBe(undefined);
    expect(interferenceOf(parseFileTap(PATH, "1..1\nok 1 - fine\n"))).toBe(undefined);
    const aNumber =
      "1..1\nnot ok 1 - counted\n# Failed test 1\n#         have: 40001\n#         want: 40002\n";
    expect(interferenceOf(parseFileTap(PATH, aNumber))).toBe(undefined);
  });
});

describe("retryDelay: doubling backoff inside the budget", () => {
  it("250 ms, 500 ms, 1 s, ... capped at 8 s", () => {
    const delays = [1, 2, 3, 4, 5, 6, 7].map((a) => retryDelay(a, 0, DEFAULT_RETRY));
    expect(delays).toEqual([250, 500, 1000, 2000, 4000, 8000, 8000]);
  });
  it("never beyond the budget, and none once it is spent", () => {
    expect(retryDelay(5, 29_000, DEFAULT_RETRY)).toBe(1000);
    expect(retryDelay(1, 30_000, DEFAULT_RETRY)).toBe(undefined);
    expect(retryDelay(1, 0, { ...DEFAULT_RETRY, budgetMs: 0 })).toBe(undefined);
  });
  it("the default budget allows at least six attempts of a file", () => {
    let elapsed = 0;
    let attempts = 1;
    for (
      let d = retryDelay(1, 0, DEFAULT_RETRY);
      d !== undefined;
      d = retryDelay(attempts, elapsed, DEFAULT_RETRY)
    ) {
      elapsed += d;
      attempts++;
    }
    expect(attempts).toBeGreaterThanOrEqual(6);
    expect(elapsed).toBe(DEFAULT_RETRY.budgetMs);
  });
});

describe("describeRetry: the progress line while a file waits", () => {
  it("names the file, the interference, the table and the delay", () => {
    const hit = { sqlstate: "55P03", message: "x", table: "public.audit_logs" };
    expect(describeRetry("db/tests/i3/a.test.sql", hit, 2, 500)).toBe(
      "wait db/tests/i3/a.test.sql: lock not available (55P03) on public.audit_logs on attempt 2; again in 500 ms",
    );
  });
});

describe("takesStrongLocks", () => {
  it("a file calling the no-queueing helper runs alone", () => {
    expect(
      takesStrongLocks(
        "select is(pg_temp.gn_try_without_queueing('truncate t', array['t'::regclass]), 'x');",
      ),
    ).toBe(true);
  });
  it("a mention in a comment, or no call at all, does not", () => {
    expect(takesStrongLocks("-- see gn_try_without_queueing(...)\nselect 1;")).toBe(false);
    expect(takesStrongLocks("select throws_ok('delete from t', 'ZA001');")).toBe(false);
  });
});

describe("an inconclusive run: exit 3, one line naming the check, the table and the holder", () => {
  const facts: InconclusiveFacts = {
    check: "INV1",
    file: PATH,
    interference: {
      sqlstate: "55P03",
      message: "could not lock workflow_stages in ACCESS EXCLUSIVE mode without queueing",
      table: "public.workflow_stages",
    },
    attempts: 6,
    elapsedMs: 30_400,
    holders: [
      {
        table: "workflow_stages",
        pid: 4242,
        applicationName: "apms-api",
        state: "idle in transaction",
        mode: "AccessShareLock",
        seconds: 18.25,
      },
    ],
  };

  it("names everything a DBA needs, and is never a verdict", () => {
    const x = explain(new Inconclusive(facts));
    expect(x.exitCode).toBe(3);
    expect(x.reason).toContain("inconclusive");
    expect(x.reason).toContain("check INV1");
    expect(x.reason).toContain("public.workflow_stages");
    expect(x.reason).toContain(
      'pid 4242 (application_name "apms-api", idle in transaction for 18.3 s, AccessShareLock',
    );
    expect(x.reason).toContain("6 attempt(s) in 30.4 s");
    expect(x.reason).not.toMatch(/NO-GO|HOLD/);
    expect(x.fix).toMatch(/pid 4242/);
    expect(x.fix).toMatch(/--retry-budget/);
    const line = formatExplained(x);
    expect(line.split("\n")).toHaveLength(2); // one line and its newline
    expect(line).toMatch(/^gonogo: inconclusive, no verdict: .*; fix: contention is not evidence/);
  });

  it("says so when the holder is gone by the time it is looked up, or its state is hidden", () => {
    expect(explainInconclusive({ ...facts, holders: [] }).reason).toContain(
      "no session holds a lock on it any more",
    );
    const hidden = {
      ...facts,
      holders: [{ ...(facts.holders[0] as (typeof facts.holders)[0]), state: null }],
    };
    expect(explainInconclusive(hidden).reason).toContain("state hidden (needs pg_read_all_stats)");
  });
});
