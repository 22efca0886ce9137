// A live application beside a verify run (issue 15): a transaction that holds ACCESS SHARE on one
// table, a probe that times the application's queries every 50 ms, and the loop that does both for
// each of the sixteen tables in turn. Plain node-pg, no vitest: the integration tests assert on
// it and bench/live-wait.ts prints it, for this checkout or an older one.
import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import pg from "pg";

/** How a verify run ended: a verdict (exit 0/1/2), or exit 3 with its one-line reason. */
export interface RunEnd {
  exitCode: number;
  decision?: string;
  reason?: string;
}

export interface ProbeReport {
  queries: number;
  /** The slowest probe query as the client saw it (includes CPU noise of a busy machine), in ms. */
  worstMs: number;
  worstTable: string;
  /** The longest the server made a probe wait for its ACCESS SHARE lock, in ms, and on which table. */
  worstLockWaitMs: number;
  worstLockWaitTable: string;
  errors: string[];
}

async function session(config: pg.ClientConfig, applicationName: string): Promise<pg.Client> {
  const c = new pg.Client({ ...config, application_name: applicationName });
  c.on("error", () => undefined);
  await c.connect();
  return c;
}

// The lock a plain SELECT takes (ACCESS SHARE, queued like any request), timed inside the server so
// the figure is the lock wait alone, not the client's or the machine's scheduling.
const LOCK_WAIT_FUNCTION = `
create function pg_temp.probe_lock_wait(p_table regclass) returns float8
language plpgsql as $$
declare
  v_t0 timestamptz := clock_timestamp();
begin
  execute format('lock table %s in access share mode', p_table);
  return extract(epoch from clock_timestamp() - v_t0) * 1000;
end $$`;

/**
 * Every intervalMs, on each table one at a time, the application's read lock: each probe is timed
 * by the client (latency) and by the server (the lock wait alone).
 */
export async function startProbe(
  config: pg.ClientConfig,
  tables: readonly string[],
  opts: { intervalMs?: number } = {},
): Promise<{ stop: () => Promise<ProbeReport> }> {
  const c = await session(config, "app-probe");
  await c.query(LOCK_WAIT_FUNCTION);
  const report: ProbeReport = {
    queries: 0,
    worstMs: 0,
    worstTable: "",
    worstLockWaitMs: 0,
    worstLockWaitTable: "",
    errors: [],
  };
  let running = true;
  const loop = (async () => {
    while (running) {
      const tick = performance.now();
      for (const t of tables) {
        const t0 = performance.now();
        try {
          const { rows } = await c.query("select pg_temp.probe_lock_wait($1::regclass) as ms", [
            `public.${t}`,
          ]);
          const waited = Number(rows[0].ms);
          if (waited > report.worstLockWaitMs) {
            report.worstLockWaitMs = waited;
            report.worstLockWaitTable = t;
          }
        } catch (e) {
          report.errors.push(`${t}: ${(e as pg.DatabaseError).code ?? ""} ${(e as Error).message}`);
        }
        const ms = performance.now() - t0;
        report.queries++;
        if (ms > report.worstMs) {
          report.worstMs = ms;
          report.worstTable = t;
        }
      }
      await sleep(Math.max(0, (opts.intervalMs ?? 50) - (performance.now() - tick)));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      await c.end().catch(() => undefined);
      return report;
    },
  };
}

/** An application transaction that read `table` and stays open (idle in transaction). */
export async function holdAccessShare(
  config: pg.ClientConfig,
  table: string,
): Promise<{ pid: number; release: () => Promise<void> }> {
  const c = await session(config, "apms-app");
  const { rows } = await c.query("select pg_backend_pid() as pid");
  await c.query("begin");
  await c.query(`select count(*) from public.${table}`);
  return {
    pid: rows[0].pid,
    async release() {
      await c.query("commit").catch(() => undefined);
      await c.end().catch(() => undefined);
    },
  };
}

/**
 * Resolves once a gonogo session waits for a strong lock (its no-queueing helper sleeping between
 * NOWAIT attempts), or after timeoutMs: the moment verify has met the application's lock.
 */
export async function contentionSeen(config: pg.ClientConfig, timeoutMs = 60_000): Promise<boolean> {
  const c = await session(config, "contention-watch");
  try {
    const until = performance.now() + timeoutMs;
    while (performance.now() < until) {
      const { rows } = await c.query(
        "select 1 from pg_stat_activity where application_name = 'gonogo' and wait_event = 'PgSleep'",
      );
      if (rows.length > 0) return true;
      await sleep(20);
    }
    return false;
  } finally {
    await c.end().catch(() => undefined);
  }
}

export interface StallRow {
  table: string;
  holderPid: number;
  end: RunEnd;
  probe: ProbeReport;
}

/**
 * For each table in turn: an application transaction holds ACCESS SHARE on it for the whole verify
 * run while the probe takes the application's read lock on every table every 50 ms; returns what
 * verify said and the probe's worst waits. `verify` runs one verify against the database and says how it ended.
 */
export async function stallPerHeldTable(
  config: pg.ClientConfig,
  tables: readonly string[],
  verify: () => Promise<RunEnd>,
  opts: { onRow?: (row: StallRow) => void } = {},
): Promise<StallRow[]> {
  const rows: StallRow[] = [];
  for (const table of tables) {
    const app = await holdAccessShare(config, table);
    const probe = await startProbe(config, tables);
    let end: RunEnd;
    let report: ProbeReport;
    try {
      end = await verify();
    } finally {
      report = await probe.stop();
      await app.release();
    }
    const row = { table, holderPid: app.pid, end, probe: report };
    rows.push(row);
    opts.onRow?.(row);
  }
  return rows;
}
