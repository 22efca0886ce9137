// Rehearse at scale: `gonogo rehearse --from URL` on a pre-migration source (the uuid baseline
// with, in full mode, 50 workspaces, 1M workflow instances and 5M stages). Reports the total,
// copy and apply times, per baseline table the seconds reads and writes were blocked as computed
// from the sampled locks and as observed by the probe (they should agree within 25% or both stay
// under 1 s), and the copy phase against a plain `pg_dump -Fc | pg_restore` of the same database
// into an identically configured cluster, in the same run (target: >= 1.3x faster).
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { CLI, DIST, exec, pgbin, ROOT } from "./lib.mjs";
import { query } from "./scale-data.mjs";

export const VOLUMES = {
  quick: { workspaces: 5, instances: 2_000, stages: 5 },
  full: { workspaces: 50, instances: 1_000_000, stages: 5 },
};
const SOURCE = "bench_rehearse_source";

/** Baseline + rows, vacuumed and analysed like a live database. Returns seconds. */
async function buildSource(ctx, v) {
  const t = performance.now();
  await query(ctx, "postgres", `drop database if exists ${SOURCE} with (force)`);
  await query(ctx, "postgres", `create database ${SOURCE}`);
  const c = new pg.Client(ctx.connection(SOURCE));
  await c.connect();
  try {
    await c.query("set client_min_messages = warning; set synchronous_commit = off");
    await c.query(readFileSync(join(ROOT, "db", "baselines", "uuid.sql"), "utf8"));
    await c.query(readFileSync(join(ROOT, "bench", "sql", "rehearse", "pre_migration_data.sql"), "utf8"));
    await c.query("select pg_temp.gonogo_fill($1, $2, $3)", [v.workspaces, v.instances, v.stages]);
    await c.query("vacuum analyze");
  } finally {
    await c.end();
  }
  return (performance.now() - t) / 1000;
}

/** `pg_dump -Fc | pg_restore` into a fresh cluster with the rehearsal copy's settings. Returns ms. */
async function plainCopy(ctx) {
  const { COPY_SETTINGS } = await import(join(DIST, "rehearse", "copy.js"));
  const target = await ctx.orchestrator.startCluster({ settings: COPY_SETTINGS });
  try {
    const admin = new pg.Client(ctx.orchestrator.clusterConnection(target, "postgres"));
    await admin.connect();
    await admin.query("create database plain");
    await admin.end();
    const src = ctx.url(SOURCE);
    const dst = ctx.orchestrator.clusterUrl(target, "plain");
    const t = performance.now();
    await exec(
      "bash",
      [
        "-c",
        `set -o pipefail; "${pgbin("pg_dump")}" -Fc -d "$SRC" | "${pgbin("pg_restore")}" --no-owner --no-privileges -d "$DST"`,
      ],
      { env: { ...process.env, SRC: src, DST: dst }, check: true },
    );
    return performance.now() - t;
  } finally {
    await ctx.orchestrator.stopCluster(target);
  }
}

export async function run(ctx) {
  const { results, log } = ctx;
  const v = { ...(ctx.quick ? VOLUMES.quick : VOLUMES.full) };
  // GONOGO_BENCH_REHEARSE_INSTANCES=200000: an intermediate volume (stages: 5 per instance)
  if (process.env.GONOGO_BENCH_REHEARSE_INSTANCES)
    v.instances = Number(process.env.GONOGO_BENCH_REHEARSE_INSTANCES);
  log(`rehearse: building the source (${v.instances} instances, ${v.instances * v.stages} stages)`);
  const buildS = await buildSource(ctx, v);
  const [size] = await query(ctx, SOURCE, "select pg_database_size(current_database())::int8 as b");
  log(`rehearse: source built in ${buildS.toFixed(0)} s, ${(Number(size.b) / 2 ** 20).toFixed(0)} MB`);

  log("rehearse: plain pg_dump -Fc | pg_restore");
  const plainMs = await plainCopy(ctx);

  const dir = mkdtempSync(join(tmpdir(), "gonogo-bench-rehearse-"));
  let r;
  try {
    log("rehearse: gonogo rehearse --from");
    const env = { ...process.env };
    delete env.DATABASE_URL;
    const out = await exec(
      process.execPath,
      [CLI, "rehearse", "--from", ctx.url(SOURCE), "--jobs", "2", "--report-dir", dir, "--format", "json"],
      { env, check: true, okCodes: [0, 1, 2] },
    );
    r = JSON.parse(readFileSync(join(dir, "rehearsal.json"), "utf8"));
    r.wallMs = out.wallMs;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  ctx.extra.rehearse = r;
  const scale = `${v.instances} instances / ${v.instances * v.stages} stages`;
  const add = (metric, value, unit, extra = {}) =>
    results.add({ bench: "rehearse", metric, value, unit, ...extra });
  add(`source (${scale})`, Number(size.b) / 2 ** 20, "MB");
  add("total (copy, pre-check, apply, suite)", r.wallMs / 1000, "s");
  add("copy (schema, data streamed in 2 pipelines, post-data -j2, analyze)", r.copy.totalMs / 1000, "s", {
    note: `schema ${(r.copy.schemaMs / 1000).toFixed(1)} s, data streamed ${(r.copy.dataMs / 1000).toFixed(1)} s (${(r.copy.streamedBytes / 1024 / 1024).toFixed(0)} MB), indexes and constraints ${(r.copy.postDataMs / 1000).toFixed(1)} s, analyze ${(r.copy.analyzeMs / 1000).toFixed(1)} s`,
  });
  add("plain pg_dump -Fc | pg_restore, same database", plainMs / 1000, "s");
  const speedUp = plainMs / r.copy.totalMs;
  add("copy speed-up vs plain", speedUp, "x", { target: ">= 1.3x", pass: speedUp >= 1.3 });
  add("data pre-check", r.timings.precheckMs / 1000, "s");
  add("apply (migration + functions)", r.apply.durationMs / 1000, "s", {
    note: r.apply.ok ? "" : r.apply.error,
  });
  add("suite on the copy", (r.timings.suiteMs ?? 0) / 1000, "s", {
    note: `suite ${r.suite?.decision ?? "not run"}`,
  });
  for (const c of r.apply.computed) {
    const o = r.apply.observed.find((x) => x.table === c.table);
    for (const [kind, computed, observed] of [
      ["reads", c.reads.longestS, o.readWorstS],
      ["writes", c.writes.longestS, o.writeWorstS],
    ]) {
      const agree =
        (computed < 1 && observed < 1) ||
        Math.abs(computed - observed) <= 0.25 * Math.max(computed, observed);
      add(
        `${c.table} ${kind} blocked: computed | observed`,
        `${computed.toFixed(2)} s | ${observed.toFixed(2)} s`,
        "",
        {
          target: "within 25% or both < 1 s",
          pass: agree,
        },
      );
    }
  }
  add("decision", r.decision, "", { note: r.reasons.slice(0, 2).join("; ") });
  await query(ctx, "postgres", `drop database if exists ${SOURCE} with (force)`);
}
