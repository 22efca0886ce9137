// The one place that turns a failure into exit status 3 with a one-line reason and its fix
// (unreachable host, bad password, missing database, missing pgTAP, schema not migrated, bad flag,
// SQL error in the migration with file:line:col, a run left inconclusive by contention). Passwords
// are scrubbed from every message.
import { ClusterError } from "../cluster/binaries.js";
import { explainInconclusive, type InconclusiveFacts } from "../suite/interference.js";
import { BadArgument, redact } from "../target/connection.js";

/** A SQL error in one of the project's files, located (file, line, column) by the applier. */
export class SqlFileError extends Error {
  override name = "SqlFileError";
  constructor(
    message: string,
    readonly file: string,
    readonly line: number | undefined,
    readonly column: number | undefined,
    readonly sqlstate: string | undefined,
  ) {
    super(message);
  }
}

export const EXIT_INCOMPLETE = 3;

/** A failure we anticipated, with its fix already worded. */
export class GonogoError extends Error {
  override name = "GonogoError";
  constructor(
    message: string,
    readonly fix: string,
  ) {
    super(message);
  }
}

/** The run could not complete undisturbed (contention on a live database): no verdict, exit 3. */
export class Inconclusive extends GonogoError {
  override name = "Inconclusive";
  constructor(readonly facts: InconclusiveFacts) {
    const { reason, fix } = explainInconclusive(facts);
    super(reason, fix);
  }
}

export interface Explained {
  exitCode: typeof EXIT_INCOMPLETE;
  reason: string;
  fix: string;
}

export interface ExplainContext {
  /** host:port/database being used, for messages. */
  target?: string;
  user?: string;
  secrets?: readonly string[];
  /** The command being run (`verify`, `cluster up`), so hints name its --help. */
  command?: string;
}

function oneLine(s: string): string {
  return s.replace(/\s*\n\s*/g, " ").trim();
}

/** Map any thrown value to a reason and a fix. Never includes a stack trace or a password. */
export function explain(err: unknown, ctx: ExplainContext = {}): Explained {
  const { reason, fix } = classify(err, ctx);
  const secrets = ctx.secrets ?? [];
  return {
    exitCode: EXIT_INCOMPLETE,
    reason: redact(oneLine(reason), secrets),
    fix: redact(oneLine(fix), secrets),
  };
}

function classify(err: unknown, ctx: ExplainContext): { reason: string; fix: string } {
  const target = ctx.target ?? "the database";
  if (err instanceof GonogoError) return { reason: err.message, fix: err.fix };
  const help = `see \`gonogo ${ctx.command ? `${ctx.command} ` : ""}--help\``;
  if (err instanceof BadArgument) return { reason: err.message, fix: help };
  if (err instanceof SqlFileError) {
    const at = `${err.file}${err.line ? `:${err.line}:${err.column}` : ""}`;
    // A migration runs online, statement by statement: a refusal (ZD00x) comes from its pre-flight
    // transaction and leaves nothing; a later failure keeps what ran before it, and a rerun resumes.
    const online = err.file.startsWith("db/migrations/") && !/^ZD/.test(err.sqlstate ?? "");
    return {
      reason: `SQL error applying ${at}: ${err.message}`,
      fix: online
        ? `fix the cause of the error at ${at}, then run gonogo migrate again: it resumes the interrupted migration`
        : `fix the statement at ${at}; that file ran in one transaction, so none of it was applied`,
    };
  }
  if (err instanceof ClusterError) {
    return { reason: err.message, fix: "install the server with `make deps` (postgresql-15) or set PG_BIN" };
  }
  const e = err as { code?: string; message?: string; routine?: string };
  const message = e?.message ?? String(err);
  switch (e?.code) {
    case "commander.unknownOption":
    case "commander.unknownCommand":
    case "commander.invalidArgument":
    case "commander.missingArgument":
    case "commander.optionMissingArgument":
    case "commander.excessArguments":
      return {
        reason: message.replace(/^error:\s*/, "").replace(/\n[\s\S]*$/, ""),
        fix: help,
      };
    case "ECONNREFUSED":
      return {
        reason: `cannot reach ${target}: connection refused`,
        fix: "check host and port in the URL, that the server is running and accepts TCP connections (listen_addresses, firewall)",
      };
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return {
        reason: `cannot reach ${target}: host name not found`,
        fix: "check the host name in the URL (DNS)",
      };
    case "ETIMEDOUT":
    case "EHOSTUNREACH":
    case "ENETUNREACH":
      return {
        reason: `cannot reach ${target}: ${e.code}`,
        fix: "check the host, VPN and firewall; is the server up?",
      };
    case "ENOENT":
      return {
        reason: `cannot reach ${target}: no server socket there`,
        fix: "check the socket directory (host=/path) and port; is the server running?",
      };
    case "28P01":
      return {
        reason: `password authentication failed for user ${ctx.user ?? "?"} on ${target}`,
        fix: "check the password in the URL, PGPASSWORD or ~/.pgpass",
      };
    case "28000":
      return {
        reason: `${target} refused the login: ${message}`,
        fix: "check the user name and that pg_hba.conf allows it (host, database, sslmode)",
      };
    case "3D000":
      return {
        reason: `${target}: ${message}`,
        fix: "check the database name in the URL (the last path segment), or create the database",
      };
    case "57P03":
      return {
        reason: `${target} is not accepting connections yet: ${message}`,
        fix: "wait for the server and retry",
      };
    case "53300":
      return {
        reason: `${target}: too many connections`,
        fix: "lower --jobs or free connections on the server",
      };
    case "42501":
      return {
        reason: `${target}: permission denied: ${message}`,
        fix: "connect as the schema owner (the suite creates objects inside transactions it rolls back)",
      };
  }
  if (/does not support SSL/i.test(message)) {
    return {
      reason: `${target}: ${message}`,
      fix: "add sslmode=disable to the URL, or enable ssl on the server",
    };
  }
  if (/self[- ]signed certificate|unable to verify|certificate/i.test(message)) {
    return {
      reason: `${target}: TLS certificate not trusted: ${message}`,
      fix: "use sslmode=no-verify for a test server, or trust its CA (NODE_EXTRA_CA_CERTS=ca.pem)",
    };
  }
  if (/timeout|timed out/i.test(message) && /connect/i.test(message)) {
    return {
      reason: `cannot reach ${target}: connection timed out`,
      fix: "check the host, port, VPN and firewall",
    };
  }
  if (/Connection terminated/i.test(message)) {
    return {
      reason: `the connection to ${target} was closed: ${message}`,
      fix: "check the server log; rerun",
    };
  }
  return {
    reason: message,
    fix: "rerun with GONOGO_DEBUG=1 for the stack trace, and report it if it persists",
  };
}

/** One line for stderr: the reason, then its fix. */
export function formatExplained(x: Explained): string {
  return `gonogo: ${x.reason.replace(/[.\s]+$/, "")}; fix: ${x.fix}\n`;
}
