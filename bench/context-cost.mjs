// What the signed request context and the definer guards (issue 22) cost per statement of the
// application: one session of apms_app runs each statement N times on a database with volume,
// against a copy of it with the weaknesses of before (test/fixtures/weaknesses/before-issue-22.sql:
// app.workspace_id read from a setting, guards running as the caller). Same data, same cluster,
// runs interleaved (before, after, after, before, ...), medians of microseconds per statement.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import pg from "pg";
import { DIST, median, psql, ROOT, round } from "./lib.mjs";
import { generateScaleData } from "./scale-data.mjs";

const WS = "md5('ws1')::uuid";

/** The application's statements, as it sends them (RLS adds the workspace predicate to reads). */
const STATEMENTS = [
  { name: "current_workspace_id()", sql: "select public.current_workspace_id()" },
  {
    name: "open_stages_inbox",
    sql: `select id, workflow_instance_id, stage_template_id from public.workflow_stages
          where workspace_id = ${WS} and status = 'IN_PROGRESS'`,
  },
  {
    name: "recent_instances",
    sql: `select id, status, created_at from public.workflow_instances
          where workspace_id = ${WS} order by created_at desc limit 50`,
  },
  {
    name: "audit_feed",
    sql: `select table_name, row_id, action, actor, changed_at from public.audit_logs
          where workspace_id = ${WS} order by changed_at desc limit 100`,
  },
  {
    // a row of the workbook load: the master guard and the audit trigger run for it
    name: "insert a master row (DRAFT)",
    sql: `insert into public.master_regions (workspace_id, config_version_id, code, name)
          values (${WS}, md5('dcv1')::uuid, 'B' || $1::text, 'bench region')`,
    params: (n) => [n],
  },
];

async function session(ctx, database, variant, key, signContext) {
  const c = new pg.Client(ctx.connection(database));
  await c.connect();
  const { rows } = await c.query("select md5('ws1')::uuid::text as ws");
  if (variant === "after") {
    // signed in Node with the database's key, for this backend, as the application does
    const token = signContext(key, c.processID, rows[0].ws, "bench-u1-1", 3000);
    await c.query("select set_config('app.context', $1, false)", [token]);
  } else {
    await c.query(
      "select set_config('app.workspace_id', $1, false), set_config('app.user_id', 'bench-u1-1', false)",
      [rows[0].ws],
    );
  }
  await c.query("set role apms_app");
  return c;
}

/** Microseconds per statement over n executions (prepared once, as a driver's named statement). */
async function time(c, s, n, offset) {
  const name = `q_${s.name.replace(/\W/g, "_")}`;
  await c.query({ name, text: s.sql, values: s.params ? s.params(offset) : [] });
  const t = performance.now();
  for (let i = 1; i <= n; i++)
    await c.query({ name, text: s.sql, values: s.params ? s.params(offset + i) : [] });
  return ((performance.now() - t) * 1000) / n;
}

export async function run(ctx) {
  const { cluster, results, log, quick } = ctx;
  const { signContext } = await import(join(DIST, "context-token.js"));
  const volume = quick
    ? { workspaces: 20, instances: 2_000, audit_rows: 20_000, pool: 200 }
    : { workspaces: 200, instances: 100_000, audit_rows: 1_000_000, pool: 2_000 };
  const n = quick ? 50 : 2_000;
  const after = "bench_context_after";
  const before = "bench_context_before";
  const t0 = performance.now();
  await ctx.createMigrated(after);
  const generated = await generateScaleData(ctx, after, volume);
  await psql(cluster, after, {
    file: join(ROOT, "bench", "sql", "trigger_cost_setup.sql"),
    vars: { workspaces: volume.workspaces, pool: volume.pool },
  });
  await ctx.cloneDatabase(after, before);
  const weak = new pg.Client(ctx.connection(before));
  await weak.connect();
  await weak.query("set client_min_messages = warning");
  await weak.query(readFileSync(join(ROOT, "test", "fixtures", "weaknesses", "before-issue-22.sql"), "utf8"));
  await weak.end();
  log(
    `context-cost: ${volume.instances} instances, ${volume.audit_rows} audit rows generated in ${generated.toFixed(1)} s; ` +
      `copies ready in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );

  const owner = new pg.Client(ctx.connection(after));
  await owner.connect();
  const key = {
    id: "dev",
    secret: (await owner.query("select secret from apms_private.context_keys where id = 'dev'")).rows[0]
      .secret,
  };
  await owner.end();

  const samples = Object.fromEntries(STATEMENTS.map((s) => [s.name, { before: [], after: [] }]));
  for (let r = 0; r < ctx.runs; r++) {
    const order = r % 2 === 0 ? ["before", "after"] : ["after", "before"];
    for (const variant of order) {
      const c = await session(ctx, variant === "after" ? after : before, variant, key, signContext);
      try {
        for (const [i, s] of STATEMENTS.entries()) {
          samples[s.name][variant].push(
            await time(c, s, n, (r * 2 + (variant === "after" ? 1 : 0)) * 100_000 + i * 10_000),
          );
        }
      } finally {
        await c.end();
      }
    }
  }
  for (const s of STATEMENTS) {
    const b = median(samples[s.name].before);
    const a = median(samples[s.name].after);
    log(
      `context-cost ${s.name}: before ${samples[s.name].before.map((x) => round(x, 0)).join(",")} after ${samples[s.name].after.map((x) => round(x, 0)).join(",")} us`,
    );
    results.add({
      bench: "context cost",
      metric: `${s.name}: before (app.workspace_id)`,
      value: round(b, 1),
      unit: "us",
    });
    results.add({
      bench: "context cost",
      metric: `${s.name}: after (signed context)`,
      value: round(a, 1),
      unit: "us",
    });
    results.add({
      bench: "context cost",
      metric: `${s.name}: after - before`,
      value: round(a - b, 1),
      unit: "us",
    });
  }
  ctx.extra.contextCost = samples;

  // The most relation locks one session of the application can hold at once: every relation it may
  // read (its tables and their indexes, the catalogs, information_schema), read in one transaction.
  // Without temporary tables and advisory locks that is its whole footprint in the shared lock table.
  const c = await session(ctx, after, "after", key, signContext);
  try {
    await c.query("begin");
    await c.query(`do $$
      declare r record;
      begin
        for r in select c.oid::regclass as rel from pg_catalog.pg_class c
                 where c.relkind in ('r', 'v', 'm', 'p', 'f') and pg_catalog.has_table_privilege(c.oid, 'SELECT')
        loop
          begin
            execute format('select 1 from %s limit 0', r.rel);
          exception when others then null;
          end;
        end loop;
      end $$`);
    const { rows } = await c.query(
      "select count(*)::int as held, count(*) filter (where not fastpath)::int as shared from pg_locks where pid = pg_backend_pid()",
    );
    const { rows: limit } = await c.query(
      "select current_setting('max_locks_per_transaction')::int * (current_setting('max_connections')::int + current_setting('max_prepared_transactions')::int) as slots",
    );
    await c.query("rollback");
    log(
      `context-cost: one application session holds at most ${rows[0].held} locks, ${rows[0].shared} in the shared table of ${limit[0].slots}`,
    );
    results.add({
      bench: "context cost",
      metric: "locks one application session can hold (in the shared lock table)",
      value: `${rows[0].held} (${rows[0].shared})`,
    });
    results.add({
      bench: "context cost",
      metric: "shared lock table slots (max_locks_per_transaction x connections)",
      value: limit[0].slots,
    });
  } finally {
    await c.end();
  }
  await ctx.dropDatabase(before);
  await ctx.dropDatabase(after);
}
