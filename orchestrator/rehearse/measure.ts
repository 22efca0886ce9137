// I/O: apply the migration with the project's applier while measuring what it does to the
// pre-existing tables. Three sessions: the applier (every statement it reports is timed, with the
// locks it holds right after), a sampler (every ~25 ms: the applier's relation locks and current statement from
// pg_locks / pg_stat_activity) and a probe (one connection per table and kind, reading and writing
// each pre-existing table every 100 ms, writes rolled back, recording its worst wait).
import { performance } from "node:perf_hooks";
import pg from "pg";
import { applyMigrations, type StatementEvent } from "../apply/applier.js";
import { BASELINE_TABLES } from "../migration.js";
import { clientConfig, type SessionSettings } from "../target/connection.js";
import { blockedTimes, type LockSample, type StatementTiming, strongest } from "./locks.js";
import type { ProbeFigures, Rehearsal } from "./rehearsal-report.js";

export const SAMPLE_INTERVAL_MS = 25;
export const PROBE_INTERVAL_MS = 100;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Long waits are the point: the probe and sampler must not give up before the applier does. */
const MEASURING: SessionSettings = {
  lockTimeoutMs: 3_600_000,
  statementTimeoutMs: 3_600_000,
  idleInTransactionTimeoutMs: 60_000,
};

async function open(base: pg.ClientConfig, session: SessionSettings, name: string): Promise<pg.Client> {
  const c = new pg.Client({ ...clientConfig(base, session), application_name: name });
  c.on("error", () => undefined);
  await c.connect();
  return c;
}

type Oids = Map<number, string>;

async function tableOids(client: pg.Client): Promise<Oids> {
  const { rows } = await client.query<{ oid: number; t: string }>(
    "select to_regclass('public.' || t)::oid::int8 as oid, t from unnest($1::text[]) t where to_regclass('public.' || t) is not null",
    [BASELINE_TABLES],
  );
  return new Map(rows.map((r) => [Number(r.oid), r.t]));
}

const LOCKS_HELD =
  "select relation::oid::int8 as oid, mode from pg_locks where pid = pg_backend_pid() and locktype = 'relation' and relation = any($1::oid[])";

/**
 * Each statement the applier reports becomes a timing; the locks it left are read on the
 * applier's own session right after it (node-pg queues the query before the applier's next one).
 */
function statementRecorder(client: pg.Client, oids: Oids, t0: number) {
  const statements: StatementTiming[] = [];
  const pending: Promise<unknown>[] = [];
  const onStatement = (e: StatementEvent) => {
    const timing: StatementTiming = {
      n: statements.length + 1,
      file: e.file,
      line: e.line,
      text: (e.text.trim().split("\n")[0] ?? "").trim().slice(0, 100),
      startMs: Math.round(performance.now() - t0 - e.ms),
      durationMs: Math.round(e.ms),
      locksAfter: {},
    };
    statements.push(timing);
    pending.push(
      client
        .query<{ oid: number; mode: string }>(LOCKS_HELD, [[...oids.keys()]])
        .then(({ rows }) => {
          for (const r of rows) {
            const t = oids.get(Number(r.oid));
            if (t) timing.locksAfter[t] = strongest([timing.locksAfter[t] ?? "", r.mode]);
          }
        })
        .catch(() => undefined),
    );
  };
  return { statements, onStatement, settled: () => Promise.all(pending) };
}

interface Sampler {
  stop(): Promise<LockSample[]>;
}

