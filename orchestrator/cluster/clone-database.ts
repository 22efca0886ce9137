// I/O: a database copied from a template with its privileges. CREATE DATABASE ... TEMPLATE copies
// every object of the template but not the database's own ACL (pg_database is a shared catalog),
// and the migration withholds TEMPORARY on the database from PUBLIC (docs/security.md): a clone
// without that would hand the application role temporary tables back, and judge another database.
import type pg from "pg";

/** A database name as a quoted identifier. */
export const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** `create database name template template`, then the template's database privileges on the copy. */
export async function cloneDatabase(
  c: pg.ClientBase,
  template: string,
  name: string,
  opts: { fileCopy?: boolean } = {},
): Promise<void> {
  await c.query(
    `create database ${quoteIdent(name)} template ${quoteIdent(template)}${opts.fileCopy ? " strategy file_copy" : ""}`,
  );
  // the template's grants as statements for the copy; none to make when its ACL is the default
  const { rows } = await c.query<{ custom: boolean; statements: string[] }>(
    `select d.datacl is not null as custom,
            array(select format('grant %s on database %I to %s', x.privilege_type, $2::text,
                           case when x.grantee = 0 then 'public' else quote_ident(r.rolname) end)
                  from aclexplode(d.datacl) x left join pg_roles r on r.oid = x.grantee
                  where x.grantee <> d.datdba) as statements
     from pg_database d where d.datname = $1`,
    [template, name],
  );
  if (!rows[0]?.custom) return;
  await c.query(`revoke all on database ${quoteIdent(name)} from public`);
  for (const statement of rows[0].statements) await c.query(statement);
}
