// I/O: reads one database's catalog into a Snapshot (catalog.ts). Broad on purpose: every
// relation, constraint, index, trigger, policy, function, extension, grant and granted role of
// the user schemas (extension members excluded), so that an object kind `mutate` has no operator
// for shows up in the diff and is reported instead of silently passed over.
import type pg from "pg";
import type { CatalogObject, Snapshot } from "./catalog.js";

// search_path = pg_catalog while reading: every definition comes out schema-qualified.
const USER_NAMESPACE = `n.nspname not in ('pg_catalog', 'information_schema')
  and n.nspname !~ '^pg_toast' and n.nspname !~ '^pg_temp'`;
const notExtensionMember = (catalog: string, oid: string) =>
  `not exists (select from pg_depend d where d.classid = '${catalog}'::regclass and d.objid = ${oid} and d.deptype = 'e')`;

const SNAPSHOT_SQL = `
with rel as (
  select c.oid, c.relname, c.relnamespace, c.relkind, c.relowner, c.relacl, c.relrowsecurity, c.relforcerowsecurity
  from pg_class c join pg_namespace n on n.oid = c.relnamespace
  where ${USER_NAMESPACE} and ${notExtensionMember("pg_class", "c.oid")}
), tbl as (
  select * from rel where relkind in ('r', 'p')
), acl as (
  select t.oid, t.relowner, x.grantee, x.privilege_type
  from tbl t, aclexplode(coalesce(t.relacl, acldefault('r', t.relowner))) x
  where x.grantee <> t.relowner
), nsp_acl as (
  select n.nspname, x.grantee, x.privilege_type
  from pg_namespace n, aclexplode(coalesce(n.nspacl, acldefault('n', n.nspowner))) x
  where ${USER_NAMESPACE} and x.grantee <> n.nspowner
), granted_roles as (
  select grantee from acl union select grantee from nsp_acl
  union select unnest(p.polroles) from pg_policy p join tbl t on t.oid = p.polrelid
)
select case relkind when 'r' then 'table' when 'p' then 'table' when 'v' then 'view'
         when 'm' then 'materialized_view' when 'S' then 'sequence' when 'f' then 'foreign_table'
         when 'c' then 'composite_type' else 'relation_' || relkind::text end as kind,
       oid::regclass::text as name, null::text as tbl, '{}'::jsonb as attrs
from rel where relkind not in ('i', 'I', 't')
union all
select 'rls', 'row level security', oid::regclass::text, jsonb_build_object('force', relforcerowsecurity)
from tbl where relrowsecurity
union all
select 'column', a.attname, t.oid::regclass::text,
       jsonb_build_object('type', format_type(a.atttypid, a.atttypmod), 'notNull', a.attnotnull,
         'default', pg_get_expr(ad.adbin, ad.adrelid))
from tbl t join pg_attribute a on a.attrelid = t.oid and a.attnum > 0 and not a.attisdropped
left join pg_attrdef ad on ad.adrelid = a.attrelid and ad.adnum = a.attnum
union all
select case co.contype when 'p' then 'primary_key' when 'u' then 'unique' when 'f' then 'foreign_key'
         when 'c' then 'check' when 'x' then 'exclusion' when 't' then 'constraint_trigger'
         else 'constraint_' || co.contype::text end,
       co.conname, co.conrelid::regclass::text,
       jsonb_build_object('definition', pg_get_constraintdef(co.oid), 'onDelete', nullif(co.confdeltype, ' '),
         'references', nullif(co.confrelid, 0)::regclass::text)
from pg_constraint co join tbl t on t.oid = co.conrelid
union all
select 'index', i.indexrelid::regclass::text, i.indrelid::regclass::text,
       jsonb_build_object('definition', pg_get_indexdef(i.indexrelid), 'unique', i.indisunique,
         'predicate', pg_get_expr(i.indpred, i.indrelid))
from pg_index i join tbl t on t.oid = i.indrelid
where not exists (select from pg_constraint co where co.conindid = i.indexrelid and co.conrelid = i.indrelid)
union all
select 'trigger', tg.tgname, tg.tgrelid::regclass::text,
       jsonb_build_object('definition', pg_get_triggerdef(tg.oid), 'enabled', tg.tgenabled)
from pg_trigger tg join tbl t on t.oid = tg.tgrelid
where not tg.tgisinternal
union all
select 'policy', p.polname, p.polrelid::regclass::text,
       jsonb_build_object('command', p.polcmd, 'permissive', p.polpermissive,
         'roles', array(select case when r = 0 then 'public' else r::regrole::text end from unnest(p.polroles) r order by 1),
         'using', pg_get_expr(p.polqual, p.polrelid), 'check', pg_get_expr(p.polwithcheck, p.polrelid))
from pg_policy p join tbl t on t.oid = p.polrelid
union all
select case p.prokind when 'f' then 'function' when 'p' then 'procedure' when 'a' then 'aggregate'
         when 'w' then 'window_function' else 'routine_' || p.prokind::text end,
       p.oid::regprocedure::text, null,
       jsonb_build_object('securityDefiner', p.prosecdef, 'config', to_jsonb(p.proconfig),
         'publicExecute', exists (select from aclexplode(coalesce(p.proacl, acldefault('f', p.proowner))) x
                                  where x.grantee = 0 and x.privilege_type = 'EXECUTE'),
         'definition', md5(case when p.prokind in ('f', 'p') then pg_get_functiondef(p.oid) else p.proname end))
from pg_proc p join pg_namespace n on n.oid = p.pronamespace
where ${USER_NAMESPACE} and ${notExtensionMember("pg_proc", "p.oid")}
union all
select 'extension', e.extname, null, jsonb_build_object('schema', e.extnamespace::regnamespace::text)
from pg_extension e where e.extname <> 'plpgsql'
union all
select 'table_grant', case when a.grantee = 0 then 'public' else a.grantee::regrole::text end,
       a.oid::regclass::text, jsonb_build_object('privileges', array_agg(a.privilege_type order by a.privilege_type))
from acl a group by a.oid, a.grantee
union all
select 'schema_grant', case when a.grantee = 0 then 'public' else a.grantee::regrole::text end || ' on ' || a.nspname,
       null, jsonb_build_object('privileges', array_agg(a.privilege_type order by a.privilege_type))
from nsp_acl a group by a.nspname, a.grantee
union all
select 'role', r.rolname, null,
       jsonb_build_object('superuser', r.rolsuper, 'bypassrls', r.rolbypassrls, 'login', r.rolcanlogin,
         'createrole', r.rolcreaterole, 'createdb', r.rolcreatedb, 'replication', r.rolreplication)
from pg_roles r where r.oid in (select grantee from granted_roles)
union all
select case ty.typtype when 'e' then 'enum_type' when 'd' then 'domain' when 'r' then 'range_type'
         when 'm' then 'multirange_type' when 'b' then 'base_type' else 'type_' || ty.typtype::text end,
       ty.oid::regtype::text, null, '{}'::jsonb
from pg_type ty join pg_namespace n on n.oid = ty.typnamespace
where ${USER_NAMESPACE} and ${notExtensionMember("pg_type", "ty.oid")}
  and ty.typtype not in ('c', 'p') and ty.typcategory <> 'A'
union all
select 'schema', n.nspname, null, '{}'::jsonb
from pg_namespace n where ${USER_NAMESPACE}
union all
select 'event_trigger', evtname, null, jsonb_build_object('event', evtevent) from pg_event_trigger
union all
-- what each role that holds a grant may do on every table, granted or not: a privilege it lacks is
-- as much a guarantee as one it holds (issue 22: no UPDATE, no SELECT on the shared tables)
select 'role_table_privileges', r.rolname, t.oid::regclass::text,
       jsonb_build_object('held', array(select p from unnest(array['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'TRUNCATE',
                                                                    'REFERENCES', 'TRIGGER']) p
                                        where has_table_privilege(r.oid, t.oid, p)
                                           or (p in ('SELECT', 'INSERT', 'UPDATE', 'REFERENCES')
                                               and has_any_column_privilege(r.oid, t.oid, p))),
                          'schemaUsage', has_schema_privilege(r.oid, t.relnamespace, 'USAGE'))
from tbl t, pg_roles r
where r.oid in (select grantee from granted_roles) and not r.rolsuper
union all
-- the database's own privileges and those of pg_catalog's functions, where they differ from
-- PostgreSQL's defaults (the migration withholds TEMPORARY and advisory locks from PUBLIC)
select 'database_grant', case when x.grantee = 0 then 'public' else x.grantee::regrole::text end, null,
       jsonb_build_object('privileges', array_agg(x.privilege_type order by x.privilege_type))
from pg_database d, aclexplode(coalesce(d.datacl, acldefault('d', d.datdba))) x
where d.datname = current_database() and x.grantee <> d.datdba
group by x.grantee
union all
select 'system_function_acl', p.oid::regprocedure::text, null,
       jsonb_build_object('publicExecute', has_function_privilege('public', p.oid, 'EXECUTE'))
from pg_proc p
where p.pronamespace = 'pg_catalog'::regnamespace and p.proacl is not null
`;

/** The catalog of the database the client is connected to. */
export async function readSnapshot(client: pg.ClientBase): Promise<Snapshot> {
  await client.query("begin read only");
  try {
    await client.query("set local search_path = pg_catalog");
    const { rows } = await client.query<{ kind: string; name: string; tbl: string | null; attrs: object }>(
      SNAPSHOT_SQL,
    );
    return rows.map(
      (r): CatalogObject => ({
        kind: r.kind,
        name: r.name,
        ...(r.tbl ? { table: r.tbl } : {}),
        attrs: r.attrs as Record<string, unknown>,
      }),
    );
  } finally {
    await client.query("rollback");
  }
}
