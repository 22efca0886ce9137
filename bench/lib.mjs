// Shared plumbing of the benchmarks: the repository's paths, a real local cluster from the
// orchestrator (dist/), databases prepared exactly as `verify` prepares its throwaway one, child
// processes timed from outside (wall clock, peak RSS), medians and the one results table.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";

export const ROOT = dirname(dirname(fileURLToPath(import.meta.url)));
export const DIST = join(ROOT, "dist", "orchestrator");
export const CLI = join(DIST, "cli.js");
export const PG_BIN = process.env.PG_BIN || "/usr/lib/postgresql/15/bin";
export const TIME_BIN = "/usr/bin/time";

/** Newest modification time of the orchestrator's TypeScript sources. */
function newestSource(dir) {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) newest = Math.max(newest, newestSource(p));
    else if (e.name.endsWith(".ts") && !e.name.endsWith(".test.ts"))
      newest = Math.max(newest, statSync(p).mtimeMs);
  }
  return newest;
}

/** dist/ is what the benchmarks measure: build it when missing or older than orchestrator/. */
export function ensureBuilt(log) {
  const src = newestSource(join(ROOT, "orchestrator"));
  const built = existsSync(CLI) ? statSync(CLI).mtimeMs : 0;
  if (built >= src && existsSync(join(DIST, "cluster", "server.js"))) return;
  log("building dist/ (npm run build)");
  const r = spawnSync("npm", ["run", "--silent", "build"], {
    cwd: ROOT,
    stdio: ["ignore", "inherit", "inherit"],
  });
  if (r.status !== 0) throw new Error("npm run build failed");
}

/** The orchestrator's modules, from dist/ (imported lazily: run.mjs builds first). */
export async function orchestrator() {
  const cluster = await import(join(DIST, "cluster", "server.js"));
  const apply = await import(join(DIST, "apply", "applier.js"));
  const files = await import(join(DIST, "apply", "sql-files.js"));
  const clone = await import(join(DIST, "cluster", "clone-database.js"));
  return { ...cluster, ...apply, ...files, ...clone };
}

export function median(values) {
  const v = values.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (v.length === 0) return Number.NaN;
  const mid = Math.floor(v.length / 2);
  return v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
}

