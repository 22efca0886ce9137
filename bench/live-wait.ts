// The application's worst extra wait while gonogo verifies its database (issue 15), measured the
// way the issue measured it: for each of the sixteen tables in turn an application transaction
// holds ACCESS SHARE on it (it read the table and stays open), a probe takes the application's read
// lock on every table every 50 ms, timed inside the server (the lock wait alone) and by the client
// (latency, which a busy machine's scheduling inflates), and `gonogo verify --database-url` runs.
// Prints per held table the exit status and the probe's worst lock wait and latency.
//
//   npx tsx bench/live-wait.ts                      this checkout's dist/orchestrator/cli.js
//   npx tsx bench/live-wait.ts --cli DIR/dist/orchestrator/cli.js   another checkout (before/after)
//
// GONOGO_RETRY_BUDGET=0 is passed so a run that meets the held lock ends at once (exit 3) instead of
// retrying for 30 s; a checkout without retries ignores it.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { execa } from "execa";
import pg from "pg";
import { applyFile, prepareDatabase } from "../orchestrator/apply/applier.js";
import { baselineFile, DEFAULT_BASELINE, ROOT } from "../orchestrator/apply/sql-files.js";
import { clusterConnection, clusterUrl, startCluster, stopCluster } from "../orchestrator/cluster/server.js";
import { ALL_TABLES } from "../orchestrator/migration.js";
import { type RunEnd, type StallRow, stallPerHeldTable } from "../test/support/live.js";

const { values: args } = parseArgs({
  options: { cli: { type: "string", default: join(ROOT, "dist", "orchestrator", "cli.js") } },
});
const cli = args.cli as string;
if (!existsSync(cli)) {
  console.error(`bench: ${cli} missing: run npm run build (in that checkout)`);
  process.exit(1);
}

const cluster = await startCluster();
try {
  const database = "live_wait";
  const admin = new pg.Client(clusterConnection(cluster, "postgres"));
  await admin.connect();
  await admin.query(`create database ${database}`);
  await admin.end();
  const config = clusterConnection(cluster, database);
  const c = new pg.Client(config);
  await c.connect();
  await c.query("set client_min_messages = warning");
  await applyFile(c, baselineFile(DEFAULT_BASELINE));
  await prepareDatabase(c, { pgtap: true, fixtures: true });
  await c.end();
  const url = clusterUrl(cluster, database);

  const verify = async (): Promise<RunEnd> => {
    const r = await execa(
      process.execPath,
      [cli, "verify", "--database-url", url, "--jobs", "2", "--format", "json"],
      {
        reject: false,
        env: { GONOGO_RETRY_BUDGET: "0", NO_COLOR: "1", CI: "true" },
        stdin: "ignore",
      },
    );
    let decision: string | undefined;
    try {
      decision = JSON.parse(String(r.stdout)).decision;
    } catch {
      // exit 3: no verdict on stdout
    }
    return { exitCode: r.exitCode ?? -1, decision, reason: String(r.stderr).trim().split("\n").pop() };
  };

  console.log(`gonogo: ${cli}`);
  console.log(
    "| held by the application | verify exit | decision | probes | worst lock wait (server) | on table | worst probe latency (client) | on table |",
  );
  console.log("|---|---|---|---|---|---|---|---|");
  const rows: StallRow[] = await stallPerHeldTable(config, ALL_TABLES, verify, {
    onRow: (r) =>
      console.log(
        `| ${r.table} | ${r.end.exitCode} | ${r.end.decision ?? "(none)"} | ${r.probe.queries} | ${r.probe.worstLockWaitMs.toFixed(1)} ms | ${r.probe.worstLockWaitTable} | ${r.probe.worstMs.toFixed(1)} ms | ${r.probe.worstTable} |`,
      ),
  });
  const worst = rows.reduce((a, b) => (b.probe.worstLockWaitMs > a.probe.worstLockWaitMs ? b : a));
  const slowest = rows.reduce((a, b) => (b.probe.worstMs > a.probe.worstMs ? b : a));
  const byExit = rows.reduce<Record<string, number>>((m, r) => {
    const k = `exit ${r.end.exitCode}${r.end.decision ? ` ${r.end.decision}` : ""}`;
    m[k] = (m[k] ?? 0) + 1;
    return m;
  }, {});
  console.log(
    `\nworst application lock wait: ${worst.probe.worstLockWaitMs.toFixed(1)} ms (${worst.probe.worstLockWaitTable}, while ${worst.table} was held); slowest probe as the client saw it: ${slowest.probe.worstMs.toFixed(1)} ms; runs: ${Object.entries(
      byExit,
    )
      .map(([k, n]) => `${n} x ${k}`)
      .join(", ")}`,
  );
} finally {
  await stopCluster(cluster);
}
