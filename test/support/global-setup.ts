// Starts one real local cluster for the integration project and builds template databases that
// each test file clones (CREATE DATABASE ... TEMPLATE), so files never share state.
import pg from "pg";
import type { TestProject } from "vitest/node";
import { applyFile, prepareDatabase } from "../../orchestrator/apply/applier.js";
import { baselineFile, baselineNames } from "../../orchestrator/apply/sql-files.js";
import {
  type Cluster,
  clusterConnection,
  startCluster,
  stopCluster,
} from "../../orchestrator/cluster/server.js";

let cluster: Cluster | undefined;

export async function setup(project: TestProject) {
  // No autovacuum: the suite's rolled-back inserts leave dead tuples, and an autovacuum worker
  // would then take SHARE UPDATE EXCLUSIVE on audit_logs of some test's database at a random
  // moment, which the suite's TRUNCATE check rightly reports as interference (exit 3). The tests
  // that count on a quiet server (test/integration/live) got such a run in a fresh-clone CI.
  cluster = await startCluster({ settings: { autovacuum: "off" } });
  const admin = new pg.Client(clusterConnection(cluster, "postgres"));
  await admin.connect();
  const templates: Record<string, string> = {};
  const templateErrors: Record<string, string> = {};
  try {
    // Roles are cluster-wide and fingerprints include them: the one role a test needs (an
    // unprivileged login, honesty/bad-input) exists before any test file takes a fingerprint.
    await admin.query("create role nobody_much login");
    for (const name of baselineNames()) {
      // Bare: the baseline alone, as a database looks before the migration.
      const bare = `tpl_${name}_bare`;
      await admin.query(`create database ${bare}`);
      const c = new pg.Client(clusterConnection(cluster, bare));
      await c.connect();
      try {
        await c.query("set client_min_messages = warning");
        await applyFile(c, baselineFile(name));
        templates[`${name}:bare`] = bare;
      } catch (e) {
        templateErrors[`${name}:bare`] = (e as Error).message;
      } finally {
        await c.end();
      }
      // Migrated: baseline, pgTAP, migrations, functions, dev fixtures, as `verify` prepares it.
      const full = `tpl_${name}`;
      await admin.query(`create database ${full} template ${bare}`);
      const f = new pg.Client(clusterConnection(cluster, full));
      await f.connect();
      try {
        await prepareDatabase(f, { pgtap: true, fixtures: true });
        templates[`${name}:migrated`] = full;
      } catch (e) {
        templateErrors[`${name}:migrated`] = (e as Error).message;
      } finally {
        await f.end();
      }
    }
  } finally {
    await admin.end();
  }
  project.provide("pgCluster", cluster);
  project.provide("pgTemplates", templates);
  project.provide("pgTemplateErrors", templateErrors);
}

export async function teardown() {
  if (cluster) await stopCluster(cluster);
}

declare module "vitest" {
  export interface ProvidedContext {
    pgCluster: Cluster;
    pgTemplates: Record<string, string>;
    pgTemplateErrors: Record<string, string>;
  }
}