export function round(x, digits = 2) {
  if (!Number.isFinite(x)) return x;
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

/** libpq environment for psql / pgbench / pg_prove against the bench cluster. */
export function pgEnv(cluster, database) {
  return {
    ...process.env,
    PGHOST: cluster.tcp ? "127.0.0.1" : cluster.socketDir,
    PGPORT: String(cluster.port),
    PGUSER: cluster.superuser,
    PGDATABASE: database,
    PGAPPNAME: "gonogo-bench",
  };
}

/**
 * Run a command, capture its output, time it from outside (wall ms). With `peakMemory`, it runs
 * under /usr/bin/time -v (when present) and `maxRssKb` is the peak resident set of the command.
 */
export function exec(cmd, args, opts = {}) {
  let file = cmd;
  let argv = args;
  const timed = opts.peakMemory && existsSync(TIME_BIN);
  if (timed) {
    file = TIME_BIN;
    argv = ["-v", cmd, ...args];
  }
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(file, argv, {
      cwd: opts.cwd ?? ROOT,
      env: opts.env ?? process.env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    const out = [];
    const err = [];
    child.stdout.on("data", (d) => out.push(d));
    child.stderr.on("data", (d) => err.push(d));
    child.on("error", reject);
    child.on("close", (code) => {
      const wallMs = performance.now() - started;
      let stderr = Buffer.concat(err).toString("utf8");
      let maxRssKb;
      if (timed) {
        const m = /Maximum resident set size \(kbytes\): (\d+)/.exec(stderr);
        if (m) maxRssKb = Number(m[1]);
        const cut = stderr.indexOf("\tCommand being timed:");
        if (cut >= 0) stderr = stderr.slice(0, cut);
      }
      const res = { code, wallMs, stdout: Buffer.concat(out).toString("utf8"), stderr, maxRssKb };
      if (opts.check && !(opts.okCodes ?? [0]).includes(code)) {
        const tail = `${res.stderr}\n${res.stdout}`.trim().split("\n").slice(-15).join("\n");
        reject(new Error(`${cmd} ${args.join(" ")} exited ${code}:\n${tail}`));
      } else resolve(res);
    });
  });
}

/** psql -X -v ON_ERROR_STOP=1 with variables, a file or a command. */
export function psql(cluster, database, { file, command, vars = {} }) {
  const args = ["-X", "-q", "-v", "ON_ERROR_STOP=1"];
  for (const [k, v] of Object.entries(vars)) args.push("-v", `${k}=${v}`);
  if (file) args.push("-f", file);
  if (command) args.push("-c", command);
  return exec("psql", args, { env: pgEnv(cluster, database), check: true });
}

export function pgbin(name) {
  return join(PG_BIN, name);
}

export function elapsed(started) {
  return performance.now() - started;
}

/** Results: one row per metric, printed as one table at the end. */
export class Results {
  rows = [];
  /**
   * @param {object} r bench, metric, value (number|string), unit, target (text), pass (bool|undefined), note
   */
  add(r) {
    this.rows.push({ pass: undefined, note: "", unit: "", target: "", ...r });
    return r;
  }
}

export function fmtValue(r) {
  if (typeof r.value === "number") {
    const v = Math.abs(r.value) >= 100 ? round(r.value, 0) : round(r.value, 2);
    return `${v}${r.unit ? ` ${r.unit}` : ""}`;
  }
  return `${r.value}${r.unit ? ` ${r.unit}` : ""}`;
}

export function markdownTable(rows) {
  const lines = ["| benchmark | metric | value | target | result |", "|---|---|---|---|---|"];
  for (const r of rows) {
    const result = r.pass === undefined ? "info" : r.pass ? "pass" : "**FAIL**";
    const esc = (s) => String(s).replace(/\|/g, "\\|");
    lines.push(
      `| ${esc(r.bench)} | ${esc(r.metric)} | ${esc(fmtValue(r))} | ${esc(r.target || "-")} | ${result} |`,
    );
  }
  return lines.join("\n");
}

/**
 * One `gonogo` run (node dist/orchestrator/cli.js ...), reports in a temporary directory.
 * Resolves with the wall time, exit code, peak RSS (with peakMemory) and the parsed verdict.json;
 * exit codes 0/1/2 (GO/NO-GO/HOLD) are runs that completed, anything else rejects.
 */
export async function gonogo(args, opts = {}) {
  const dir = mkdtempSync(join(tmpdir(), "gonogo-bench-report-"));
  try {
    const env = { ...process.env, ...opts.env };
    if (!opts.env?.DATABASE_URL) delete env.DATABASE_URL;
    const r = await exec(process.execPath, [CLI, ...args, "--report-dir", dir], {
      peakMemory: opts.peakMemory,
      env,
      check: true,
      okCodes: [0, 1, 2],
    });
    const path = join(dir, "verdict.json");
    const verdict = existsSync(path) ? JSON.parse(readFileSync(path, "utf8")) : undefined;
    return { ...r, verdict, decision: verdict?.decision, timings: phaseTimings(verdict) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** verdict.json `timings` as { phase: milliseconds } (accepts { phase: ms } or [{ phase, ms }]). */
export function phaseTimings(verdict) {
  const t = verdict?.timings;
  const out = {};
  if (!t) return out;
  if (Array.isArray(t)) {
    for (const p of t) {
      const name = p.phase ?? p.name;
      const ms = p.ms ?? p.durationMs ?? p.elapsedMs;
      if (name && Number.isFinite(ms)) out[name] = ms;
    }
  } else {
    for (const [k, v] of Object.entries(t)) {
      if (Number.isFinite(v)) out[k.replace(/Ms$/, "")] = v;
      else if (v && Number.isFinite(v.ms)) out[k] = v.ms;
    }
  }
  return out;
}
