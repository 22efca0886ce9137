// A fingerprint of everything a verify run against a URL could leave behind: the schema (pg_dump),
// every table's row count and content checksum, sequence values, extensions, roles, database
// settings, prepared transactions, and other sessions and their locks.
import { execa } from "execa";
import type pg from "pg";
import { cluster } from "./db.js";

export interface Fingerprint {
  schema: string;
  tables: Record<string, string>;
  sequences: Record<string, string>;
  extensions: string[];
  roles: string[];
  settings: string[];
  preparedXacts: number;
  otherSessions: string[];
  otherLocks: string[];
}

async function rows<T>(client: pg.Client, sql: string, params: unknown[] = []): Promise<T[]> {
  return (await client.query(sql, params)).rows as T[];
}

export interface FingerprintOptions {
  /** Leave out rows whose xmin is one of these xids (what a known workload wrote). */
  excludeXmin?: readonly string[];
}

export async function fingerprint(
  client: pg.Client,
  database: string,
  opts: FingerprintOptions = {},
): Promise<Fingerprint> {
  const c = cluster();
  const dump = await execa(
    "pg_dump",
    ["--schema-only", "-h", c.socketDir, "-p", String(c.port), "-U", c.superuser, "-d", database],
    { stdin: "ignore" },
  );
  const tables: Record<string, string> = {};
  const list = await rows<{ t: string }>(
    client,
    `select format('%I.%I', n.nspname, c.relname) as t from pg_class c join pg_namespace n on n.oid = c.relnamespace
     where c.relkind in ('r', 'p') and n.nspname not in ('pg_catalog', 'information_schema') and n.nspname !~ '^pg_temp'
     order by 1`,
  );
  for (const { t } of list) {
    const [r] = await rows<{ n: string; h: string }>(
      client,
      `select count(*)::text as n, coalesce(md5(string_agg(x::text, '|' order by x::text)), '') as h from ${t} x
       where x.xmin::text <> all ($1::text[])`,
      [opts.excludeXmin ?? []],
    );
    tables[t] = `${r?.n}:${r?.h}`;
  }
  const sequences = Object.fromEntries(
    (
      await rows<{ s: string; v: string | null }>(
        client,
        "select format('%I.%I', schemaname, sequencename) as s, last_value::text as v from pg_sequences order by 1",
      )
    ).map((r) => [r.s, String(r.v)]),
  );
  const extensions = (
    await rows<{ e: string }>(client, "select extname || ' ' || extversion as e from pg_extension order by 1")
  ).map((r) => r.e);
  const roles = (
    await rows<{ r: string }>(
      client,
      "select rolname || ':' || rolsuper || rolcreaterole || rolcanlogin || rolbypassrls as r from pg_roles order by 1",
    )
  ).map((r) => r.r);
  const settings = (
    await rows<{ s: string }>(
      client,
      `select coalesce(setrole::regrole::text, '*') || ' ' || array_to_string(setconfig, ',') as s from pg_db_role_setting
       where setdatabase in (0, (select oid from pg_database where datname = current_database())) order by 1`,
    )
  ).map((r) => r.s);
  const [px] = await rows<{ n: number }>(client, "select count(*)::int as n from pg_prepared_xacts");
  // others' sessions and locks may take a moment to disappear after a client exits: poll briefly
  let otherSessions: string[] = [];
  let otherLocks: string[] = [];
  for (let i = 0; i < 20; i++) {
    otherSessions = (
      await rows<{ s: string }>(
        client,
        `select coalesce(application_name, '') || ' ' || state as s from pg_stat_activity
         where datname = current_database() and pid <> pg_backend_pid() and backend_type = 'client backend' order by 1`,
      )
    ).map((r) => r.s);
    otherLocks = (
      await rows<{ l: string }>(
        client,
        `select locktype || ' ' || mode || ' ' || coalesce(relation::regclass::text, '') as l from pg_locks l
         where l.pid <> pg_backend_pid() and l.database = (select oid from pg_database where datname = current_database())
         order by 1`,
      )
    ).map((r) => r.l);
    if (otherSessions.length === 0 && otherLocks.length === 0) break;
    await new Promise((res) => setTimeout(res, 100));
  }
  return {
    // pg_dump 15.14+ fences its output with a random \\restrict key: not part of the schema
    schema: dump.stdout.replace(/^\\(un)?restrict .*$/gm, ""),
    tables,
    sequences,
    extensions,
    roles,
    settings,
    preparedXacts: px?.n ?? 0,
    otherSessions,
    otherLocks,
  };
}
