// Per-file databases for integration tests, cloned from the templates global-setup built.
import { randomBytes } from "node:crypto";
import pg from "pg";
import { inject } from "vitest";
import { cloneDatabase } from "../../orchestrator/cluster/clone-database.js";
import { clusterConnection, clusterUrl } from "../../orchestrator/cluster/server.js";

export type TemplateKind = "migrated" | "bare" | "empty";

export interface TestDatabase {
  name: string;
  url: string;
  connection: { host: string; port: number; user: string; database: string };
  /** A new connected client; closed by drop(). */
  connect(): Promise<pg.Client>;
  drop(): Promise<void>;
}

export function cluster() {
  return inject("pgCluster");
}

/** Connection settings for an existing database on the test cluster. */
export function connectionFor(database: string) {
  return clusterConnection(cluster(), database);
}

/**
 * A fresh database: `migrated` (baseline + migration + functions + fixtures + pgTAP),
 * `bare` (the baseline alone) or `empty`.
 */
export async function createDatabase(
  opts: { baseline?: string; kind?: TemplateKind } = {},
): Promise<TestDatabase> {
  const baseline = opts.baseline ?? "uuid";
  const kind = opts.kind ?? "migrated";
  let template = "template0";
  if (kind !== "empty") {
    const key = `${baseline}:${kind}`;
    const t = inject("pgTemplates")[key];
    if (!t)
      throw new Error(
        `template ${key} unavailable: ${inject("pgTemplateErrors")[key] ?? "unknown baseline"}`,
      );
    template = t;
  }
  const name = `t_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client(connectionFor("postgres"));
  await admin.connect();
  try {
    await cloneDatabase(admin, template, name);
  } finally {
    await admin.end();
  }
  const clients: pg.Client[] = [];
  return {
    name,
    url: clusterUrl(cluster(), name),
    connection: connectionFor(name),
    async connect() {
      const c = new pg.Client(connectionFor(name));
      await c.connect();
      clients.push(c);
      return c;
    },
    async drop() {
      await Promise.all(clients.map((c) => c.end().catch(() => undefined)));
      const a = new pg.Client(connectionFor("postgres"));
      await a.connect();
      try {
        await a.query(`drop database if exists ${name} with (force)`);
      } finally {
        await a.end();
      }
    },
  };
}
