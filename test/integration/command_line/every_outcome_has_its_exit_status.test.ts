// The front door, as a user runs it: the CLI process, its stdout, stderr and exit status.
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { XMLParser } from "fast-xml-parser";
import { describe, expect, it, onTestFinished } from "vitest";
import { ROOT } from "../../../orchestrator/apply/sql-files.js";
import { gonogo } from "../../support/gonogo.js";

describe("gonogo CLI", () => {
  it("--help lists the commands and exits 0", async () => {
    const r = await gonogo(["--help"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/verify/);
    expect(r.stdout).toMatch(/migrate/);
    expect(r.stdout).toMatch(/cluster/);
  });

  it("a bad flag exits 3", async () => {
    const r = await gonogo(["verify", "--no-such-flag"]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/unknown option/);
  });

  it("a bad --jobs exits 3", async () => {
    expect((await gonogo(["verify", "--jobs", "zero"])).code).toBe(3);
  });

  it("an unknown baseline exits 3 naming the choices", async () => {
    const r = await gonogo(["verify", "--baseline", "nope"]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/unknown baseline 'nope'/);
    expect(r.stderr).toMatch(/; fix: .*uuid/);
  });

  it("an unreachable URL exits 3 with one reason, one fix, and no password", async () => {
    const r = await gonogo(["verify", "--database-url", "postgresql://app:hunter2@127.0.0.1:1/apms"]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(
      /^gonogo: cannot reach 127\.0\.0\.1:1\/apms: connection refused; fix: [^\n]+\n$/,
    );
    expect(r.stdout + r.stderr).not.toContain("hunter2");
  });

  it("sslmode=require: node-pg's multi-line SSL warning does not break the one-line refusal", async () => {
    const r = await gonogo([
      "verify",
      "--database-url",
      "postgresql://a:hunter2@127.0.0.1:1/x?sslmode=require",
    ]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/^gonogo: cannot reach 127\.0\.0\.1:1\/x: [^\n]+\n$/);
  });

  it("DATABASE_URL is honoured the same way", async () => {
    const r = await gonogo(["verify"], {
      env: { DATABASE_URL: "postgresql://app:hunter2@127.0.0.1:1/apms" },
    });
    expect(r.code).toBe(3);
    expect(r.stderr).not.toContain("hunter2");
  });

  it.each(["uuid", "text"])(
    "verify --baseline %s: GO 15/15, exit 0, every report written",
    async (baseline) => {
      const dir = mkdtempSync(join(tmpdir(), "gonogo-reports-"));
      onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
      const r = await gonogo(["verify", "--baseline", baseline, "--report-dir", dir]);
      expect(r.code, r.stdout).toBe(0);
      expect(r.stdout).toContain("verdict   GO");
      expect(r.stdout).toContain("score     15/15 (100%)");
      const verdict = JSON.parse(readFileSync(join(dir, "verdict.json"), "utf8"));
      expect(verdict.decision).toBe("GO");
      expect(verdict.section0.configVersionsIdType).toBe(baseline);
      expect(Object.keys(verdict.timings)).toEqual(
        expect.arrayContaining(["clusterStartMs", "prepareMs", "runMs", "stopMs", "totalMs"]),
      );
      const junit = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "" }).parse(
        readFileSync(join(dir, "junit.xml"), "utf8"),
      );
      expect(junit.testsuites.failures).toBe("0");
      expect(readFileSync(join(dir, "results.tap"), "utf8")).toMatch(/^TAP version 14\n/);
      expect(readFileSync(join(dir, "declaration.md"), "utf8")).toContain("[x] 🟢 GO");
    },
  );

  it("--format json and --format tap on stdout", async () => {
    const json = await gonogo(["verify", "--format", "json", "--jobs", "1"]);
    expect(json.code, json.stdout.slice(0, 4000)).toBe(0);
    expect(JSON.parse(json.stdout).score.passed).toBe(15);
    const tap = await gonogo(["verify", "--format", "tap"]);
    expect(tap.code).toBe(0);
    expect(tap.stdout).toMatch(/^TAP version 14\n1\.\.\d+\n# Subtest: /);
  });

  it("a failing suite gives NO-GO and exit 1", async () => {
    const r = await gonogo(["verify", "--tests", "test/fixtures/suites/mixed"]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("verdict   NO-GO");
    expect(r.stdout).toMatch(/FAIL {2}E1/); // no files for E1: missing evidence
  });

  it("cluster up prints DATABASE_URL last; cluster down removes it", async () => {
    const up = await gonogo(["cluster", "up", "--baseline", "text"]);
    try {
      expect(up.code).toBe(0);
      const last = up.stdout.trim().split("\n").at(-1) ?? "";
      expect(last).toMatch(/^DATABASE_URL=postgresql:\/\//);
      const url = last.slice("DATABASE_URL=".length);
      // A second `cluster up` refuses, naming the running cluster's URL and how to stop it ...
      const again = await gonogo(["cluster", "up"]);
      expect(again.code).toBe(3);
      expect(again.stderr).toBe(
        `gonogo: a cluster is already up (DATABASE_URL=${url}); fix: use it, or stop it with \`gonogo cluster down\` (make cluster-down) and run this again\n`,
      );
      // ... and so does `verify --keep`, before it starts anything; the first cluster still serves:
      expect((await gonogo(["verify", "--keep"])).code).toBe(3);
      const v = await gonogo(["verify", "--database-url", url, "--format", "json"]);
      expect(v.code).toBe(0);
      expect(JSON.parse(v.stdout).section0.configVersionsIdType).toBe("text");
    } finally {
      const down = await gonogo(["cluster", "down"]);
      expect(down.code).toBe(0);
      expect(down.stdout).toMatch(/stopped and removed/);
    }
    expect(existsSync(join(ROOT, ".gonogo/cluster.json"))).toBe(false);
  });
});
