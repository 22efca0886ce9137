// A fault a gate meets in real life: the server dies mid-run (exit 3 within seconds, nothing left
// running). (A DBA pressing Ctrl-C: ctrl_c_exits_130_and_leaves_nothing_running.test.ts.)
import { execFileSync, spawn } from "node:child_process";
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
import { CLI, postgresProcessesFor } from "../../support/gonogo.js";

const clusters: Cluster[] = [];
afterAll(async () => {
  for (const c of clusters) await stopCluster(c);
});

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
