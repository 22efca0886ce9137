// One kept cluster at a time: `cluster up` (and `verify --keep`) refuse while the cluster recorded
// in .gonogo/cluster.json still runs, naming its URL and how to stop it, instead of replacing it.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { GonogoError } from "../program/errors.js";
import { type Cluster, clusterUrl, readClusterState } from "./server.js";

/** The postmaster of a recorded cluster is alive (its pid file names a running process). */
export function clusterRunning(c: Cluster): boolean {
  try {
    const pid = Number(readFileSync(join(c.dataDir, "postmaster.pid"), "utf8").split("\n")[0]);
    if (!(pid > 0)) return false;
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Refuse (exit 3) when the cluster recorded in stateFile is still running; a stale record is ignored. */
export function assertNoClusterUp(stateFile: string, database: string): void {
  if (!existsSync(stateFile)) return;
  let c: Cluster;
  try {
    c = readClusterState(stateFile);
  } catch {
    return;
  }
  if (!clusterRunning(c)) return;
  throw new GonogoError(
    `a cluster is already up (DATABASE_URL=${clusterUrl(c, database)})`,
    "use it, or stop it with `gonogo cluster down` (make cluster-down) and run this again",
  );
}
