// Pure: what the applying session's locks mean for the application. From the sampler's timeline
// (every ~25 ms: the relation locks the applier holds or waits for) it derives, per pre-existing
// table, how long reads and writes were blocked: ACCESS EXCLUSIVE blocks reads (and writes);
// SHARE and stronger block writes. A waiting request counts too: it queues everyone behind it.

export type LockMode =
  | "AccessShareLock"
  | "RowShareLock"
  | "RowExclusiveLock"
  | "ShareUpdateExclusiveLock"
  | "ShareLock"
  | "ShareRowExclusiveLock"
  | "ExclusiveLock"
  | "AccessExclusiveLock";

const STRENGTH: Record<LockMode, number> & Record<string, number | undefined> = {
  AccessShareLock: 1,
  RowShareLock: 2,
  RowExclusiveLock: 3,
  ShareUpdateExclusiveLock: 4,
  ShareLock: 5,
  ShareRowExclusiveLock: 6,
  ExclusiveLock: 7,
  AccessExclusiveLock: 8,
};

/** Does a lock in this mode keep other sessions from reading (SELECT) the table? */
export const blocksReads = (mode: string) => mode === "AccessExclusiveLock";
/** ...from writing (INSERT/UPDATE/DELETE take ROW EXCLUSIVE, which SHARE and stronger conflict with)? */
export const blocksWrites = (mode: string) => (STRENGTH[mode] ?? 0) >= STRENGTH.ShareLock;

/** The strongest of a set of modes ("" for none). */
export function strongest(modes: readonly string[]): string {
  let best = "";
  for (const m of modes) if ((STRENGTH[m] ?? 0) > (STRENGTH[best] ?? 0)) best = m;
  return best;
}

export interface LockSample {
  /** ms since the apply started. */
  atMs: number;
  /** table -> the modes the applier holds or waits for on it. */
  locks: Record<string, string[]>;
  /** The applier's statement (pg_stat_activity.query, shortened) and state. */
  query: string;
  state: string;
}

export interface BlockedTime {
  /** Seconds in total, and the longest uninterrupted stretch. */
  totalS: number;
  longestS: number;
}

export interface TableBlocking {
  table: string;
  reads: BlockedTime;
  writes: BlockedTime;
  /** The strongest mode seen on the table during the apply. */
  strongest: string;
}

const round = (ms: number) => Math.round(ms) / 1000;

/**
 * Each sample's locks are taken to hold until the next sample (the last until `endMs`): the error
 * is at most one sampling interval per lock acquisition and release.
 */
export function blockedTimes(
  samples: readonly LockSample[],
  tables: readonly string[],
  endMs: number,
): TableBlocking[] {
  return tables.map((table) => {
    const acc = {
      reads: { total: 0, longest: 0, run: 0 },
      writes: { total: 0, longest: 0, run: 0 },
    };
    const seen: string[] = [];
    samples.forEach((s, k) => {
      const next = samples[k + 1]?.atMs ?? endMs;
      const dt = Math.max(0, next - s.atMs);
      const mode = strongest(s.locks[table] ?? []);
      if (mode) seen.push(mode);
      for (const [kind, blocks] of [
        ["reads", blocksReads(mode)],
        ["writes", blocksWrites(mode)],
      ] as const) {
        const a = acc[kind];
        if (blocks) {
          a.total += dt;
          a.run += dt;
          a.longest = Math.max(a.longest, a.run);
        } else a.run = 0;
      }
    });
    return {
      table,
      reads: { totalS: round(acc.reads.total), longestS: round(acc.reads.longest) },
      writes: { totalS: round(acc.writes.total), longestS: round(acc.writes.longest) },
      strongest: strongest(seen),
    };
  });
}

export interface StatementTiming {
  /** Position in the apply, 1-based. */
  n: number;
  file: string;
  line: number;
  /** The statement's first line (shortened). */
  text: string;
  startMs: number;
  durationMs: number;
  /** Relation locks on the pre-existing tables the applier holds right after it (table -> strongest mode). */
  locksAfter: Record<string, string>;
  /** SQLSTATE and message when it failed. */
  error?: string;
}

/** The statements that took longest, slowest first. */
export function slowest(statements: readonly StatementTiming[], n = 5): StatementTiming[] {
  return [...statements].sort((a, b) => b.durationMs - a.durationMs).slice(0, n);
}

/** Tables whose reads / writes a statement leaves blocked (the locks it holds until commit). */
export function blockedBy(s: StatementTiming): { reads: string[]; writes: string[] } {
  const entries = Object.entries(s.locksAfter);
  return {
    reads: entries.filter(([, m]) => blocksReads(m)).map(([t]) => t),
    writes: entries.filter(([, m]) => blocksWrites(m)).map(([t]) => t),
  };
}
