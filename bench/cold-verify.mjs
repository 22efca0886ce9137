// Cold verify: `gonogo verify` with no database URL, as a DBA runs it: initdb + start a throwaway
// cluster, baseline, migration, functions, fixtures, pgTAP, the suite, reports, stop and remove.
// Wall clock of the whole process, its phases from verdict.json `timings`, and the orchestrator
// process's peak RSS (/usr/bin/time -v). Then the prepared-cluster cache: the first run on an
// empty cache (prepares and stores the entry) and warm runs (copy the entry, start, suite).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { exec, gonogo, median } from "./lib.mjs";

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

/** The cache: `runs` first runs on an empty cache, then `runs` warm runs on the last one. */
async function cached(ctx) {
  const { results, log, runs } = ctx;
  const build = [];
  const warm = [];
  const warmMake = [];
  const warmPhases = {};
  const uses = new Set();
  const dirs = [];
  try {
    for (let i = 0; i < runs; i++) {
      // $XDG_CACHE_HOME/gonogo, so that make verify below finds it with no option at all
      const xdg = mkdtempSync(join(tmpdir(), "gonogo-bench-cache-"));
      dirs.push(xdg);
      const dir = join(xdg, "gonogo");
      const r = await gonogo(["verify", "--format", "json", "--cache-dir", dir]);
      build.push(r.wallMs);
      uses.add(`first: ${r.verdict?.environment?.cache}`);
    }
    const xdg = dirs.at(-1);
    const dir = join(xdg, "gonogo");
    // interleaved, so a slower spell of the machine weighs on both rows alike
    for (let i = 0; i < runs; i++) {
      const r = await gonogo(["verify", "--format", "json", "--cache-dir", dir]);
      warm.push(r.wallMs);
      uses.add(`warm: ${r.verdict?.environment?.cache} ${r.decision}`);
      for (const [k, v] of Object.entries(r.timings)) {
        if (!warmPhases[k]) warmPhases[k] = [];
        warmPhases[k].push(v);
      }
      // what the README tells a user to type, exactly (`make verify`, no option): make's
      // up-to-date checks and deps included; the cache is the default one, $XDG_CACHE_HOME/gonogo
      // (without what a `make bench ARGS=...` around us exports: its ARGS would reach this make)
      const { MAKEFLAGS, MAKELEVEL, MFLAGS, MAKEOVERRIDES, ARGS, ...outside } = process.env;
      const m = await exec("make", ["-s", "--no-print-directory", "verify"], {
        env: { ...outside, XDG_CACHE_HOME: xdg, DATABASE_URL: "", GONOGO_NO_CACHE: "" },
        check: true,
        okCodes: [0],
      });
      warmMake.push(m.wallMs);
    }
  } finally {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  }
  log(
    `cache: first ${build.map(Math.round).join(",")} ms, warm ${warm.map(Math.round).join(",")} ms, warm make verify ${warmMake.map(Math.round).join(",")} ms`,
  );
  results.add({
    bench: "cold verify",
    metric: "gonogo verify, empty cache (prepares and stores the entry), wall",
    value: median(build),
    unit: "ms",
  });
  const m = median(warm);
  results.add({
    bench: "cold verify",
    metric: "gonogo verify, warm cache (copy + start + suite), wall",
    value: m,
    unit: "ms",
    target: "<= 1200 ms",
    pass: m <= 1200,
    note: [...uses].join(", "),
  });
  const mm = median(warmMake);
  results.add({
    bench: "cold verify",
    metric: "make verify, warm cache (the README's command: make's checks + the above), wall",
    value: mm,
    unit: "ms",
    target: "<= 1200 ms",
    pass: mm <= 1200,
  });
  for (const [phase, v] of Object.entries(warmPhases)) {
    results.add({ bench: "cold verify", metric: `  warm phase: ${phase}`, value: median(v), unit: "ms" });
  }
}

export async function run(ctx) {
  const { results, log, runs } = ctx;
  const wall = [];
  const rss = [];
  const phases = {};
  const decisions = new Set();
  for (let i = 0; i < runs; i++) {
    const r = await gonogo(["verify", "--format", "json", "--no-cache"], { peakMemory: true });
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
    metric: "gonogo verify --no-cache (throwaway cluster, cold), wall",
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
  await cached(ctx);
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