function startSampler(client: pg.Client, pid: number, oids: Oids, t0: number): Sampler {
  const samples: LockSample[] = [];
  let running = true;
  const loop = (async () => {
    while (running) {
      const started = performance.now();
      try {
        const { rows } = await client.query<{ state: string; query: string; locks: [number, string][] }>(
          `select a.state, left(a.query, 120) as query,
             coalesce(json_agg(json_build_array(l.relation::oid::int8, l.mode)) filter (where l.relation is not null), '[]') as locks
           from pg_stat_activity a
           left join pg_locks l on l.pid = a.pid and l.locktype = 'relation' and l.relation = any($2::oid[])
           where a.pid = $1 group by a.state, a.query`,
          [pid, [...oids.keys()]],
        );
        const r = rows[0];
        const locks: Record<string, string[]> = {};
        for (const [oid, mode] of r?.locks ?? []) {
          const t = oids.get(Number(oid));
          if (t) locks[t] = [...(locks[t] ?? []), mode];
        }
        samples.push({
          atMs: Math.round((started + performance.now()) / 2 - t0),
          locks,
          query: (r?.query ?? "").replace(/\s+/g, " "),
          state: r?.state ?? "gone",
        });
      } catch {
        return;
      }
      await sleep(Math.max(0, SAMPLE_INTERVAL_MS - (performance.now() - started)));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return samples;
    },
  };
}

interface Probe {
  stop(): Promise<ProbeFigures[]>;
}

/** Reads (`select 1 ... limit 1`) and writes (an UPDATE, rolled back) every 100 ms on each table. */
function startProbe(clients: Map<string, { read: pg.Client; write: pg.Client }>): Probe {
  let running = true;
  const figures = new Map<string, ProbeFigures>();
  const loops: Promise<void>[] = [];
  for (const [table, c] of clients) {
    const f: ProbeFigures = { table, readWorstS: 0, writeWorstS: 0, reads: 0, writes: 0 };
    figures.set(table, f);
    const run = async (client: pg.Client, sql: string, kind: "read" | "write") => {
      while (running) {
        const started = performance.now();
        try {
          await client.query(sql);
        } catch {
          await client.query("rollback").catch(() => undefined);
        }
        const waited = (performance.now() - started) / 1000;
        if (kind === "read") {
          f.reads++;
          f.readWorstS = Math.max(f.readWorstS, waited);
        } else {
          f.writes++;
          f.writeWorstS = Math.max(f.writeWorstS, waited);
        }
        await sleep(Math.max(0, PROBE_INTERVAL_MS - (performance.now() - started)));
      }
    };
    loops.push(run(c.read, `select 1 from public.${table} limit 1`, "read"));
    // takes ROW EXCLUSIVE like any application write, touches no row, and is rolled back
    loops.push(run(c.write, `begin; update public.${table} set id = id where false; rollback`, "write"));
  }
  return {
    async stop() {
      running = false;
      await Promise.all(loops);
      return [...figures.values()].map((f) => ({
        ...f,
        readWorstS: Math.round(f.readWorstS * 1000) / 1000,
        writeWorstS: Math.round(f.writeWorstS * 1000) / 1000,
      }));
    },
  };
}

export interface MeasureOptions {
  /** node-pg settings of the database to migrate (the copy, or the disposable clone). */
  config: pg.ClientConfig;
  session: SessionSettings;
  onProgress?: (line: string) => void;
  /** The caller ran the data pre-check on this database just before (see ApplyOptions). */
  precheckDone?: boolean;
}

/** Apply db/migrations + db/functions with the project's applier, measured. Never throws for a SQL error. */
export async function applyMeasured(opts: MeasureOptions): Promise<NonNullable<Rehearsal["apply"]>> {
  // the applier: the session `gonogo migrate` uses (no statement timeout for a migration)
  const applier = await open(opts.config, { ...opts.session, statementTimeoutMs: 0 }, "gonogo");
  const sampler = await open(opts.config, MEASURING, "gonogo-sampler");
  const probes = new Map<string, { read: pg.Client; write: pg.Client }>();
  try {
    const oids = await tableOids(sampler);
    for (const t of oids.values()) {
      probes.set(t, {
        read: await open(opts.config, MEASURING, "gonogo-probe"),
        write: await open(opts.config, MEASURING, "gonogo-probe"),
      });
    }
    const pid = (await applier.query<{ pid: number }>("select pg_backend_pid() as pid")).rows[0]?.pid ?? 0;
    const t0 = performance.now();
    const { statements, onStatement, settled } = statementRecorder(applier, oids, t0);
    const timer = setInterval(() => {
      const last = statements.at(-1);
      opts.onProgress?.(
        `apply: ${statements.length} statements, ${((performance.now() - t0) / 1000).toFixed(0)} s${last ? `, last ${last.file}:${last.line}` : ""}`,
      );
    }, 2_000);
    const sampling = startSampler(sampler, pid, oids, t0);
    const probing = startProbe(probes);
    let error: string | undefined;
    try {
      await applyMigrations(applier, { onStatement, precheckDone: opts.precheckDone });
    } catch (e) {
      error = (e as Error).message;
    }
    await settled();
    const durationMs = Math.round(performance.now() - t0);
    clearInterval(timer);
    const samples = await sampling.stop();
    const observed = await probing.stop();
    return {
      ok: error === undefined,
      error,
      durationMs,
      statements,
      samples: samples.length,
      sampleIntervalMs: samples.length > 1 ? Math.round(durationMs / samples.length) : SAMPLE_INTERVAL_MS,
      computed: blockedTimes(samples, [...oids.values()], durationMs),
      observed,
    };
  } finally {
    const all = [applier, sampler, ...[...probes.values()].flatMap((p) => [p.read, p.write])];
    await Promise.all(all.map((c) => c.end().catch(() => undefined)));
  }
}
