// Runs the built gonogo CLI as a user would (node dist/orchestrator/cli.js ...) and returns what
// it printed, its exit code and, with --format json, the parsed verdict.
import { execFileSync } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import { onTestFinished } from "vitest";
import { ROOT } from "../../orchestrator/apply/sql-files.js";

export const CLI = join(ROOT, "dist", "orchestrator", "cli.js");

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
  ms: number;
  /** Parsed stdout when it is the JSON verdict. */
  verdict?: Verdict;
}

export interface Verdict {
  decision: "GO" | "HOLD" | "NO-GO";
  score: { passed: number; total: number; percent: number };
  checks: {
    id: string;
    passed: boolean;
    failures: { file: string; description: string; diagnostics?: string }[];
  }[];
  section0: Record<string, unknown>;
  reasons: string[];
}

export interface CliOptions {
  env?: Record<string, string | undefined>;
  timeoutMs?: number;
}

/** Start the CLI as a child process (for tests that signal it or read it while it runs). */
export function startGonogo(args: string[], opts: CliOptions = {}) {
  if (!existsSync(CLI)) throw new Error(`${CLI} missing: run npm run build first`);
  return execa(process.execPath, [CLI, ...args], {
    cwd: ROOT,
    reject: false,
    timeout: opts.timeoutMs ?? 120_000,
    env: { NO_COLOR: "1", CI: "true", DATABASE_URL: undefined, GONOGO_NO_CACHE: "1", ...opts.env },
    extendEnv: true,
    stdin: "ignore",
    // exactly what the process wrote: a refusal is one line ending in a newline
    stripFinalNewline: false,
  });
}

/** Run the CLI to its end. */
export async function gonogo(args: string[], opts: CliOptions = {}): Promise<CliResult> {
  const t0 = Date.now();
  const r = await startGonogo(args, opts);
  const result: CliResult = {
    code: r.exitCode ?? -1,
    stdout: String(r.stdout),
    stderr: String(r.stderr),
    ms: Date.now() - t0,
  };
  if (args.includes("json")) {
    try {
      result.verdict = JSON.parse(result.stdout) as Verdict;
    } catch {
      // not a verdict (exit 3): leave undefined, the test asserts on code and stderr
    }
  }
  return result;
}

/** Ids of the checks that failed, sorted. */
export function failedChecks(v: Verdict | undefined): string[] {
  return (v?.checks ?? [])
    .filter((c) => !c.passed)
    .map((c) => c.id)
    .sort();
}

/** A directory for a throwaway cluster the server (user postgres) can enter; removed after the test. */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  chmodSync(dir, 0o755);
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** The non-empty lines of a stream's text. */
export const lines = (s: string) => s.split("\n").filter((l) => l !== "");

/** The postgres processes whose command line names this data directory (none once a run cleaned up). */
export function postgresProcessesFor(dir: string): string[] {
  try {
    return execFileSync("pgrep", ["-af", dir], { encoding: "utf8" })
      .split("\n")
      .filter((l) => l.includes("postgres") && !l.includes("pgrep"));
  } catch {
    return []; // pgrep exits 1 when nothing matches
  }
}
