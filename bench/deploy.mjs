// Deployment under live traffic: on the pre-migration source (full mode: 1M instances / 5M
// stages, generated in SQL), the first release's migration (`psql -1 -f`, one transaction) and
// the online one (`gonogo migrate`) each run on their own clone of the same source in the same
// run, while a probe reads and writes each of the five baseline tables every 100 ms and a writer
// session acts as the application before the migration (new instances with three stages,
// approvals). Reports per table the worst read and write wait, the total times and their ratio,
// the writer's errors, the state of the result (nothing NOT VALID, no INVALID index, no stage
// without workspace_id) and verify's verdict on it.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { CLI, exec, gonogo, pgEnv, psql, ROOT } from "./lib.mjs";

const MIGRATION = "db/migrations/20251229010228_add_master_tables_final_v2/migration.sql";
const BASELINE_TABLES = ["workspaces", "users", "config_versions", "workflow_instances", "workflow_stages"];
const VOLUMES = {
  quick: { workspaces: 10, instances: 2_000 },
  full: { workspaces: 50, instances: 1_000_000 },
};
const TARGETS = { readMs: 1000, writeMs: 2000, ratio: 1.5 };

/** The migration as the first release shipped it: the parent of the commit that made it online. */
function oldMigration() {
  const online = execFileSync(
    "git",
    ["log", "--format=%H", "-S", "gonogo:phase", "--reverse", "--", MIGRATION],
    {
      cwd: ROOT,
      encoding: "utf8",
    },
  )
    .trim()
    .split("\n")[0];
  if (!online) throw new Error("cannot find the commit that made the migration online");
  return execFileSync("git", ["show", `${online}^:${MIGRATION}`], { cwd: ROOT, encoding: "utf8" });
}

