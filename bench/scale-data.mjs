// Data at scale: the suite against a database holding other workspaces' data (full mode: 1M
// workflow instances, 5M stages, 10M audit rows, generated in SQL) vs the fixture-only database,
// same cluster, interleaved, medians. Then one untimed run with auto_explain on to show which
// suite statements scan a big table, and the tables' seq_scan counters across a run (those also
// count statements that end in an error, whose plans auto_explain never logs).
import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import pg from "pg";
import { gonogo, median, psql, ROOT } from "./lib.mjs";

const BIG = ["workflow_instances", "workflow_stages", "audit_logs"];
const SCALE_SQL = join(ROOT, "bench", "sql", "scale");

export const VOLUMES = {
  quick: { workspaces: 20, instances: 10_000, audit_rows: 100_000 },
  full: { workspaces: 500, instances: 1_000_000, audit_rows: 10_000_000 },
};

/**
 * bench/sql/generate_scale_data.sql, with its two big parts (instances + stages, audit rows) in two
 * concurrent sessions, one per core. Returns the seconds it took.
 */
export async function generateScaleData(ctx, database, volume) {
  const t = performance.now();
  const part = (file) => psql(ctx.cluster, database, { file: join(SCALE_SQL, file), vars: volume });
  await part("10_prepare.sql");
  await Promise.all([part("20_runtime.sql"), part("30_audit.sql")]);
  await part("40_finish.sql");
  return (performance.now() - t) / 1000;
}

export async function query(ctx, database, sql, params) {
  const c = new pg.Client(ctx.connection(database));
  await c.connect();
  try {
    return (await c.query(sql, params)).rows;
  } finally {
    await c.end();
  }
}

async function seqScans(ctx, database) {
  const rows = await query(
    ctx,
    database,
    `select relname, seq_scan::bigint as seq_scan, seq_tup_read::bigint as seq_tup_read
     from pg_stat_user_tables where schemaname = 'public' and relname = any($1)`,
    [BIG],
  );
  return Object.fromEntries(
    rows.map((r) => [r.relname, { scans: Number(r.seq_scan), rows: Number(r.seq_tup_read) }]),
  );
}

/** A JSON plan node as EXPLAIN's text tree, one line per node (type, relation, index, filter). */
function renderPlan(node, depth = 0) {
  const parts = [node["Node Type"]];
  if (node["Relation Name"]) parts.push(`on ${node["Relation Name"]}`);
  if (node["Index Name"]) parts.push(`using ${node["Index Name"]}`);
  parts.push(`(rows=${node["Plan Rows"]})`);
  for (const k of ["Index Cond", "Filter", "Hash Cond", "Join Filter"])
    if (node[k]) parts.push(`${k}: ${node[k]}`);
  const line = `${"  ".repeat(depth)}${depth ? "-> " : ""}${parts.join(" ")}`;
  return [line, ...(node.Plans ?? []).flatMap((p) => renderPlan(p, depth + 1))].join("\n");
}

function scansBig(node) {
  if (/Seq Scan/.test(node["Node Type"]) && BIG.includes(node["Relation Name"])) return true;
  return (node.Plans ?? []).some(scansBig);
}

/**
 * auto_explain (json) entries of the server log from `offset` on whose plan seq-scans a big table.
 * A top-level statement's Query Text is the whole test file (the runner sends a file as one
 * simple query): its first line names the file's check.
 */
function offendingPlans(logPath, offset) {
  const text = readFileSync(logPath, "utf8").slice(offset);
  const entries = text.split(/\n(?=\d{4}-\d\d-\d\d \d\d:\d\d:\d\d)/);
  const plans = [];
  let total = 0;
  for (const e of entries) {
    const at = e.indexOf("plan:\n");
    if (at < 0) continue;
    total++;
    let doc;
    try {
      doc = JSON.parse(e.slice(at + 6));
    } catch {
      continue;
    }
    if (!doc.Plan || !scansBig(doc.Plan)) continue;
    const query = String(doc["Query Text"] ?? "");
    const firstLine = query.split("\n").find((l) => l.trim()) ?? "";
    const statement =
      query.length > 300 ? `(statement of the file that starts: ${firstLine.slice(0, 120)})` : query.trim();
    plans.push(`${statement}\n${renderPlan(doc.Plan)}`);
  }
  return { total, plans };
}

