// The option declarations several commands share (a database URL, the session timeouts, the
// prepared-cluster cache, whole numbers), and what the command line remembers for error messages.
// Each command declares its own options in commands/<name>.ts with these.
import { type Command, InvalidArgumentError, Option } from "commander";
import { defaultCacheDir } from "../cluster/cache.js";
import { DEFAULT_SESSION, targetFromUrl } from "../target/connection.js";
import type { ExplainContext } from "./errors.js";

export function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError("must be a whole number >= 1");
  return n;
}

export function urlOption(): Option {
  return new Option("--database-url <url>", "libpq URL of the database (default: $DATABASE_URL)");
}

const DURATION = "a duration: 500ms, 3s, 2min, 1h, or a number of milliseconds";

/** `3000` ms -> `3s`, as the help shows defaults. */
export function showDuration(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}

export function timeoutOptions(cmd: Command): Command {
  const d = DEFAULT_SESSION;
  return cmd
    .option(
      "--lock-timeout <duration>",
      `lock_timeout on every connection, ${DURATION} (default ${showDuration(d.lockTimeoutMs)}; env GONOGO_LOCK_TIMEOUT)`,
    )
    .option(
      "--statement-timeout <duration>",
      `statement_timeout on every connection (default ${showDuration(d.statementTimeoutMs)}; env GONOGO_STATEMENT_TIMEOUT)`,
    )
    .option(
      "--idle-timeout <duration>",
      `idle_in_transaction_session_timeout on every connection (default ${showDuration(d.idleInTransactionTimeoutMs)}; env GONOGO_IDLE_TIMEOUT)`,
    );
}

export function cacheOptions(cmd: Command): Command {
  return cmd
    .option(
      "--cache-dir <dir>",
      "throwaway cluster: prepared-cluster cache (default $XDG_CACHE_HOME/gonogo or ~/.cache/gonogo)",
    )
    .option("--no-cache", "throwaway cluster: prepare from scratch, no cache (env GONOGO_NO_CACHE=1)");
}

/** --cache-dir, else the default; none with --no-cache or GONOGO_NO_CACHE=1. */
export function cacheDirFrom(o: { cache?: boolean; cacheDir?: string }): string | undefined {
  if (o.cache === false || /^(1|true|yes)$/i.test(process.env.GONOGO_NO_CACHE ?? "")) return undefined;
  return o.cacheDir ?? defaultCacheDir();
}

/** Remember the target so error messages can name it (never with its password). */
export function noteTarget(context: ExplainContext, url: string | undefined): void {
  if (!url) return;
  try {
    const t = targetFromUrl(url);
    context.target = t.display;
    context.user = t.user;
    context.secrets = t.secrets;
  } catch {
    // the command itself reports the bad URL
  }
}
