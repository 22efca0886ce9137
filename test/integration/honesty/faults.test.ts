// Faults a gate meets in real life: the server dies mid-run (exit 3 within seconds, nothing left
// running), and a DBA presses Ctrl-C during a throwaway run (cluster stopped, directory removed).
import { execFileSync, spawn } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { prepareDatabase } from "../../../orchestrator/apply/applier.js";
import {
  type Cluster,
  clusterConnection,
  clusterUrl,
  startCluster,
  stopCluster,
} from "../../../orchestrator/cluster/server.js";
import { CLI } from "../../support/gonogo.js";

const clusters: Cluster[] = [];
afterAll(async () => {
  for (const c of clusters) await stopCluster(c);
});

function postgresProcessesFor(dir: string): string[] {
  try {
    return execFileSync("pgrep", ["-af", dir], { encoding: "utf8" })
      .split("\n")
      .filter((l) => l.includes("postgres") && !l.includes("pgrep"));
  } catch {
    return []; // pgrep exits 1 when nothing matches
  }
}

function waitExit(child: ReturnType<typeof spawn>): Promise<{ code: number | null; signal: string | null }> {
  return new Promise((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));
}

describe("the server killed mid-run", () => {
  it("exits 3 within seconds with a one-line reason and leaves nothing running", async () => {
    const cluster = await startCluster();
    clusters.push(cluster);
    const admin = new pg.Client(clusterConnection(cluster, "postgres"));
    await admin.connect();
    await admin.query("create database staging");
    await admin.end();
    const c = new pg.Client(clusterConnection(cluster, "staging"));
    await c.connect();
    await prepareDatabase(c, { baseline: "uuid", pgtap: true, fixtures: true });
    // slow the suite down so the kill lands while files are running
    await c.query(`
      create function public.gonogo_slow() returns trigger language plpgsql as
        $$ begin perform pg_sleep(0.3); return new; end $$;
      create trigger trg_000_slow before insert on public.config_versions
        for each row execute function public.gonogo_slow();`);
    await c.end();

    const child = spawn(
      process.execPath,
      [CLI, "verify", "--database-url", clusterUrl(cluster, "staging"), "--jobs", "1"],
      {
        env: { ...process.env, NO_COLOR: "1", CI: "true" },
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let out = "";
    child.stdout?.on("data", (d) => {
      out += d;
    });
    child.stderr?.on("data", (d) => {
      out += d;
    });
    const exited = waitExit(child);
    await new Promise((r) => setTimeout(r, 1500));
    execFileSync(join(cluster.binDir, "pg_ctl"), ["-D", cluster.dataDir, "-m", "immediate", "stop"], {
      uid: cluster.uid,
      gid: cluster.gid,
      stdio: "ignore",
    });
    const killedAt = Date.now();
    const { code } = await exited;
    expect(Date.now() - killedAt).toBeLessThan(10_000);
    expect(code, out).toBe(3);
    expect(out).not.toMatch(/\n\s+at .+:\d+:\d+/); // no stack trace
    expect(postgresProcessesFor(cluster.dataDir)).toEqual([]);
  });
});

describe("Ctrl-C during a throwaway run", () => {
  it("stops the cluster and removes its directory", async () => {
    const parent = mkdtempSync(join(tmpdir(), "gonogo-sigint-"));
    chmodSync(parent, 0o755); // the server's OS user must reach its directory inside
    try {
      const child = spawn(process.execPath, [CLI, "verify"], {
        env: { ...process.env, TMPDIR: parent, NO_COLOR: "1", CI: "true" },
        stdio: ["ignore", "pipe", "pipe"],
      });
      const exited = waitExit(child);
      // wait until the cluster is up (its pid file exists), then interrupt
      const deadline = Date.now() + 30_000;
      let dataDir = "";
      while (Date.now() < deadline && !dataDir) {
        for (const d of readdirSync(parent)) {
          if (existsSync(join(parent, d, "data", "postmaster.pid"))) dataDir = join(parent, d, "data");
        }
        await new Promise((r) => setTimeout(r, 25));
      }
      expect(dataDir).not.toBe("");
      child.kill("SIGINT");
      const started = Date.now();
      const { code, signal } = await exited;
      expect(Date.now() - started).toBeLessThan(15_000);
      expect(code === 130 || signal === "SIGINT").toBe(true);
      expect(readdirSync(parent)).toEqual([]);
      expect(postgresProcessesFor(dataDir)).toEqual([]);
    } finally {
      rmSync(parent, { recursive: true, force: true });
    }
  });
});
