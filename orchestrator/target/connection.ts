// Where to connect and how every connection is set up: libpq-style URL (or DATABASE_URL) with
// PG* variables, .pgpass and sslmode, plus the session settings every gonogo connection carries
// (application_name, lock/statement/idle-in-transaction timeouts). Shows targets without passwords.
import type pg from "pg";
import { parse } from "pg-connection-string";
import { DEFAULT_RETRY } from "../suite/interference.js";
import { trustHandedOverCaCerts } from "./extra-ca.js";

export interface SessionSettings {
  lockTimeoutMs: number;
  statementTimeoutMs: number;
  idleInTransactionTimeoutMs: number;
  /** How long a test file that met contention is retried before the run is inconclusive (default 30 s). */
  retryBudgetMs?: number;
}

export const APPLICATION_NAME = "gonogo";

export const DEFAULT_SESSION: SessionSettings = {
  lockTimeoutMs: 3_000,
  statementTimeoutMs: 60_000,
  idleInTransactionTimeoutMs: 60_000,
  retryBudgetMs: DEFAULT_RETRY.budgetMs,
};

export class BadArgument extends Error {
  override name = "BadArgument";
}

/** `3s`, `500ms`, `2min`, `1h` or a bare number of milliseconds (Postgres' own units). */
export function parseDuration(value: string, what = "duration"): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|min|h)?\s*$/.exec(value);
  if (!m) throw new BadArgument(`${what} '${value}' is not a duration (use e.g. 500ms, 3s, 2min)`);
  const n = Number(m[1]);
  const unit = m[2] ?? "ms";
  const factor = { ms: 1, s: 1000, min: 60_000, h: 3_600_000 }[unit] ?? 1;
  return Math.round(n * factor);
}

/** Session settings from flags, then GONOGO_* variables, then defaults. */
export function sessionSettings(
  flags: { lockTimeout?: string; statementTimeout?: string; idleTimeout?: string; retryBudget?: string },
  env: NodeJS.ProcessEnv = process.env,
): SessionSettings {
  const pick = (flag: string | undefined, name: string, fallback: number, what: string) => {
    const v = flag ?? env[name];
    return v === undefined || v === "" ? fallback : parseDuration(v, what);
  };
  return {
    lockTimeoutMs: pick(
      flags.lockTimeout,
      "GONOGO_LOCK_TIMEOUT",
      DEFAULT_SESSION.lockTimeoutMs,
      "lock timeout",
    ),
    statementTimeoutMs: pick(
      flags.statementTimeout,
      "GONOGO_STATEMENT_TIMEOUT",
      DEFAULT_SESSION.statementTimeoutMs,
      "statement timeout",
    ),
    idleInTransactionTimeoutMs: pick(
      flags.idleTimeout,
      "GONOGO_IDLE_TIMEOUT",
      DEFAULT_SESSION.idleInTransactionTimeoutMs,
      "idle-in-transaction timeout",
    ),
    retryBudgetMs: pick(flags.retryBudget, "GONOGO_RETRY_BUDGET", DEFAULT_RETRY.budgetMs, "retry budget"),
  };
}

/** The database URL to use, or undefined for a throwaway local cluster. */
export function databaseUrlFrom(
  flag: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): string | undefined {
  const url = flag ?? env.DATABASE_URL;
  return url && url.trim() !== "" ? url.trim() : undefined;
}

export interface Target {
  /** node-pg settings without the session part. */
  config: pg.ClientConfig;
  /** host:port/database, never a password. */
  display: string;
  host: string;
  port: number;
  database: string;
  user: string;
  /** Secrets to scrub from any message that might echo them. */
  secrets: string[];
}

/**
 * Parse a database URL with the parser node-pg itself uses (pg-connection-string), so the target
 * shown is the one connected to; missing parts come from PG* variables as node-pg fills them.
 * Every URL gonogo connects to passes here, so this is also where a handed-over
 * GONOGO_EXTRA_CA_CERTS is installed (extra-ca.ts), once, before any TLS connection.
 */
