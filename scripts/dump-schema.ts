// Regenerates db/schema.sql: a normalised `pg_dump --schema-only` of a throwaway database holding
// the uuid baseline plus db/migrations and db/functions (no pgTAP, no fixtures), so every schema
// change shows up in review. `npm run schema:dump` writes it; the integration test
// test/integration/migration/committed_schema_dump_matches_a_fresh_apply.test.ts diffs a fresh dump against the committed file.
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { applyFile, applyMigrations } from "../orchestrator/apply/applier.js";
import { baselineFile, DEFAULT_BASELINE, ROOT } from "../orchestrator/apply/sql-files.js";
import { resolveBinDir } from "../orchestrator/cluster/binaries.js";
import { clusterConnection, startCluster, stopCluster } from "../orchestrator/cluster/server.js";

export const SCHEMA_FILE = join(ROOT, "db", "schema.sql");

export interface DumpTarget {
  host: string;
  port: number;
  user: string;
  database: string;
}

/** A privilege of PUBLIC the migration gave back to a role that existed on that machine (docs/security.md). */
const GIVEN_BACK = /^GRANT ALL ON FUNCTION pg_catalog\.\S+\(.*\) TO (?!apms_app;|PUBLIC;)\S+;$/;

/**
 * Drops what varies between runs and machines but not between schemas: pg_dump's version lines,
 * the random `\restrict` key of recent pg_dump releases, the withheld privileges given back to the
 * cluster's other roles, trailing spaces, runs of blank lines.
 */
export function normaliseDump(text: string): string {
  const lines = text
    .split("\n")
    .filter((l) => !/^-- Dumped (from|by) /.test(l) && !/^\\(un)?restrict /.test(l) && !GIVEN_BACK.test(l))
    .map((l) => l.trimEnd());
  const out: string[] = [];
  for (const l of lines) if (!(l === "" && out.at(-1) === "")) out.push(l);
  while (out.at(-1) === "") out.pop();
  while (out[0] === "") out.shift();
  return `-- Normalised pg_dump --schema-only --no-owner of the uuid baseline + migrations + functions.\n-- Regenerate with: npm run schema:dump\n\n${out.join("\n")}\n`;
}

/** pg_dump --schema-only of one database, normalised. */
export function dumpSchema(target: DumpTarget, binDir = resolveBinDir()): string {
  const raw = execFileSync(
    join(binDir, "pg_dump"),
    [
      "--schema-only",
      "--exclude-schema=gonogo",
      "--no-owner",
      "--no-tablespaces",
      "-h",
      target.host,
      "-p",
      String(target.port),
      "-U",
      target.user,
      "-d",
      target.database,
    ],
    { encoding: "utf8", env: { ...process.env, PGTZ: "UTC", LC_ALL: "C" }, maxBuffer: 64 * 1024 * 1024 },
  );
  return normaliseDump(raw);
}

/** Migrates `client`'s (empty) database as the dump expects: uuid baseline, migrations, functions. */
export async function prepareForDump(client: pg.ClientBase, withBaseline = true): Promise<void> {
  await client.query("set client_min_messages = warning");
  if (withBaseline) await applyFile(client, baselineFile(DEFAULT_BASELINE));
  await applyMigrations(client);
}

async function main() {
  const cluster = await startCluster();
  try {
    const admin = new pg.Client(clusterConnection(cluster, "postgres"));
    await admin.connect();
    await admin.query("create database schema_dump");
    await admin.end();
    const conn = clusterConnection(cluster, "schema_dump");
    const client = new pg.Client(conn);
    await client.connect();
    try {
      await prepareForDump(client);
    } finally {
      await client.end();
    }
    writeFileSync(SCHEMA_FILE, dumpSchema(conn, cluster.binDir));
    console.log(`wrote ${SCHEMA_FILE}`);
  } finally {
    await stopCluster(cluster);
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch((e: unknown) => {
    console.error(`schema:dump failed: ${(e as Error).message}`);
    process.exit(1);
  });
}
