// I/O: apply the migration with the project's applier while measuring what it does to the
// pre-existing tables. Three sessions: the applier (each multi-statement file it sends is run
// statement by statement inside the applier's own transaction, timed, with the locks it holds
// after each), a sampler (every ~25 ms: the applier's relation locks and current statement from
// pg_locks / pg_stat_activity) and a probe (one connection per table and kind, reading and writing
// each pre-existing table every 100 ms, writes rolled back, recording its worst wait).
import { performance } from "node:perf_hooks";
import pg from "pg";
import { migrateDatabase } from "../commands/migrate.js";
import { clientConfig, type SessionSettings } from "../connection.js";
import { functionFiles, migrationFiles } from "../sql-files.js";
import { lexPsql, positionToLine } from "../sql-script.js";
import { BASELINE_TABLES } from "../tables.js";
import { blockedTimes, type LockSample, type StatementTiming, strongest } from "./locks.js";
import type { ProbeFigures, Rehearsal } from "./report.js";

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

/**
 * The applier's client, except that a multi-statement text (a whole file) runs statement by
 * statement: same transaction, same session, same result, but each statement is timed and
 * followed by a look at the locks it left. Error positions are mapped back to the whole text.
 */
function timedClient(
  client: pg.Client,
  oids: Oids,
  t0: number,
  record: (s: StatementTiming) => void,
): pg.Client {
  const files = new Map([...migrationFiles(), ...functionFiles()].map((f) => [f.text, f.path]));
  let n = 0;
  const runStatements = async (text: string) => {
    const { statements } = lexPsql(text);
    const file = files.get(text) ?? "(sql)";
    let last: pg.QueryResult | undefined;
    for (const st of statements) {
      const sql = text.slice(st.start, st.end);
      const started = performance.now();
      const timing: StatementTiming = {
        n: ++n,
        file,
        line: positionToLine(text, st.start + 1).line,
        text: (sql.split("\n")[0] ?? "").trim().slice(0, 100),
        startMs: Math.round(started - t0),
        durationMs: 0,
        locksAfter: {},
      };
      try {
        last = await client.query(sql);
      } catch (e) {
        const err = e as pg.DatabaseError;
        timing.durationMs = Math.round(performance.now() - started);
        timing.error = `${err.code ?? ""} ${err.message}`.trim();
        record(timing);
        if (err.position) err.position = String(Number(err.position) + st.start);
        throw err;
      }
      timing.durationMs = Math.round(performance.now() - started);
      const { rows } = await client.query<{ oid: number; mode: string }>(
        "select relation::oid::int8 as oid, mode from pg_locks where pid = pg_backend_pid() and locktype = 'relation' and relation = any($1::oid[])",
        [[...oids.keys()]],
      );
      for (const r of rows) {
        const t = oids.get(Number(r.oid));
        if (t) timing.locksAfter[t] = strongest([timing.locksAfter[t] ?? "", r.mode]);
      }
      record(timing);
    }
    return last;
  };
  return new Proxy(client, {
    get(target, prop, receiver) {
      if (prop !== "query") return Reflect.get(target, prop, receiver);
      return (text: unknown, ...rest: unknown[]) => {
        if (typeof text === "string" && rest.length === 0 && lexPsql(text).statements.length > 1) {
          return runStatements(text);
        }
        return (target.query as (...a: unknown[]) => unknown)(text, ...rest);
      };
    },
  });
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
    const statements: StatementTiming[] = [];
    const t0 = performance.now();
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
      await migrateDatabase(timedClient(applier, oids, t0, (s) => statements.push(s)));
    } catch (e) {
      error = (e as Error).message;
    }
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