export function targetFromUrl(url: string, env: NodeJS.ProcessEnv = process.env): Target {
  if (!/^postgres(ql)?:\/\//.test(url)) {
    throw new BadArgument(
      `database URL must start with postgresql:// (got '${redactUrl(url).slice(0, 40)}'); e.g. postgresql://user@host:5432/db`,
    );
  }
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(url);
  } catch {
    throw new BadArgument(
      `cannot parse the database URL '${redactUrl(url)}' (a bad port or %-escape?); e.g. postgresql://user@host:5432/db`,
    );
  }
  if (parsed.host?.includes(",")) {
    throw new BadArgument(
      `the database URL '${redactUrl(url)}' lists several hosts, which node-pg does not connect to; give one host`,
    );
  }
  trustHandedOverCaCerts(env);
  const host = parsed.host || env.PGHOST || "localhost";
  const port = Number(parsed.port || env.PGPORT || 5432);
  const user = parsed.user || env.PGUSER || env.USER || "postgres";
  const database = parsed.database || env.PGDATABASE || user;
  const secrets = [parsed.password, env.PGPASSWORD].filter((s): s is string => !!s && s.length > 0);
  const shownHost = host.startsWith("/") ? `[${host}]` : host;
  return {
    config: { connectionString: url },
    display: `${shownHost}:${port}/${database}`,
    host,
    port,
    database,
    user,
    secrets,
  };
}

/** Client settings for one gonogo connection: the target plus the session settings. */
export function clientConfig(base: pg.ClientConfig, session: SessionSettings): pg.ClientConfig {
  return {
    ...base,
    application_name: APPLICATION_NAME,
    lock_timeout: session.lockTimeoutMs,
    statement_timeout: session.statementTimeoutMs,
    idle_in_transaction_session_timeout: session.idleInTransactionTimeoutMs,
    connectionTimeoutMillis: 10_000,
  };
}

/** A connected client with the session settings applied; the workspace code is bound, never spliced. */
export async function connect(
  base: pg.ClientConfig,
  session: SessionSettings,
  workspace?: string,
): Promise<pg.Client> {
  // node-postgres loads on first use: the CLI's entry parses options with this module and starts
  // the throwaway cluster's copy while the rest of gonogo, pg included, loads
  const { default: pgLib } = await import("pg");
  const client = new pgLib.Client(clientConfig(base, session));
  // A dropped connection must surface as a query error, not crash the process.
  client.on("error", () => undefined);
  await client.connect();
  if (workspace !== undefined) {
    await client.query("select set_config('gonogo.workspace', $1, false)", [workspace]);
  }
  return client;
}

/** `postgresql://user:secret@host/db` -> `postgresql://user:***@host/db`, and password=... params. */
export function redactUrl(text: string): string {
  return text
    .replace(/(postgres(?:ql)?:\/\/[^:/@\s]*):[^@\s]*@/g, "$1:***@")
    .replace(/([?&]password=)[^&\s]*/gi, "$1***");
}

/**
 * Pure: a libpq URL without its password (`user:pass@`, `?password=`) and that password, so a child
 * process (pg_dump, pg_restore) gets it in PGPASSWORD instead of on a command line that any local
 * user can read in the process list.
 */
export function splitPassword(url: string): { url: string; password?: string } {
  let password: string | undefined;
  let out = url.replace(/^(postgres(?:ql)?:\/\/[^:/@?#]*):([^@/?#]*)@/, (_m, head: string, pass: string) => {
    password = decodeURIComponent(pass);
    return `${head}@`;
  });
  out = out.replace(/([?&])password=([^&#]*)(&?)/i, (_m, sep: string, pass: string, next: string) => {
    password = decodeURIComponent(pass);
    return next ? sep : "";
  });
  return password === undefined ? { url } : { url: out, password };
}

/** Scrub URLs' passwords and any known secret from a message. */
export function redact(text: string, secrets: readonly string[] = []): string {
  let out = redactUrl(text);
  for (const s of secrets) if (s) out = out.split(s).join("***");
  return out;
}

/** The same libpq URL pointing at another database on the same server (path and dbname=). */
export function urlForDatabase(url: string, database: string): string {
  const m = /^(postgres(?:ql)?:\/\/[^/?]*)(?:\/[^?]*)?(?:\?(.*))?$/.exec(url);
  if (!m) throw new BadArgument(`cannot parse the database URL '${redactUrl(url)}'`);
  const q = new URLSearchParams(m[2] ?? "");
  q.delete("dbname");
  const query = q.toString();
  return `${m[1]}/${encodeURIComponent(database)}${query ? `?${query}` : ""}`;
}
