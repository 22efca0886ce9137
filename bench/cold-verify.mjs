// Cold verify: `gonogo verify` with no database URL, as a DBA runs it: initdb + start a throwaway
// cluster, baseline, migration, functions, fixtures, pgTAP, the suite, reports, stop and remove.
// Wall clock of the whole process, its phases from verdict.json `timings`, and the orchestrator
// process's peak RSS (/usr/bin/time -v).
import pg from "pg";
import { gonogo, median } from "./lib.mjs";

/** Medians of each step of prepareDatabase, timed on fresh databases of the bench cluster. */
async function prepareBreakdown(ctx) {
  const o = ctx.orchestrator;
  const steps = {};
  const add = (k, v) => {
    if (!steps[k]) steps[k] = [];
    steps[k].push(v);
  };
  for (let i = 0; i < ctx.runs; i++) {
    const name = `bench_prepare_${i}`;
    await ctx.dropDatabase(name);
    const admin = new pg.Client(ctx.connection("postgres"));
    await admin.connect();
    await admin.query(`create database ${name}`);
    await admin.end();
    const c = new pg.Client(ctx.connection(name));
    await c.connect();
    try {
      await c.query("set client_min_messages = warning");
      let t = performance.now();
      const lap = (k) => {
        add(k, performance.now() - t);
        t = performance.now();
      };
      await o.applyFile(c, o.baselineFile(o.DEFAULT_BASELINE));
      lap("baseline");
      await c.query("create extension if not exists pgtap");
      lap("pgTAP install");
      for (const f of o.migrationFiles()) await o.runMigrationFile(c, f);
      lap("migration");
      for (const f of o.functionFiles()) await o.applyFile(c, f);
      lap("functions, triggers, policies");
      for (const f of o.fixtureFiles()) await o.applyFile(c, f);
      lap("fixtures");
    } finally {
      await c.end();
    }
    await ctx.dropDatabase(name);
  }
  return Object.fromEntries(Object.entries(steps).map(([k, v]) => [k, median(v)]));
}

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
  const names = {
    clusterStart: "cluster start (initdb + pg_ctl start)",
    prepare: "prepare (baseline, pgTAP install, migration, functions, fixtures)",
    run: "suite",
    stop: "cluster stop + remove",
    total: "total inside the process",
  };
  for (const [phase, v] of Object.entries(phases)) {
    results.add({
      bench: "cold verify",
      metric: `  phase: ${names[phase] ?? phase}`,
      value: median(v),
      unit: "ms",
    });
  }
  if (phases.total) {
    // what verdict.json cannot time: node start-up and module loading, writing the reports, exit
    const outside = wall.map((w, i) => w - (phases.total[i] ?? 0));
    results.add({
      bench: "cold verify",
      metric: "  phase: node start + reports + exit (wall - total)",
      value: median(outside),
      unit: "ms",
    });
  }
  // verdict.json times `prepare` as one phase: split it on the bench cluster, same steps
  const split = await prepareBreakdown(ctx);
  for (const [step, v] of Object.entries(split)) {
    results.add({ bench: "cold verify", metric: `    prepare step: ${step}`, value: v, unit: "ms" });
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
