// A staging database must offer what the suite needs before anything runs: a primary, writable,
// pgTAP installable, migrated (unless --migrate), and the privileges the suite uses. Each refusal
// is one GonogoError (exit 3) naming the reason and the fix.
import type pg from "pg";
import { ALL_TABLES, MIGRATION_TABLES } from "../migration.js";
import { GonogoError } from "../program/errors.js";
import type { Target } from "./connection.js";

export interface Preflight {
  serverVersion: string;
  major: number;
  pgtapInstalled: boolean;
  pgtapAvailable: boolean;
  migrated: boolean;
  missingTables: string[];
  missingPrivileges: string[];
  superuser: boolean;
  tempOk: boolean;
  appRoleOk: boolean;
  role: string;
  readOnly: boolean;
  inRecovery: boolean;
}

export async function preflight(client: pg.Client): Promise<Preflight> {
  const { rows } = await client.query(
    `select
      current_setting('server_version') as server_version,
      current_setting('server_version_num')::int / 10000 as major,
      exists (select from pg_extension where extname = 'pgtap') as pgtap_installed,
      exists (select from pg_available_extensions where name = 'pgtap') as pgtap_available,
      array(select t from unnest($1::text[]) t where to_regclass('public.' || t) is null) as missing_tables,
      array(select t || ': ' || p from unnest($2::text[]) t, unnest(array['SELECT','INSERT','UPDATE','DELETE','TRUNCATE']) p
             where to_regclass('public.' || t) is not null
               and not has_table_privilege(('public.' || t)::regclass, p)) as missing_privileges,
      (select rolsuper from pg_roles where rolname = current_user) as superuser,
      has_database_privilege(current_database(), 'TEMP') as temp_ok,
      (not exists (select from pg_roles where rolname = 'apms_app')
        or pg_has_role('apms_app', 'MEMBER')) as app_role_ok,
      current_user as role,
      current_setting('default_transaction_read_only') = 'on' as read_only,
      pg_is_in_recovery() as in_recovery`,
    [MIGRATION_TABLES, ALL_TABLES],
  );
  const r = rows[0];
  return {
    serverVersion: r.server_version,
    major: r.major,
    pgtapInstalled: r.pgtap_installed,
    pgtapAvailable: r.pgtap_available,
    migrated: r.missing_tables.length === 0,
    missingTables: r.missing_tables,
    missingPrivileges: r.superuser ? [] : r.missing_privileges,
    superuser: r.superuser,
    tempOk: r.superuser || r.temp_ok,
    appRoleOk: r.superuser || r.app_role_ok,
    role: r.role,
    readOnly: r.read_only,
    inRecovery: r.in_recovery,
  };
}

export function assertUsable(p: Preflight, target: Target, migrate: boolean): void {
  if (p.inRecovery) {
    throw new GonogoError(
      `${target.display} is a read-only standby (pg_is_in_recovery)`,
      "point --database-url at the primary: the suite writes inside transactions it rolls back",
    );
  }
  if (p.readOnly) {
    throw new GonogoError(
      `${target.display} is read-only (default_transaction_read_only = on)`,
      "use a role or database where writes are allowed: the suite writes inside transactions it rolls back",
    );
  }
  if (!p.pgtapInstalled && !p.pgtapAvailable) {
    throw new GonogoError(
      `pgTAP is not available on ${target.display} (PostgreSQL ${p.serverVersion}: no pgtap in pg_available_extensions)`,
      `install the package postgresql-${p.major}-pgtap on the database server (apt-get install postgresql-${p.major}-pgtap); gonogo creates the extension only inside transactions it rolls back`,
    );
  }
  if (!p.migrated && !migrate) {
    const n = p.missingTables.length;
    const partly = n < MIGRATION_TABLES.length;
    throw new GonogoError(
      `${target.display} is ${partly ? "only partly" : "not"} migrated: ${n} of the migration's ${MIGRATION_TABLES.length} tables missing (${p.missingTables.slice(0, 3).join(", ")}${n > 3 ? ", ..." : ""})`,
      partly
        ? "finish or roll back the interrupted migration, then `gonogo migrate --database-url URL` (or --migrate)"
        : "apply the migration first: `gonogo migrate --database-url URL`, or add --migrate",
    );
  }
  if (!p.superuser && !p.pgtapInstalled) {
    throw new GonogoError(
      `role ${p.role} cannot create pgTAP on ${target.display} (permission: creating an untrusted extension needs a superuser)`,
      "run as a superuser, or have one run `create extension pgtap` once",
    );
  }
  const missing = [
    ...p.missingPrivileges,
    ...(p.tempOk ? [] : ["TEMP on the database"]),
    ...(p.appRoleOk ? [] : ["membership in apms_app"]),
  ];
  if (missing.length > 0) {
    throw new GonogoError(
      `role ${p.role} lacks privileges the suite needs on ${target.display} (${missing.length}: ${missing.slice(0, 3).join(", ")}${missing.length > 3 ? ", ..." : ""})`,
      "run as the schema owner or a superuser: the suite writes, and rolls back, in every table",
    );
  }
}
