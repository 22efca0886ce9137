#!/usr/bin/env node
// gonogo benchmarks: time to verdict (cold), against pg_prove, parallel scaling, data at scale,
// trigger cost, activation race, mutation testing speed. Measures on this machine and prints one table.
//
//   node bench/run.mjs            full mode (medians of --runs, default 5; ~15 minutes)
//   node bench/run.mjs --quick    smoke mode for CI: 1 run each, tiny volumes, checks it all works
//   node bench/run.mjs --only cold-verify,scaling --runs 7
//   node bench/run.mjs --out FILE  results JSON elsewhere than bench/results/latest.json
//
// Writes bench/results/latest.json and prints a markdown table. Exit status: 0 when every
// benchmark ran (a missed target is reported in the table, not as a failure; --strict makes it
// one), 1 when a benchmark could not run.
import { mkdirSync, writeFileSync } from "node:fs";
import { availableParallelism, cpus, totalmem } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { parseArgs } from "node:util";
import pg from "pg";
import { ensureBuilt, markdownTable, orchestrator, Results, ROOT } from "./lib.mjs";

const BENCHMARKS = [
  "cold-verify",
  "vs-pg-prove",
  "scaling",
  "scale-data",
  "trigger-cost",
  "context-cost",
  "activation-race",
  "deploy",
  "mutation",
  "rehearse",
];

const { values: args } = parseArgs({
  options: {
    quick: { type: "boolean", default: false },
    runs: { type: "string" },
    only: { type: "string" },
    strict: { type: "boolean", default: false },
    out: { type: "string" },
    help: { type: "boolean", short: "h", default: false },
  },
});
if (args.help) {
  console.log(
    `usage: node bench/run.mjs [--quick] [--runs N] [--only ${BENCHMARKS.join(",")}] [--strict] [--out FILE]`,
  );
  process.exit(0);
}
const quick = args.quick;
const runs = args.runs ? Number(args.runs) : quick ? 1 : 5;
const only = args.only ? args.only.split(",").map((s) => s.trim()) : BENCHMARKS;
for (const o of only) {
  if (!BENCHMARKS.includes(o)) {
    console.error(`bench: unknown benchmark '${o}'; use one of ${BENCHMARKS.join(", ")}`);
    process.exit(1);
  }
}

const started = performance.now();
const log = (msg) => console.error(`[bench ${((performance.now() - started) / 1000).toFixed(1)}s] ${msg}`);

ensureBuilt(log);
const o = await orchestrator();
const results = new Results();
const failures = [];

// One cluster for everything but the cold verify (which starts its own, as a user's would).
// Larger shared_buffers and WAL than the CLI's throwaway cluster: it holds the 1M/5M/10M database.
const cluster = await o.startCluster({
  settings: {
    shared_buffers: quick ? "128MB" : "1GB",
    max_wal_size: "8GB",
    checkpoint_timeout: "30min",
    maintenance_work_mem: "512MB",
    log_line_prefix: "'%m [%p] '",
  },
});
log(`bench cluster at ${cluster.dir}`);
const connection = (database) => o.clusterConnection(cluster, database);

async function adminQuery(sql) {
  const c = new pg.Client(connection("postgres"));
  await c.connect();
  try {
    return await c.query(sql);
  } finally {
    await c.end();
  }
}

// Databases prepared exactly as `verify` prepares its throwaway one, cloned from one template.
let templateReady = false;
const TEMPLATE = "bench_template";
async function createMigrated(name) {
  if (!templateReady) {
    await adminQuery(`create database ${TEMPLATE}`);
    const c = new pg.Client(connection(TEMPLATE));
    await c.connect();
    try {
      await o.prepareDatabase(c, { baseline: o.DEFAULT_BASELINE ?? "uuid", pgtap: true, fixtures: true });
    } finally {
      await c.end();
    }
    templateReady = true;
  }
  await cloneDatabase(TEMPLATE, name);
}
// a copy keeps the template's database privileges (TEMPORARY withheld from PUBLIC: clone-database.ts)
async function cloneDatabase(template, name) {
  const c = new pg.Client(connection("postgres"));
  await c.connect();
  try {
    await o.cloneDatabase(c, template, name);
  } finally {
    await c.end();
  }
}
async function dropDatabase(name) {
  await adminQuery(`drop database if exists ${name} with (force)`);
}

const ctx = {
  quick,
  runs,
  clients: 2,
  jobs: 2,
  cluster,
  connection,
  orchestrator: o,
  url: (database) => o.clusterUrl(cluster, database),
  createMigrated,
  cloneDatabase,
  dropDatabase,
  results,
  /** Anything a benchmark wants in latest.json besides the table (plans, raw samples). */
  extra: {},
  log,
};

try {
  for (const name of BENCHMARKS.filter((b) => only.includes(b))) {
    const t = performance.now();
    log(`${name}: start`);
    try {
      const mod = await import(`./${name}.mjs`);
      await mod.run(ctx);
      log(`${name}: done in ${((performance.now() - t) / 1000).toFixed(1)} s`);
    } catch (e) {
      failures.push(name);
      log(`${name}: FAILED: ${e instanceof Error ? e.message : e}`);
      results.add({
        bench: name,
        metric: "could not run",
        value: String(e?.message ?? e).split("\n")[0],
        pass: false,
      });
    }
  }
} finally {
  await o.stopCluster(cluster);
}

const totalS = (performance.now() - started) / 1000;
const machine = {
  cpus: availableParallelism(),
  cpuModel: cpus()[0]?.model ?? "unknown",
  memoryGb: Math.round(totalmem() / 2 ** 30),
  node: process.version,
};
const table = markdownTable(results.rows);
const report = {
  mode: quick ? "quick" : "full",
  runs,
  startedAt: new Date(Date.now() - totalS * 1000).toISOString(),
  totalSeconds: Math.round(totalS),
  machine,
  results: results.rows,
  failures,
  ...ctx.extra,
};
const outFile = args.out ? resolve(args.out) : join(ROOT, "bench", "results", "latest.json");
mkdirSync(dirname(outFile), { recursive: true });
writeFileSync(outFile, `${JSON.stringify(report, null, 2)}\n`);

console.log(
  `\n## gonogo benchmarks (${report.mode} mode, ${runs} run${runs === 1 ? "" : "s"} each, medians; ` +
    `${machine.cpus} cores, ${machine.memoryGb} GB, Node ${machine.node}; ${Math.round(totalS)} s)\n`,
);
console.log(table);
const notes = results.rows.filter((r) => r.note);
if (notes.length) {
  console.log("\nNotes:");
  for (const r of notes) console.log(`- ${r.bench} / ${r.metric.trim()}: ${r.note}`);
}
if (ctx.extra.offendingPlans?.length) {
  console.log("\nSuite statements that seq-scan a big table (auto_explain, scale database):\n");
  for (const p of ctx.extra.offendingPlans) console.log(`\`\`\`\n${p}\n\`\`\`\n`);
}
const missed = results.rows.filter((r) => r.pass === false);
console.log(
  `\n${results.rows.filter((r) => r.pass === true).length} targets met, ${missed.length} missed` +
    `${failures.length ? `; could not run: ${failures.join(", ")}` : ""}. Details: ${relative(process.cwd(), outFile) || outFile}`,
);
process.exit(failures.length > 0 || (args.strict && missed.length > 0) ? 1 : 0);
