// The benchmarks are not timed tests: CI runs them only in smoke mode (`node bench/run.mjs --quick`:
// one run each, tiny volumes) to check that every benchmark still runs and prints its table.
// Missed targets are reported in the table, not failed here.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it, onTestFinished } from "vitest";
import { ROOT } from "../../../orchestrator/apply/sql-files.js";

describe("bench/run.mjs --quick", () => {
  it("runs every benchmark and prints one table", { timeout: 960_000 }, () => {
    // results to a scratch file: bench/results/latest.json keeps the last full run
    const dir = mkdtempSync(join(tmpdir(), "gonogo-bench-"));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const out = join(dir, "quick.json");
    const r = spawnSync(process.execPath, [join(ROOT, "bench", "run.mjs"), "--quick", "--out", out], {
      cwd: ROOT,
      encoding: "utf8",
      env: { ...process.env, DATABASE_URL: "" },
      // a whole quick run is ~5 min on a quiet machine; under a loaded one (CI beside other work) twice that
      timeout: 950_000,
    });
    expect(r.stderr).not.toMatch(/FAILED/);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^\| benchmark \| metric \| value \| target \| result \|$/m);
    for (const bench of [
      "cold verify",
      "vs pg_prove",
      "parallel scaling",
      "data at scale",
      "trigger cost",
      "context cost",
      "activation race",
      "deploy",
      "rehearse",
    ]) {
      expect(r.stdout).toContain(`| ${bench} |`);
    }
    expect(r.stdout).not.toContain("could not run");
    const latest = JSON.parse(readFileSync(out, "utf8"));
    expect(latest.mode).toBe("quick");
    expect(latest.failures).toEqual([]);
    // the activation race must hold its invariant even in smoke mode
    const race = latest.results.filter((x: { bench: string }) => x.bench === "activation race");
    expect(race.filter((x: { pass?: boolean }) => x.pass === false)).toEqual([]);
  });
});