export async function run(ctx) {
  const { results, log, quick, runs, jobs } = ctx;
  const volume = quick ? VOLUMES.quick : VOLUMES.full;
  const fixtures = "bench_fixture_only";
  const scale = "bench_scale";
  await ctx.createMigrated(fixtures);
  await ctx.createMigrated(scale);
  const genS = await generateScaleData(ctx, scale, volume);
  const size = (
    await query(ctx, scale, "select pg_size_pretty(pg_database_size(current_database())) as s")
  )[0].s;
  log(
    `scale-data: ${volume.instances} instances, ${volume.instances * 5} stages, ${volume.audit_rows} audit rows ` +
      `(${volume.workspaces} workspaces, ${size}) generated in ${genS.toFixed(1)} s`,
  );
  results.add({
    bench: "data at scale",
    metric: `generate ${volume.instances / 1e6}M instances / ${(volume.instances * 5) / 1e6}M stages / ${volume.audit_rows / 1e6}M audit rows (${size})`,
    value: genS,
    unit: "s",
  });

  // timed: interleaved, alternating which database goes first
  const wall = { [fixtures]: [], [scale]: [] };
  const suite = { [fixtures]: [], [scale]: [] };
  const decisions = new Set();
  for (let i = 0; i < runs; i++) {
    const order = i % 2 === 0 ? [fixtures, scale] : [scale, fixtures];
    for (const db of order) {
      const r = await gonogo([
        "verify",
        "--database-url",
        ctx.url(db),
        "--jobs",
        String(jobs),
        "--format",
        "json",
      ]);
      wall[db].push(r.wallMs);
      if (r.timings.run !== undefined) suite[db].push(r.timings.run);
      decisions.add(`${db === scale ? "scale" : "fixtures"}: ${r.decision}`);
    }
  }
  const fWall = median(wall[fixtures]);
  const sWall = median(wall[scale]);
  const ratio = sWall / fWall;
  log(
    `scale-data: verify fixtures ${wall[fixtures].map(Math.round).join(",")} ms, scale ${wall[scale].map(Math.round).join(",")} ms`,
  );
  results.add({
    bench: "data at scale",
    metric: `verify --jobs ${jobs}, fixture-only database`,
    value: fWall,
    unit: "ms",
  });
  results.add({
    bench: "data at scale",
    metric: `verify --jobs ${jobs}, scale database`,
    value: sWall,
    unit: "ms",
  });
  results.add({
    bench: "data at scale",
    metric: "verify time scale / fixture-only",
    value: ratio,
    unit: "x",
    target: "<= 1.5x",
    pass: ratio <= 1.5,
    note: [...decisions].join(", "),
  });
  if (suite[scale].length) {
    results.add({
      bench: "data at scale",
      metric: "suite phase scale / fixture-only",
      value: median(suite[scale]) / median(suite[fixtures]),
      unit: "x",
    });
  }

  // plans: one untimed run with auto_explain (every statement, nested ones too) and the counters
  const logPath = join(ctx.cluster.dir, "server.log");
  await psql(ctx.cluster, "postgres", {
    command: [
      `alter database ${scale} set session_preload_libraries = 'auto_explain'`,
      `alter database ${scale} set auto_explain.log_min_duration = 0`,
      `alter database ${scale} set auto_explain.log_nested_statements = on`,
      `alter database ${scale} set auto_explain.log_format = 'json'`,
    ].join(";\n"),
  });
  const before = await seqScans(ctx, scale);
  const offset = statSync(logPath).size;
  await gonogo(["verify", "--database-url", ctx.url(scale), "--jobs", String(jobs), "--format", "json"]);
  await new Promise((r) => setTimeout(r, 700)); // backends flush their statistics as they exit
  const after = await seqScans(ctx, scale);
  await psql(ctx.cluster, "postgres", { command: `alter database ${scale} reset all` });
  const { total, plans } = offendingPlans(logPath, offset);
  const counted = BIG.map((t) => ({
    table: t,
    scans: (after[t]?.scans ?? 0) - (before[t]?.scans ?? 0),
    rows: (after[t]?.rows ?? 0) - (before[t]?.rows ?? 0),
  }));
  const scans = counted.reduce((n, c) => n + c.scans, 0);
  const detail = counted.map((c) => `${c.table} ${c.scans} (${c.rows} rows)`).join(", ");
  log(
    `scale-data: ${total} plans logged, ${plans.length} with a seq scan of a big table; seq_scan counters: ${detail}`,
  );
  for (const p of plans) log(`scale-data: offending plan:\n${p}`);
  results.add({
    bench: "data at scale",
    metric: "suite seq scans of workflow_instances / workflow_stages / audit_logs",
    value: scans,
    target: "0",
    pass: scans === 0,
    note: detail,
  });
  ctx.extra.offendingPlans = plans;
  ctx.extra.seqScans = counted;
  await ctx.dropDatabase(scale);
  await ctx.dropDatabase(fixtures);
}
