// A real, throwaway PostgreSQL cluster started from the server binaries (initdb + postgres):
// unix socket only (TCP on request), fsync off, removed on stop, on Ctrl-C and on a crash.
// When the orchestrator runs as root the server runs as an unprivileged OS user, since initdb
// refuses to run as root.
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import {
  chmodSync,
  chownSync,
  closeSync,
  existsSync,
  fchownSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { armInterrupts } from "../program/interrupt.js";
import { ClusterError, resolveBinDir } from "./binaries.js";

export interface ClusterOptions {
  /** Directory holding initdb, pg_ctl, postgres; default: $PG_BIN, `pg_config --bindir`, or PG 15's. */
  binDir?: string;
  /** Listen on 127.0.0.1 as well as the unix socket (port picked free). */
  tcp?: boolean;
  /** OS user the server runs as when we are root; default `postgres`. */
  runAs?: string;
  /** Extra `-c name=value` server settings. */
  settings?: Record<string, string>;
  /** Parent directory for the cluster's directory; default os.tmpdir(). */
  parentDir?: string;
  /** initdb --wal-segsize (MB, a power of 2); default 16. Small: a small data directory to copy. */
  walSegmentMb?: number;
}

export interface Cluster {
  /** Top directory: data/, the socket and server.log live under it. */
  dir: string;
  dataDir: string;
  socketDir: string;
  port: number;
  tcp: boolean;
  superuser: string;
  binDir: string;
  /** OS uid/gid the server runs as, when different from ours. */
  uid?: number;
  gid?: number;
}

const SUPERUSER = "postgres";
const live = new Set<Cluster>();
let exitHookInstalled = false;

function lookupUser(name: string): { uid: number; gid: number } {
  // /etc/passwd first (no process to spawn on every run); `id` for users from NSS (LDAP, ...)
  try {
    const line = readFileSync("/etc/passwd", "utf8")
      .split("\n")
      .find((l) => l.startsWith(`${name}:`));
    const [, , uid, gid] = line?.split(":") ?? [];
    if (uid && gid) return { uid: Number(uid), gid: Number(gid) };
  } catch {
    // no readable /etc/passwd: ask id
  }
  const r = spawnSync("id", ["-u", name], { encoding: "utf8" });
  const g = spawnSync("id", ["-g", name], { encoding: "utf8" });
  if (r.status !== 0 || g.status !== 0) {
    throw new ClusterError(
      `running as root and OS user '${name}' does not exist; create it (useradd -r ${name}) or run as a normal user`,
    );
  }
  return { uid: Number(r.stdout.trim()), gid: Number(g.stdout.trim()) };
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      const port = typeof addr === "object" && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** A new, empty cluster directory owned by the server's OS user; tracked for removal on exit. */
async function newClusterDir(opts: ClusterOptions): Promise<Cluster> {
  const binDir = resolveBinDir(opts.binDir);
  const dir = mkdtempSync(join(opts.parentDir ?? tmpdir(), "gonogo-"));
  const owner = serverOwner(opts.runAs);
  const tcp = opts.tcp ?? false;
  const port = tcp ? await freePort() : 5432;
  const cluster: Cluster = {
    dir,
    dataDir: join(dir, "data"),
    socketDir: dir,
    port,
    tcp,
    superuser: SUPERUSER,
    binDir,
    uid: owner?.uid,
    gid: owner?.gid,
  };
  chmodSync(dir, 0o700);
  if (owner) chownSync(dir, owner.uid, owner.gid);
  track(cluster);
  return cluster;
}

/** The OS user the server runs as when we are root (initdb and postgres refuse root). */
export function serverOwner(runAs?: string): { uid: number; gid: number } | undefined {
  const asRoot = typeof process.getuid === "function" && process.getuid() === 0;
  return asRoot ? lookupUser(runAs ?? "postgres") : undefined;
}

/** The settings a cluster's own directory and port dictate, written over any copied ones. */
function configure(cluster: Cluster, extra: Record<string, string> = {}): void {
  const settings: Record<string, string> = {
    listen_addresses: cluster.tcp ? "'127.0.0.1'" : "''",
    unix_socket_directories: `'${cluster.dir}'`,
    port: String(cluster.port),
    fsync: "off",
    synchronous_commit: "off",
    full_page_writes: "off",
    max_connections: "100",
    ...extra,
  };
  const conf = Object.entries(settings)
    .map(([k, v]) => `${k} = ${v}`)
    .join("\n");
  const path = join(cluster.dataDir, "postgresql.auto.conf");
  writeFileSync(path, `${conf}\n`);
  if (cluster.uid !== undefined && cluster.gid !== undefined) chownSync(path, cluster.uid, cluster.gid);
}

/** Start the server of a configured cluster; on failure remove it and say why, with the log's tail. */
export async function startServer(cluster: Cluster): Promise<void> {
  try {
    const postmaster = launchPostmaster(cluster);
    await waitReady(cluster, postmaster, 30_000);
  } catch (err) {
    throw failedStart(cluster, err);
  }
}

/** Postmasters this process launched, until they are ready or stopped (exit status, a kill on interrupt). */
const launched = new Map<Cluster, ChildProcess>();

/**
 * What `pg_ctl start` does, minus its shell and its `postgres -V` check (~60 ms of a cached run's
 * start): the postmaster in a session of its own, so it outlives this process when kept, its
 * output appended to server.log.
 */
function launchPostmaster(cluster: Cluster): ChildProcess {
  const log = openSync(join(cluster.dir, "server.log"), "a", 0o600);
  try {
    if (cluster.uid !== undefined && cluster.gid !== undefined) fchownSync(log, cluster.uid, cluster.gid);
    const child = spawn(join(cluster.binDir, "postgres"), ["-D", cluster.dataDir], {
      uid: cluster.uid,
      gid: cluster.gid,
      cwd: cluster.dir,
      detached: true,
      stdio: ["ignore", log, log],
      env: { LC_ALL: "C", PGTZ: "UTC" },
    });
    child.once("error", () => undefined); // seen as exitCode/signalCode below, or no pid file
    child.unref();
    launched.set(cluster, child);
    return child;
  } finally {
    closeSync(log);
  }
}

/** Until postmaster.pid says `ready` (what pg_ctl -w waits for), the server died, or the timeout. */
async function waitReady(cluster: Cluster, postmaster: ChildProcess, timeoutMs: number): Promise<void> {
  const pidFile = join(cluster.dataDir, "postmaster.pid");
  const log = join(cluster.dir, "server.log");
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (postmaster.exitCode !== null || postmaster.signalCode !== null || postmaster.pid === undefined)
      throw new ClusterError(
        `the server exited during start-up (${postmaster.pid === undefined ? "could not run postgres" : `status ${postmaster.exitCode ?? postmaster.signalCode}`})`,
      );
    const lines = existsSync(pidFile) ? readFileSync(pidFile, "utf8").split("\n") : [];
    // line 8 of postmaster.pid is the postmaster's status (PM_STATUS_READY = "ready")
    if (lines[7]?.trim() === "ready") {
      launched.delete(cluster);
      return;
    }
    const pid = Number(lines[0]);
    if (pid > 0 && !alive(pid)) throw new ClusterError("the server exited during start-up");
    if (lines.length === 0 && existsSync(log) && /\b(FATAL|PANIC):/.test(readFileSync(log, "utf8")))
      throw new ClusterError("the server refused to start");
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new ClusterError(`the server was not ready after ${timeoutMs / 1000} s`);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

function failedStart(cluster: Cluster, err: unknown): ClusterError {
  const log = serverLog(cluster);
  stopClusterSync(cluster);
  return new ClusterError(
    `could not start a local cluster: ${(err as Error).message}${log ? `\n${log}` : ""}`,
  );
}

/** Create and start a cluster; it is stopped and removed on process exit unless detached. */
export async function startCluster(opts: ClusterOptions = {}): Promise<Cluster> {
  const cluster = await newClusterDir(opts);
  try {
    await run(cluster, "initdb", [
      "-D",
      cluster.dataDir,
      "-U",
      SUPERUSER,
      "--auth=trust",
      "--encoding=UTF8",
      "--locale=C",
      "--no-sync",
      "--no-instructions",
      ...(opts.walSegmentMb ? [`--wal-segsize=${opts.walSegmentMb}`] : []),
    ]);
    configure(cluster, opts.settings);
  } catch (err) {
    throw failedStart(cluster, err);
  }
  await startServer(cluster);
  return cluster;
}

/**
 * Start a cluster on a copy of a stopped cluster's data directory (cp --reflink=auto: a
 * copy-on-write clone where the filesystem has one, a plain copy elsewhere; ownership kept).
 * `check` inspects the source while cp copies it, and throws to refuse it.
 */
export async function startClusterFromCopy(
  sourceDataDir: string,
  opts: ClusterOptions & { check?: () => void; onCopied?: () => void } = {},
): Promise<Cluster> {
  const cluster = await newClusterDir(opts);
  try {
    const copying = run(cluster, "cp", [...COPY_FLAGS, sourceDataDir, cluster.dataDir], { asUs: true });
    copying.catch(() => undefined); // awaited below, unless the check refuses first
    opts.check?.();
    await copying;
    opts.onCopied?.();
    configure(cluster, opts.settings);
  } catch (err) {
    stopClusterSync(cluster);
    throw err;
  }
  await startServer(cluster);
  return cluster;
}

/**
 * How a data directory is copied, into the cache and out of it: `cp -a --reflink=auto`, ownership
 * and modes kept (the server refuses a group/world-readable data dir), a copy-on-write clone where
 * the filesystem has one.
 */
const COPY_FLAGS = ["-a", "--reflink=auto"];

/** Copy a stopped cluster's data directory (COPY_FLAGS), synchronously. */
export function copyDataDir(from: string, to: string): void {
  const r = spawnSync("cp", [...COPY_FLAGS, from, to], { encoding: "utf8" });
  if (r.status !== 0)
    throw new ClusterError(`could not copy ${from}: ${(r.stderr || r.error?.message || "").trim()}`);
}

/**
 * In a cleanly stopped cluster, delete the WAL segments after the last checkpoint's REDO segment:
 * spares the server recycled ahead of time, which it recreates when it needs them.
 */
export function dropSpareWal(cluster: Cluster): void {
  const r = spawnSync(join(cluster.binDir, "pg_controldata"), [cluster.dataDir], {
    encoding: "utf8",
    env: { LC_ALL: "C" },
  });
  const redo = /REDO WAL file:\s+([0-9A-F]{24})/.exec(r.stdout ?? "")?.[1];
  if (r.status !== 0 || !redo || !/cluster state:\s+shut down\n/.test(r.stdout)) return;
  const wal = join(cluster.dataDir, "pg_wal");
  for (const name of readdirSync(wal))
    if (/^[0-9A-F]{24}$/.test(name) && name > redo) rmSync(join(wal, name));
}

/** Shut the server down cleanly (a checkpoint: its data directory can be copied) and keep the directory. */
export async function stopServer(cluster: Cluster): Promise<void> {
  await run(cluster, "pg_ctl", ["-D", cluster.dataDir, "-m", "fast", "-w", "-t", "30", "stop"]);
}

function serverLog(cluster: Cluster): string {
  const path = join(cluster.dir, "server.log");
  return existsSync(path) ? readFileSync(path, "utf8").split("\n").slice(-10).join("\n") : "";
}

/** initdb / pg_ctl processes still running, killed if we are interrupted while they work. */
const inFlight = new Set<{ kill(signal?: NodeJS.Signals): boolean }>();

/**
 * A server binary as the server's OS user (or, `asUs`, a program on PATH as ourselves: `cp -a`
 * keeps the copied files' owner only when root runs it), awaited without blocking the event loop.
 */
async function run(
  cluster: Cluster,
  bin: string,
  args: string[],
  opts: { asUs?: boolean } = {},
): Promise<void> {
  // node's own spawn, not execa: importing execa costs ~130 ms, a third of a cached run's start
  const child = spawn(opts.asUs ? bin : join(cluster.binDir, bin), args, {
    uid: opts.asUs ? undefined : cluster.uid,
    gid: opts.asUs ? undefined : cluster.gid,
    cwd: cluster.dir,
    stdio: ["ignore", "pipe", "pipe"],
    env: opts.asUs ? { ...process.env, LC_ALL: "C" } : { LC_ALL: "C", PGTZ: "UTC" },
  });
  inFlight.add(child);
  let out = "";
  child.stdout.on("data", (d: Buffer) => {
    out += d;
  });
  child.stderr.on("data", (d: Buffer) => {
    out += d;
  });
  const code = await new Promise<number | null>((resolve) => {
    child.once("error", (e) => {
      out += e.message;
      resolve(null);
    });
    child.once("close", (c) => resolve(c));
  }).finally(() => inFlight.delete(child));
  if (code !== 0) throw new ClusterError(`${bin} failed: ${out.trim()}`);
}

/** Stop the server and remove its directory. Safe to call twice. */
export async function stopCluster(cluster: Cluster): Promise<void> {
  stopClusterSync(cluster);
}

/**
 * Synchronous so it also works from process 'exit' handlers (crash, Ctrl-C).
 * `immediate` skips the shutdown checkpoint: the directory is removed right after.
 */
export function stopClusterSync(cluster: Cluster): void {
  // Interrupted during initdb or pg_ctl: a Ctrl-C on a terminal reaches them too, a signal
  // sent to this process alone does not, and an orphaned initdb would outlive its directory.
  for (const child of inFlight) child.kill("SIGKILL");
  // A postmaster still starting (no pid file yet) is in a session of its own: no Ctrl-C reaches it.
  const starting = launched.get(cluster);
  if (starting && starting.exitCode === null && starting.signalCode === null) starting.kill("SIGQUIT");
  launched.delete(cluster);
  const pidFile = join(cluster.dataDir, "postmaster.pid");
  if (existsSync(pidFile) && !quitPostmaster(pidFile)) {
    const r = spawnSync(
      join(cluster.binDir, "pg_ctl"),
      ["-D", cluster.dataDir, "-m", "immediate", "-w", "stop"],
      {
        uid: cluster.uid,
        gid: cluster.gid,
        stdio: "ignore",
        timeout: 15_000,
      },
    );
    // Interrupted mid-start (pid file half written) pg_ctl cannot stop it: kill the postmaster.
    if (r.status !== 0) killPostmaster(pidFile);
  }
  removeDir(cluster.dir);
  live.delete(cluster);
}

/**
 * `rm -rf` (~15 ms for a throwaway cluster's ~800 files in /dev/shm; node's rmSync took 40-60 ms
 * for the ~1,400 it had before), then node's own removal for whatever is left. Synchronous: exit
 * hooks call it too.
 */
function removeDir(dir: string): void {
  spawnSync("rm", ["-rf", "--", dir], { stdio: "ignore", timeout: 30_000 });
  try {
    rmSync(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 50 });
  } catch {
    // Exiting anyway (exit hook, signal): a leftover directory must not turn into a crash.
  }
}

/**
 * Immediate shutdown (what `pg_ctl -m immediate stop` sends: SIGQUIT), waiting for the pid file to
 * go in 5 ms steps rather than pg_ctl's 100 ms. False when there is no postmaster to signal.
 */
function quitPostmaster(pidFile: string): boolean {
  let pid = 0;
  try {
    pid = Number(readFileSync(pidFile, "utf8").split("\n")[0]);
    if (!(pid > 0)) return false;
    process.kill(pid, "SIGQUIT");
  } catch {
    return false;
  }
  const nap = new Int32Array(new SharedArrayBuffer(4));
  for (let waited = 0; waited < 15_000; waited += 5) {
    if (!existsSync(pidFile) || !alive(pid)) return true;
    Atomics.wait(nap, 0, 0, 5); // synchronous: this also runs in process 'exit' handlers
  }
  return false;
}

function killPostmaster(pidFile: string): void {
  for (let i = 0; i < 100; i++) {
    let pid = 0;
    try {
      pid = Number(readFileSync(pidFile, "utf8").split("\n")[0]);
    } catch {
      return;
    }
    if (pid > 0) {
      try {
        process.kill(pid, "SIGKILL");
      } catch {
        return;
      }
      // SIGKILL on the postmaster: its children exit when they notice; give them a moment.
      spawnSync("sleep", ["0.1"]);
      return;
    }
    spawnSync("sleep", ["0.02"]);
  }
}

/** Stop and remove every cluster this process started and still tracks; how many there were. */
export function stopAllClusters(): number {
  const all = [...live];
  for (const c of all) stopClusterSync(c);
  return all.length;
}

/** Keep the cluster after this process ends (`--keep`, `cluster up`). */
export function detachCluster(cluster: Cluster): void {
  live.delete(cluster);
}

function track(cluster: Cluster): void {
  live.add(cluster);
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on("exit", () => {
    for (const c of [...live]) stopClusterSync(c);
  });
  // Ctrl-C, SIGTERM, SIGHUP: the program's one set of handlers stops them first (program/interrupt.ts)
  armInterrupts(stopAllClusters);
}

/** libpq URL for a database on the cluster: unix socket unless the cluster listens on TCP. */
export function clusterUrl(cluster: Cluster, database: string): string {
  if (cluster.tcp) return `postgresql://${cluster.superuser}@127.0.0.1:${cluster.port}/${database}`;
  return `postgresql://${cluster.superuser}@/${database}?host=${encodeURIComponent(cluster.socketDir)}&port=${cluster.port}`;
}

/** node-pg connection settings for a database on the cluster. */
export function clusterConnection(cluster: Cluster, database: string) {
  return {
    host: cluster.tcp ? "127.0.0.1" : cluster.socketDir,
    port: cluster.port,
    user: cluster.superuser,
    database,
  };
}

/** Re-open a cluster description written by `cluster up` (JSON). */
export function readClusterState(path: string): Cluster {
  return JSON.parse(readFileSync(path, "utf8")) as Cluster;
}

export function writeClusterState(path: string, cluster: Cluster): void {
  writeFileSync(path, `${JSON.stringify(cluster, null, 2)}\n`);
}
