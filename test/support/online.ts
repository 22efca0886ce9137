// Helpers for the online-migration tests: a pre-migration database with data, `gonogo migrate`
// as a child process that can be killed, the old application's writer and the state checks every
// completed apply must pass (validated constraints, valid indexes, no stage without workspace_id,
// one completed ledger row).
import { execa, type ResultPromise } from "execa";
import pg from "pg";
import { expect } from "vitest";
import { LEDGER } from "../../orchestrator/apply/applier.js";
import { CLI, gonogo } from "./gonogo.js";

export interface ClientConfig {
  host: string;
  port: number;
  user: string;
  database: string;
}

export async function client(conn: ClientConfig): Promise<pg.Client> {
  const c = new pg.Client(conn);
  c.on("error", () => undefined);
  await c.connect();
  await c.query("set client_min_messages = warning");
  return c;
}

/** Status column names of a baseline before the migration (db/functions is not there yet). */
export function statusCols(baseline: string) {
  return baseline === "text"
    ? { instance: "workflow_status", stage: "stage_status" }
    : { instance: "status", stage: "status" };
}

/**
 * Data as the application holds it before the migration: three ACTIVE users, workspaces with one ACTIVE config
 * version each, `instances` instances per workspace, `stages` stages per instance.
 */
export async function seedPreMigration(
  c: pg.ClientBase,
  opts: { workspaces?: number; instances?: number; stages?: number } = {},
) {
  const { workspaces = 3, instances = 100, stages = 10 } = opts;
  await c.query(
    `insert into public.workspaces (code, name) select 'WS-' || g, 'workspace ' || g from generate_series(1, $1) g`,
    [workspaces],
  );
  await c.query(
    "insert into public.users (id, email, status) select 'user-' || g, 'user-' || g || '@example.test', 'ACTIVE' from generate_series(1, 3) g",
  );
  await c.query(
    "insert into public.config_versions (workspace_id, status) select id, 'ACTIVE' from public.workspaces",
  );
  await c.query(
    `insert into public.workflow_instances (workspace_id, config_version_id)
     select cv.workspace_id, cv.id from public.config_versions cv, generate_series(1, $1)`,
    [instances],
  );
  await c.query(
    `insert into public.workflow_stages (workflow_instance_id, name)
     select i.id, 'stage ' || g from public.workflow_instances i, generate_series(1, $1) g`,
    [stages],
  );
  await c.query("analyze");
}

export interface Migrate {
  child: ResultPromise;
  stderr: () => string;
}

/** `gonogo migrate --database-url url` as a child process; `options` go to the server as PGOPTIONS. */
export function startMigrate(url: string, options: Record<string, string> = {}): Migrate {
  const pgoptions = Object.entries(options)
    .map(([k, v]) => `-c ${k}=${v}`)
    .join(" ");
  const child = execa(process.execPath, [CLI, "migrate", "--database-url", url], {
    reject: false,
    env: { NO_COLOR: "1", CI: "true", DATABASE_URL: undefined, PGOPTIONS: pgoptions },
    extendEnv: true,
    stdin: "ignore",
    timeout: 300_000,
  });
  let err = "";
  child.stderr?.on("data", (d: Buffer) => {
    err += d.toString();
  });
  return { child, stderr: () => err };
}