async function connectTo(ctx, database) {
  const c = new pg.Client(ctx.connection(database));
  c.on("error", () => undefined);
  await c.connect();
  return c;
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** One row key per table for the probe's writes (a no-op update of one row: takes the row lock). */
const PROBE_WRITE = {
  workspaces:
    "update public.workspaces set name = name where id = (select id from public.workspaces order by id limit 1)",
  users: "update public.users set name = name where id = (select id from public.users order by id limit 1)",
  config_versions:
    "update public.config_versions set source_file_name = source_file_name where id = (select id from public.config_versions order by id limit 1)",
  workflow_instances: "update public.workflow_instances set updated_at = now() where id = md5('wi7')::uuid",
  workflow_stages: "update public.workflow_stages set updated_at = now() where id = md5('sx7-1')::uuid",
};

/** Every 100 ms, per table: a read and a write, each in its own session; worst waits recorded. */
async function startProbe(ctx, database) {
  const sessions = [];
  const worst = Object.fromEntries(BASELINE_TABLES.map((t) => [t, { readMs: 0, writeMs: 0, errors: [] }]));
  let running = true;
  const loops = [];
  for (const t of BASELINE_TABLES) {
    for (const kind of ["read", "write"]) {
      const c = await connectTo(ctx, database);
      sessions.push(c);
      const sql = kind === "read" ? `select 1 from public.${t} limit 1` : PROBE_WRITE[t];
      loops.push(
        (async () => {
          while (running) {
            const s = performance.now();
            try {
              await c.query(sql);
            } catch (e) {
              worst[t].errors.push(`${kind}: ${e.code ?? ""} ${e.message}`);
            }
            const ms = performance.now() - s;
            const key = `${kind}Ms`;
            worst[t][key] = Math.max(worst[t][key], ms);
            await sleep(100);
          }
        })(),
      );
    }
  }
  return async () => {
    running = false;
    await Promise.all(loops);
    await Promise.all(sessions.map((c) => c.end()));
    return worst;
  };
}

/** The application before the migration: instances with three stages, approvals; errors recorded. */
async function startWriter(ctx, database) {
  const c = await connectTo(ctx, database);
  const errors = [];
  let transactions = 0;
  let running = true;
  const loop = (async () => {
    while (running) {
      try {
        await c.query("begin");
        const i = await c.query(
          `insert into public.workflow_instances (workspace_id, config_version_id)
           select workspace_id, id from public.config_versions where status = 'ACTIVE' order by random() limit 1
           returning id`,
        );
        await c.query(
          "insert into public.workflow_stages (workflow_instance_id, name) select $1, 'stage ' || g from generate_series(1, 3) g",
          [i.rows[0].id],
        );
        await c.query("commit");
        await c.query("begin");
        // the key is a bound value, not random() in SQL: a volatile expression would make this
        // a 5M-row sequential scan holding its lock for tens of seconds (no application does that)
        await c.query(
          "update public.workflow_stages set status = 'APPROVED', updated_at = now() where id = md5($1)::uuid",
          [`sx${Math.floor(Math.random() * 1000) + 20}-1`],
        );
        await c.query("update public.workflow_instances set updated_at = now() where id = $1", [
          i.rows[0].id,
        ]);
        await c.query("commit");
        transactions += 2;
      } catch (e) {
        errors.push(`${e.code ?? ""} ${e.message}`);
        await c.query("rollback").catch(() => undefined);
      }
      await sleep(50);
    }
  })();
  return async () => {
    running = false;
    await loop;
    await c.end();
    return { errors, transactions };
  };
}

/** One apply on its own clone, under the probe and the writer. */
async function measured(ctx, database, apply) {
  const stopProbe = await startProbe(ctx, database);
  const stopWriter = await startWriter(ctx, database);
  await sleep(500);
  const t = performance.now();
  let failure;
  try {
    await apply();
  } catch (e) {
    failure = String(e.message).split("\n").slice(-3).join(" ");
  }
  const seconds = (performance.now() - t) / 1000;
  await sleep(1000); // the application keeps going after the deployment
  const writer = await stopWriter();
  const probe = await stopProbe();
  return { seconds, failure, writer, probe };
}

async function resultState(ctx, database) {
  const c = await connectTo(ctx, database);
  try {
    const q = async (sql) => Number((await c.query(sql)).rows[0].n);
    return {
      notValid: await q(
        "select count(*) as n from pg_constraint where connamespace = 'public'::regnamespace and not convalidated",
      ),
      invalidIndexes: await q(
        "select count(*) as n from pg_index i join pg_class x on x.oid = i.indexrelid where x.relnamespace = 'public'::regnamespace and not i.indisvalid",
      ),
      stagesWithoutWorkspace: await q(
        "select count(*) as n from public.workflow_stages where workspace_id is null",
      ),
    };
  } finally {
    await c.end();
  }
}

export async function run(ctx) {
  // GONOGO_BENCH_DEPLOY_INSTANCES overrides the number of instances (a smaller full-mode run)
  const override = Number(process.env.GONOGO_BENCH_DEPLOY_INSTANCES);
  const base = ctx.quick ? VOLUMES.quick : VOLUMES.full;
  const volume = override > 0 ? { ...base, instances: override } : base;
  const o = ctx.orchestrator;
  const add = (r) => ctx.results.add({ bench: "deploy", ...r });
  const src = "deploy_src";
  await ctx.dropDatabase(src);
  const admin = await connectTo(ctx, "postgres");
  try {
    await admin.query(`create database ${src}`);
    const c = await connectTo(ctx, src);
    try {
      await c.query("set client_min_messages = warning");
      await o.applyFile(c, o.baselineFile("uuid"));
    } finally {
      await c.end();
    }
    ctx.log(`deploy: generating ${volume.instances} instances x 5 stages`);
    const t = performance.now();
    await psql(ctx.cluster, src, {
      file: join(ROOT, "bench", "sql", "deploy", "pre_migration.sql"),
      vars: volume,
    });
    const generationS = (performance.now() - t) / 1000;
    const s = await connectTo(ctx, src);
    const sizes = (
      await s.query(
        "select (select count(*) from public.workflow_instances)::int as instances, (select count(*) from public.workflow_stages)::int as stages",
      )
    ).rows[0];
    await s.end();
    add({ metric: "source: instances / stages", value: `${sizes.instances} / ${sizes.stages}` });
    add({ metric: "source generation", value: generationS, unit: "s" });
    for (const db of ["deploy_old", "deploy_new"]) {
      await ctx.dropDatabase(db);
      await admin.query(`create database ${db} template ${src}`);
    }
  } finally {
    await admin.end();
  }
  await ctx.dropDatabase(src);

  const dir = mkdtempSync(join(tmpdir(), "gonogo-deploy-"));
  try {
    const oldFile = join(dir, "migration-first-release.sql");
    writeFileSync(oldFile, oldMigration());
    ctx.log("deploy: first release, psql -1 -f (one transaction)");
    const old = await measured(ctx, "deploy_old", () =>
      exec("psql", ["-X", "-q", "-1", "-v", "ON_ERROR_STOP=1", "-f", oldFile], {
        env: pgEnv(ctx.cluster, "deploy_old"),
        check: true,
      }),
    );
    ctx.log("deploy: online, gonogo migrate");
    const fresh = await measured(ctx, "deploy_new", () =>
      exec(process.execPath, [CLI, "migrate", "--database-url", ctx.url("deploy_new")], {
        env: { ...process.env, CI: "true", DATABASE_URL: "" },
        check: true,
      }),
    );
    for (const [label, r] of [
      ["first release", old],
      ["online", fresh],
    ]) {
      if (r.failure) add({ metric: `${label}: apply failed`, value: r.failure, pass: false });
      add({ metric: `${label}: total time`, value: r.seconds, unit: "s" });
      for (const tbl of BASELINE_TABLES) {
        const p = r.probe[tbl];
        const online = label === "online";
        add({
          metric: `${label}: ${tbl} worst read / write wait`,
          value: `${(p.readMs / 1000).toFixed(2)} / ${(p.writeMs / 1000).toFixed(2)}`,
          unit: "s",
          target: online ? `<= ${TARGETS.readMs / 1000} / ${TARGETS.writeMs / 1000}` : "",
          pass: online ? p.readMs <= TARGETS.readMs && p.writeMs <= TARGETS.writeMs : undefined,
          note: p.errors.length ? `${p.errors.length} probe errors: ${p.errors[0]}` : "",
        });
      }
      add({
        metric: `${label}: writer errors (of ${r.writer.transactions} ok transactions)`,
        value: r.writer.errors.length,
        target: label === "online" ? "0" : "",
        pass: label === "online" ? r.writer.errors.length === 0 : undefined,
        note: r.writer.errors.length
          ? [...new Set(r.writer.errors.map((e) => e.slice(0, 90)))].slice(0, 3).join(" | ")
          : "",
      });
    }
    const ratio = fresh.seconds / old.seconds;
    add({
      metric: "online / first release total time",
      value: ratio,
      unit: "x",
      target: `<= ${TARGETS.ratio}`,
      pass: ratio <= TARGETS.ratio,
    });
    const state = await resultState(ctx, "deploy_new");
    add({
      metric: "online result: NOT VALID / INVALID indexes / stages without workspace_id",
      value: `${state.notValid} / ${state.invalidIndexes} / ${state.stagesWithoutWorkspace}`,
      target: "0 / 0 / 0",
      pass: state.notValid + state.invalidIndexes + state.stagesWithoutWorkspace === 0,
    });
    const v = await gonogo([
      "verify",
      "--database-url",
      ctx.url("deploy_new"),
      "--format",
      "json",
      "--jobs",
      "1",
    ]);
    add({
      metric: "online result: verify",
      value: v.decision ?? `exit ${v.code}`,
      target: "GO",
      pass: v.decision === "GO",
    });
    ctx.extra.deploy = { volume, old, online: fresh, state };
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await ctx.dropDatabase("deploy_old");
    await ctx.dropDatabase("deploy_new");
  }
}
