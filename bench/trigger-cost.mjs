// Trigger cost: pgbench throughput of a config edit and a stage approval on a database with
// volume, with the audit and guard triggers on, and on a copy with them off
// (`alter table ... disable trigger user`: the foreign-key triggers stay). Runs interleave
// (on, off, on, off, ...) and the ratio is taken from the medians of the same run.
import { join } from "node:path";
import { AUDITED_TABLES as TABLES } from "../dist/orchestrator/migration.js";
import { exec, median, pgbin, pgEnv, psql, ROOT, round } from "./lib.mjs";
import { generateScaleData } from "./scale-data.mjs";

const SCRIPTS = [
  { name: "config edit", file: "config_edit.sql" },
  { name: "stage approval", file: "stage_approval.sql" },
];

/** tps of one pgbench run (excluding connection time), or throws with pgbench's output. */
async function pgbench(ctx, database, script, seconds, vars) {
  const args = ["-n", "-c", String(ctx.clients), "-j", String(ctx.clients), "-T", String(seconds)];
  for (const [k, v] of Object.entries(vars)) args.push("-D", `${k}=${v}`);
  args.push("-f", join(ROOT, "bench", "pgbench", script));
  const r = await exec(pgbin("pgbench"), args, { env: pgEnv(ctx.cluster, database), check: true });
  const m = /tps = ([\d.]+) \(without initial connection time\)/.exec(r.stdout);
  const failed = /number of failed transactions: (\d+)/.exec(r.stdout);
  if (!m) throw new Error(`pgbench printed no tps:\n${r.stdout}\n${r.stderr}`);
  if (failed && Number(failed[1]) > 0)
    throw new Error(`pgbench: ${failed[1]} failed transactions\n${r.stdout}`);
  return Number(m[1]);
}

async function profile(ctx, database, script, seconds, vars) {
  await psql(ctx.cluster, "postgres", { command: `alter database ${database} set track_functions = 'all'` });
  await psql(ctx.cluster, database, { command: "select pg_stat_reset()" });
  const args = ["-n", "-c", "1", "-T", String(seconds)];
  for (const [k, v] of Object.entries({ ...vars, clients: 1 })) args.push("-D", `${k}=${v}`);
  args.push("-f", join(ROOT, "bench", "pgbench", script));
  const r = await exec(pgbin("pgbench"), args, { env: pgEnv(ctx.cluster, database), check: true });
  const transactions = Number(
    /number of transactions actually processed: (\d+)/.exec(r.stdout)?.[1] ?? Number.NaN,
  );
  const latencyMs = Number(/latency average = ([\d.]+) ms/.exec(r.stdout)?.[1] ?? Number.NaN);
  await new Promise((res) => setTimeout(res, 700)); // let the backend flush its counters
  const out = await psql(ctx.cluster, database, {
    command:
      "copy (select funcname, calls, total_time, self_time from pg_stat_user_functions order by total_time desc) to stdout",
  });
  await psql(ctx.cluster, "postgres", { command: `alter database ${database} reset track_functions` });
  const functions = out.stdout
    .trim()
    .split("\n")
    .filter(Boolean)
    .map((l) => {
      const [name, calls, total, self] = l.split("\t");
      return { name, calls: Number(calls), totalMs: Number(total), selfMs: Number(self) };
    });
  return { transactions, latencyMs, functions };
}

export async function run(ctx) {
  const { cluster, results, log, quick } = ctx;
  const volume = quick
    ? { workspaces: 20, instances: 2_000, audit_rows: 20_000, pool: 2_000 }
    : { workspaces: 200, instances: 100_000, audit_rows: 1_000_000, pool: 100_000 };
  const seconds = quick ? 1 : 8;
  const runs = ctx.runs;
  const on = "bench_triggers_on";
  const off = "bench_triggers_off";

  const t0 = performance.now();
  await ctx.createMigrated(on);
  await generateScaleData(ctx, on, volume);
  await psql(cluster, on, {
    file: join(ROOT, "bench", "sql", "trigger_cost_setup.sql"),
    vars: { workspaces: volume.workspaces, pool: volume.pool },
  });
  await psql(cluster, "postgres", { command: `create database ${off} template ${on}` });
  await psql(cluster, off, {
    command: TABLES.map((t) => `alter table public.${t} disable trigger user;`).join("\n"),
  });
  log(
    `trigger-cost: ${volume.instances} instances, ${volume.instances * 5} stages, ${volume.audit_rows} audit rows, ` +
      `pool ${volume.pool}, copies ready in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );

  const profiles = {};
  const vars = { workspaces: volume.workspaces, pool: volume.pool, clients: ctx.clients };
  for (const s of SCRIPTS) {
    const tps = { on: [], off: [] };
    for (let i = 0; i < runs; i++) {
      // alternate which goes first, so neither always runs on a warmer cache
      const order = i % 2 === 0 ? ["on", "off"] : ["off", "on"];
      for (const which of order) {
        tps[which].push(await pgbench(ctx, which === "on" ? on : off, s.file, seconds, vars));
      }
    }
    // profile (untimed): microseconds per call of each function the script fires, from
    // pg_stat_user_functions with track_functions = all (it slows calls, so not in the timed runs)
    profiles[s.name] = await profile(ctx, on, s.file, seconds, vars);
    const mOn = median(tps.on);
    const mOff = median(tps.off);
    const ratio = mOn / mOff;
    log(
      `trigger-cost ${s.name}: on ${tps.on.map(Math.round).join(",")} off ${tps.off.map(Math.round).join(",")} tps`,
    );
    results.add({ bench: "trigger cost", metric: `${s.name}: tps with triggers`, value: mOn, unit: "tps" });
    results.add({
      bench: "trigger cost",
      metric: `${s.name}: tps without triggers`,
      value: mOff,
      unit: "tps",
    });
    results.add({
      bench: "trigger cost",
      metric: `${s.name}: with / without`,
      value: ratio,
      unit: "x",
      target: ">= 0.75x",
      pass: ratio >= 0.75,
    });
    const txs = profiles[s.name].transactions;
    for (const f of profiles[s.name].functions.slice(0, 4)) {
      results.add({
        bench: "trigger cost",
        metric: `  profile ${s.name}: ${f.name}() per transaction (calls/tx ${round(f.calls / txs, 1)}; self)`,
        value: `${round((f.totalMs * 1000) / txs, 1)} us (${round((f.selfMs * 1000) / txs, 1)} us)`,
      });
    }
  }
  ctx.extra.triggerProfile = profiles;
  await psql(cluster, "postgres", { command: `drop database ${off}` });
  await psql(cluster, "postgres", { command: `drop database ${on}` });
}
