// Mutation testing speed: `gonogo mutate` as a user runs it (throwaway cluster, every mutant in its
// own template clone, the suite on each), once: mutants per second, the whole run's wall clock
// against the 4-minute target, and where one mutant's time goes (clone, suite, drop medians).
// Quick mode mutates one table's indexes only, to check that it still runs.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CLI, exec } from "./lib.mjs";

export async function run(ctx) {
  const dir = mkdtempSync(join(tmpdir(), "gonogo-bench-mutate-"));
  try {
    const args = [CLI, "mutate", "--no-progress", "--report-dir", dir];
    if (ctx.quick) args.push("--only", "drop-index:audit_logs");
    const env = { ...process.env };
    delete env.DATABASE_URL;
    // exit 1 (survivors) is a result, not a failure of the benchmark
    const r = await exec(process.execPath, args, { env, check: true, okCodes: [0, 1] });
    const report = JSON.parse(readFileSync(join(dir, "mutation.json"), "utf8"));
    const s = report.summary;
    const wallS = r.wallMs / 1000;
    const ran = s.mutants - s.notRun;
    ctx.results.add({
      bench: "mutation",
      metric: "mutants",
      value: ran,
      note: `${s.killed} killed, ${s.survived} survived, ${s.allowlisted} allowlisted`,
    });
    ctx.results.add({ bench: "mutation", metric: "mutation score", value: s.score, unit: "%" });
    ctx.results.add({ bench: "mutation", metric: "mutants per second", value: ran / wallS });
    ctx.results.add({
      bench: "mutation",
      metric: "whole run",
      value: wallS,
      unit: "s",
      target: ctx.quick ? "" : "<= 240 s",
      pass: ctx.quick ? undefined : wallS <= 240,
    });
    for (const [k, label] of [
      ["medianCloneMs", "clone per mutant (median)"],
      ["medianSuiteMs", "suite per mutant (median)"],
      ["medianDropMs", "drop per mutant (median)"],
    ]) {
      ctx.results.add({
        bench: "mutation",
        metric: label,
        value: (report.timings[k] ?? 0) / 1000,
        unit: "s",
      });
    }
    ctx.extra.mutation = { summary: s, timings: report.timings, environment: report.environment };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
