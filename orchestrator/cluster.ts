// A real, throwaway PostgreSQL cluster started from the server binaries (initdb + pg_ctl):
// unix socket only (TCP on request), fsync off, removed on stop, on Ctrl-C and on a crash.
// When the orchestrator runs as root the server runs as an unprivileged OS user, since initdb
// refuses to run as root.
import { execFileSync, spawnSync } from "node:child_process";
import { chmodSync, chownSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

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
const DEFAULT_BIN = "/usr/lib/postgresql/15/bin";
const live = new Set<Cluster>();
let exitHookInstalled = false;

export function resolveBinDir(explicit?: string): string {
  const candidates = [explicit, process.env.PG_BIN];
  for (const c of candidates) if (c && existsSync(join(c, "initdb"))) return c;
  if (existsSync(join(DEFAULT_BIN, "initdb"))) return DEFAULT_BIN;
  try {
    const dir = execFileSync("pg_config", ["--bindir"], { encoding: "utf8" }).trim();
    if (existsSync(join(dir, "initdb"))) return dir;
  } catch {
    // fall through to the error below
  }
  throw new ClusterError(
    "PostgreSQL server binaries (initdb, pg_ctl) not found; install postgresql-15 or set PG_BIN to their directory",
  );
}

export class ClusterError extends Error {
  override name = "ClusterError";
}

function lookupUser(name: string): { uid: number; gid: number } {
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

/** Create and start a cluster; it is stopped and removed on process exit unless detached. */
export async function startCluster(opts: ClusterOptions = {}): Promise<Cluster> {
  const binDir = resolveBinDir(opts.binDir);
  const dir = mkdtempSync(join(opts.parentDir ?? tmpdir(), "gonogo-"));
  const asRoot = typeof process.getuid === "function" && process.getuid() === 0;
  const owner = asRoot ? lookupUser(opts.runAs ?? "postgres") : undefined;
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
    ]);
    const settings: Record<string, string> = {
      listen_addresses: tcp ? "'127.0.0.1'" : "''",
      unix_socket_directories: `'${dir}'`,
      port: String(port),
      fsync: "off",
      synchronous_commit: "off",
      full_page_writes: "off",
      max_connections: "100",
      ...opts.settings,
    };
    const conf = Object.entries(settings)
      .map(([k, v]) => `${k} = ${v}`)
      .join("\n");
    writeFileSync(join(cluster.dataDir, "postgresql.auto.conf"), `${conf}\n`);
    if (owner) chownSync(join(cluster.dataDir, "postgresql.auto.conf"), owner.uid, owner.gid);
    await run(cluster, "pg_ctl", [
      "-D",
      cluster.dataDir,
      "-l",
      join(dir, "server.log"),
      "-w",
      "-t",
      "30",
      "start",
    ]);
  } catch (err) {
    stopClusterSync(cluster);
    const log = serverLog(cluster);
    throw new ClusterError(
      `could not start a local cluster: ${(err as Error).message}${log ? `\n${log}` : ""}`,
    );
  }
  return cluster;
}

function serverLog(cluster: Cluster): string {
  const path = join(cluster.dir, "server.log");
  return existsSync(path) ? readFileSync(path, "utf8").split("\n").slice(-10).join("\n") : "";
}

/** initdb / pg_ctl processes still running, killed if we are interrupted while they work. */
const inFlight = new Set<{ kill(signal?: NodeJS.Signals): boolean }>();

async function run(cluster: Cluster, bin: string, args: string[]): Promise<void> {
  // loaded here, not at the top: a run against a URL never starts a cluster and skips its ~45 ms
  const { execa } = await import("execa");
  const child = execa(join(cluster.binDir, bin), args, {
    uid: cluster.uid,
    gid: cluster.gid,
    cwd: cluster.dir,
    reject: false,
    stdin: "ignore",
    env: { LC_ALL: "C", PGTZ: "UTC" },
  });
  inFlight.add(child);
  const r = await child.finally(() => inFlight.delete(child));
  if (r.exitCode !== 0) throw new ClusterError(`${bin} failed: ${(r.stderr || r.stdout).trim()}`);
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
  // Interrupted during initdb or pg_ctl start: a Ctrl-C on a terminal reaches them too, a signal
  // sent to this process alone does not, and an orphaned initdb would outlive its directory.
  for (const child of inFlight) child.kill("SIGKILL");
  const pidFile = join(cluster.dataDir, "postmaster.pid");
  if (existsSync(pidFile)) {
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
  try {
    rmSync(cluster.dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 50 });
  } catch {
    // Exiting anyway (exit hook, signal): a leftover directory must not turn into a crash.
  }
  live.delete(cluster);
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
  for (const sig of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    process.once(sig, () => {
      try {
        for (const c of [...live]) stopClusterSync(c);
      } finally {
        process.exit(sig === "SIGINT" ? 130 : sig === "SIGHUP" ? 129 : 143);
      }
    });
  }
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
