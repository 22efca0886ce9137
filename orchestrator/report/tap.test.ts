// TAP (renderTap): TAP 14 with one subtest per file, read back by tap-parser; `--tap-version 13`
// read by Perl's TAP::Parser (prove, pg_prove) without a parse error or warning, with the same
// test points and failures.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Parser } from "tap-parser";
import { describe, expect, it, onTestFinished } from "vitest";
import { goFiles, noGoFiles, sampleFiles, sampleReport } from "../../test/support/samples.js";
import { renderTap } from "./tap.js";

/** Feed a TAP stream to TAP::Parser; its counts, failed test numbers, parse errors and stderr. */
function perlParse(tap: string) {
  const script = `
use strict; use warnings; use TAP::Parser;
local $/; my $tap = <STDIN>;
my $p = TAP::Parser->new({ tap => $tap });
while (defined(my $r = $p->next)) {}
print join("\\t", scalar($p->tests_run), join(",", $p->failed), join(" | ", $p->parse_errors),
  $p->has_problems ? 1 : 0), "\\n";`;
  const r = spawnSync("perl", ["-e", script], { input: tap, encoding: "utf8" });
  const [run, failed, errors, problems] = r.stdout.trim().split("\t");
  return { status: r.status, stderr: r.stderr, run: Number(run), failed, errors, problems };
}

/** prove, as a user would run it on a saved stream (--norc: the repo's .proverc is for pg_prove). */
function prove(tap: string) {
  const dir = mkdtempSync(join(tmpdir(), "gonogo-tap-"));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, "results.tap"), tap);
  return spawnSync("prove", ["--norc", "--exec", "cat", "results.tap"], { cwd: dir, encoding: "utf8" });
}

const go = goFiles();
const noGo = noGoFiles();

describe("TAP 14", () => {
  function parse(text: string) {
    const p = new Parser();
    let result: Parser["results"] | undefined;
    p.on("complete", (r) => {
      result = r;
    });
    p.end(text);
    return result as NonNullable<Parser["results"]>;
  }

  it("a GO run is a passing TAP stream with one subtest per file", () => {
    const text = renderTap(sampleReport(go), go);
    expect(text.startsWith("TAP version 14\n1..15\n# Subtest: ")).toBe(true);
    const r = parse(text);
    expect(r.ok).toBe(true);
    expect(r.count).toBe(15);
  });

  it("failed files are failing test points, their diagnostics kept", () => {
    const text = renderTap(sampleReport(noGo), noGo);
    const r = parse(text);
    expect(r.ok).toBe(false);
    expect(r.count).toBe(15);
    expect(r.failures.map((f) => f.name)).toEqual([
      "db/tests/c3_sample/behaviour.test.sql [C3]",
      "db/tests/i1_sample/behaviour.test.sql [I1]",
      "db/tests/e2_sample/behaviour.test.sql [E2]",
    ]);
    expect(text).toContain("    # SQLSTATE 42P01 at db/tests/e2_sample/behaviour.test.sql:7:15");
    expect(text).toContain("# gonogo: NO-GO 12/15 (80%)");
  });
});

describe("--tap-version", () => {
  /** C3 and I1 fail an assertion (no SQL error): TAP::Parser sees two failed tests. */
  const assertionsOnly = sampleFiles(["C3", "I1"]);

  it("14 (the default) keeps its version line; TAP::Parser refuses it, which is why 13 exists", () => {
    const text = renderTap(sampleReport(go), go);
    expect(text.startsWith("TAP version 14\n")).toBe(true);
    expect(perlParse(text).errors).toMatch(/version 14/);
  });

  it("13: no version line, no subtests, parsed by TAP::Parser without error or warning", () => {
    const text = renderTap(sampleReport(go), go, 13);
    expect(text.startsWith("1..15\n")).toBe(true);
    expect(text).not.toMatch(/^TAP version/m);
    expect(text).not.toMatch(/^ +(not )?ok /m); // no indented (subtest) test points
    const r = perlParse(text);
    expect(r).toMatchObject({ status: 0, stderr: "", run: 15, failed: "", errors: "", problems: "0" });
    const p = prove(text);
    expect(p.status, p.stdout + p.stderr).toBe(0);
    expect(p.stdout).toContain("All tests successful.");
    expect(p.stderr).toBe("");
  });

  it("13: failed files are TAP::Parser's failed tests, pgTAP's diagnostics kept as comments", () => {
    const text = renderTap(sampleReport(assertionsOnly), assertionsOnly, 13);
    const r = perlParse(text);
    expect(r).toMatchObject({ status: 0, stderr: "", run: 15, failed: "4,8", errors: "", problems: "1" });
    expect(text).toContain("#     #       wanted: ZA001");
    const p = prove(text);
    expect(p.status).toBe(1);
    expect(p.stdout).toMatch(/Failed tests?: +4, 8/);
    expect(p.stderr).toBe("");
  });
});
