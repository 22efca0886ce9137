// Cold verify: `gonogo verify` with no database URL, as a DBA runs it: initdb + start a throwaway
// cluster, baseline, migration, functions, fixtures, pgTAP, the suite, reports, stop and remove.
// Wall clock of the whole process, its phases from verdict.json `timings`, and the orchestrator
// process's peak RSS (/usr/bin/time -v).
import { gonogo, median } from "./lib.mjs";

export async function run(ctx) {
  const { results, log, runs } = ctx;
  const wall = [];
  const rss = [];
  const phases = {};
  const decisions = new Set();
  for (let i = 0; i < runs; i++) {
    const r = await gonogo(["verify", "--format", "json"], { peakMemory: true });
    wall.push(r.wallMs);
    if (r.maxRssKb) rss.push(r.maxRssKb / 1024);
    for (const [k, v] of Object.entries(r.timings)) {
      if (!phases[k]) phases[k] = [];
      phases[k].push(v);
    }
    decisions.add(r.decision ?? `exit ${r.code}`);
  }
  log(`cold-verify: wall ${wall.map(Math.round).join(",")} ms, peak RSS ${rss.map(Math.round).join(",")} MB`);
  const m = median(wall);
  results.add({
    bench: "cold verify",
    metric: "gonogo verify (throwaway cluster), wall",
    value: m,
    unit: "ms",
    target: "<= 3000 ms",
    pass: m <= 3000,
    note: [...decisions].join(", "),
  });
  for (const [phase, v] of Object.entries(phases)) {
    results.add({ bench: "cold verify", metric: `  phase: ${phase}`, value: median(v), unit: "ms" });
  }
  if (rss.length) {
    const peak = Math.max(...rss);
    results.add({
      bench: "cold verify",
      metric: "orchestrator peak RSS (max of runs)",
      value: peak,
      unit: "MB",
      target: "<= 150 MB",
      pass: peak <= 150,
    });
  } else {
    results.add({
      bench: "cold verify",
      metric: "orchestrator peak RSS",
      value: "n/a (/usr/bin/time missing)",
    });
  }
}