/** Poll `probe` until it returns true (every 50 ms, up to timeoutMs). */
export async function waitFor(what: string, probe: () => Promise<boolean>, timeoutMs = 120_000) {
  const t0 = Date.now();
  while (Date.now() - t0 < timeoutMs) {
    if (await probe().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** Some stages backfilled and some not yet: the migration is mid-backfill. */
export async function midBackfill(c: pg.ClientBase): Promise<boolean> {
  const col = await c.query(
    "select 1 from pg_attribute where attrelid = 'public.workflow_stages'::regclass and attname = 'workspace_id'",
  );
  if (col.rowCount === 0) return false;
  const r = await c.query<{ done: number; todo: number }>(
    `select count(*) filter (where workspace_id is not null)::int as done,
            count(*) filter (where workspace_id is null)::int as todo from public.workflow_stages`,
  );
  const row = r.rows[0];
  return !!row && row.done > 0 && row.todo > 0;
}

/** A CREATE INDEX CONCURRENTLY of this database is in progress (any phase after its start). */
export async function midConcurrently(c: pg.ClientBase, database: string, phase?: string): Promise<boolean> {
  const r = await c.query(
    `select 1 from pg_stat_progress_create_index p
     where p.datname = $1 and p.command = 'CREATE INDEX CONCURRENTLY' and ($2::text is null or p.phase = $2)`,
    [database, phase ?? null],
  );
  return (r.rowCount ?? 0) > 0;
}

/** Wait until no gonogo session is left on the database (a killed client's backend has ended). */
export async function noGonogoSession(c: pg.ClientBase, database: string) {
  await waitFor("the killed client's backend to end", async () => {
    const r = await c.query(
      "select 1 from pg_stat_activity where datname = $1 and application_name = 'gonogo'",
      [database],
    );
    return r.rowCount === 0;
  });
}

/** What every completed apply leaves: nothing NOT VALID, no INVALID index, every stage scoped, one ledger row. */
export async function expectCompleted(c: pg.ClientBase, runs?: number) {
  const notValid = await c.query(
    "select conrelid::regclass::text as t, conname from pg_constraint where connamespace = 'public'::regnamespace and not convalidated",
  );
  expect(notValid.rows).toEqual([]);
  const invalid = await c.query(
    "select indexrelid::regclass::text as i from pg_index i join pg_class c on c.oid = i.indexrelid where c.relnamespace = 'public'::regnamespace and not (i.indisvalid and i.indisready)",
  );
  expect(invalid.rows).toEqual([]);
  const unscoped = await c.query<{ n: number }>(
    "select count(*)::int as n from public.workflow_stages where workspace_id is null",
  );
  expect(unscoped.rows).toEqual([{ n: 0 }]);
  const mismatched = await c.query<{ n: number }>(
    `select count(*)::int as n from public.workflow_stages s join public.workflow_instances i on i.id = s.workflow_instance_id
     where s.workspace_id <> i.workspace_id`,
  );
  expect(mismatched.rows).toEqual([{ n: 0 }]);
  const ledger = await c.query<{ state: string; runs: number }>(`select state, runs from ${LEDGER}`);
  expect(ledger.rows).toHaveLength(1);
  expect(ledger.rows[0]?.state).toBe("completed");
  if (runs !== undefined) expect(ledger.rows[0]?.runs).toBe(runs);
}

/** INVALID indexes of the public schema (what an interrupted CONCURRENTLY build leaves). */
export async function invalidIndexes(c: pg.ClientBase): Promise<number> {
  const r = await c.query(
    "select 1 from pg_index i join pg_class x on x.oid = i.indexrelid where not i.indisvalid and x.relnamespace = 'public'::regnamespace",
  );
  return r.rowCount ?? 0;
}

/**
 * After an interruption: `gonogo migrate` again completes the migration (one ledger row, second
 * run), the schema dump equals a clean apply's and verify says GO.
 */
export async function expectResumed(url: string, c: pg.ClientBase, dump: () => string, clean: string) {
  const again = await startMigrate(url).child;
  expect(again.exitCode, String(again.stderr)).toBe(0);
  expect(String(again.stdout)).toMatch(/1 resumed and completed/);
  await expectCompleted(c, 2);
  expect(dump()).toBe(clean);
  await expectGo(url);
}

/**
 * The suite's verdict on the migrated database. One job: with two, both sessions create pgTAP in
 * their test transactions on a database without it, and under load one times out on the other's
 * uncommitted pg_extension row (55P03), a runner race unrelated to the migration.
 */
export async function expectGo(url: string) {
  const r = await gonogo(["verify", "--database-url", url, "--format", "json", "--jobs", "1"], {
    timeoutMs: 240_000,
  });
  const failures = (r.verdict?.checks ?? []).flatMap((c) =>
    c.failures.map((f) => `${c.id} ${f.file}: ${f.description}\n${f.diagnostics ?? ""}`),
  );
  expect(r.verdict?.decision, `${r.stderr}\n${r.verdict?.reasons?.join("; ")}\n${failures.join("\n")}`).toBe(
    "GO",
  );
}

export interface Writer {
  stop(): Promise<{ errors: string[]; instances: number; stages: number; approvals: number }>;
}

/**
 * The application as it is before the migration, writing throughout: new instances with three
 * stages each (`insert into workflow_stages (workflow_instance_id, name)`, no new column named)
 * and stage approvals, one short transaction each, back to back. Every error is recorded.
 */
export async function startWriter(conn: ClientConfig, baseline: string): Promise<Writer> {
  const c = await client(conn);
  await c.query("set application_name = 'old_app_writer'");
  const cols = statusCols(baseline);
  const errors: string[] = [];
  let instances = 0;
  let stages = 0;
  let approvals = 0;
  let running = true;
  const loop = (async () => {
    while (running) {
      try {
        await c.query("begin");
        const i = await c.query<{ id: string }>(
          `insert into public.workflow_instances (workspace_id, config_version_id)
           select cv.workspace_id, cv.id from public.config_versions cv
           where cv.status = 'ACTIVE' order by random() limit 1 returning id`,
        );
        const id = i.rows[0]?.id;
        await c.query(
          `insert into public.workflow_stages (workflow_instance_id, name) select $1, 'stage ' || g from generate_series(1, 3) g`,
          [id],
        );
        await c.query("commit");
        instances++;
        stages += 3;
        await c.query("begin");
        await c.query(
          `update public.workflow_stages set "${cols.stage}" = 'APPROVED', updated_at = now()
           where id = (select id from public.workflow_stages where "${cols.stage}" = 'PENDING' limit 1 offset floor(random() * 50)::int)`,
        );
        await c.query(`update public.workflow_instances set updated_at = now() where id = $1`, [id]);
        await c.query("commit");
        approvals++;
      } catch (e) {
        errors.push(`${(e as { code?: string }).code ?? ""} ${(e as Error).message}`);
        await c.query("rollback").catch(() => undefined);
      }
      await new Promise((r) => setTimeout(r, 20));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      await c.end();
      return { errors, instances, stages, approvals };
    },
  };
}
