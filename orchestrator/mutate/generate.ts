// Pure: the mutants of a schema. Input: the catalog objects the migration and db/functions added
// (catalog.ts addedObjects); output: one mutant per guarantee removed or weakened, each with the SQL
// that applies it to a copy. An object kind with no rule here is reported as unknown, never skipped.
import type { CatalogObject } from "./catalog.js";

export interface Mutant {
  /** Stable id, used by the allowlist: `<operator>:<target>`. */
  id: string;
  /** The operator, e.g. `drop foreign key`, `on delete action`. */
  kind: string;
  /** Table the guarantee belongs to (unqualified when in public), or `(database)` / `(cluster)`. */
  table: string;
  /** What is lost, named: `foreign key workflow_stages_instance_fkey (ON DELETE CASCADE)`. */
  guarantee: string;
  /** What the mutant does: `ON DELETE CASCADE -> NO ACTION`. */
  mutation: string;
  /** SQL applied to the copy (as one simple query). */
  sql: string;
  /** Cluster-wide change (role attributes): must be undone with `undo` and run alone. */
  clusterWide?: boolean;
  undo?: string;
}

export interface Generated {
  mutants: Mutant[];
  /** Objects whose kind has no rule here: reported, so a new kind of guarantee is never missed. */
  unknown: CatalogObject[];
  /** Known kinds with no operator on purpose, with the reason, and how many objects each. */
  unmutated: { kind: string; count: number; reason: string }[];
}

/** Kinds that are structure, not a guarantee an operator weakens; the reason is shown in the report. */
export const UNMUTATED_KINDS: Readonly<Record<string, string>> = {
  table: "structure: a missing table fails C1's table list and every file that uses it",
  column: "structure: columns, types, NOT NULL and defaults are not in the operator set",
  primary_key: "referenced by foreign keys: it cannot be dropped alone",
  schema_grant: "removing a grant only takes rights away from the application role",
  table_grant: "a role's rights on a table are judged in full, granted or not, as role_table_privileges",
};

const SIMPLE_IDENT = /^[a-z_][a-z0-9_$]*$/;

/** A SQL identifier, quoted only when it has to be. */
export function ident(name: string): string {
  return SIMPLE_IDENT.test(name) ? name : `"${name.replace(/"/g, '""')}"`;
}

/** `public.workflow_stages` -> `workflow_stages` (other schemas stay qualified). */
export function shortTable(qualified: string): string {
  return qualified.startsWith("public.") ? qualified.slice("public.".length) : qualified;
}

const ACTION_NAMES: Record<string, string> = {
  a: "NO ACTION",
  r: "RESTRICT",
  c: "CASCADE",
  n: "SET NULL",
  d: "SET DEFAULT",
};

/** The rule: CASCADE -> NO ACTION, RESTRICT / NO ACTION -> CASCADE, SET NULL / DEFAULT -> NO ACTION. */
export function weakerAction(action: string): string {
  return action === "r" || action === "a" ? "c" : "a";
}

const ON_DELETE = / ON DELETE (?:CASCADE|RESTRICT|NO ACTION|SET NULL|SET DEFAULT)(?: \([^)]*\))?/;
const AFTER_REFERENCES =
  /REFERENCES \S+\([^)]*\)(?: MATCH \w+)?(?: ON UPDATE (?:CASCADE|RESTRICT|NO ACTION|SET NULL|SET DEFAULT))?/;

/** A foreign key definition (pg_get_constraintdef) with its ON DELETE action replaced. */
export function withOnDelete(definition: string, action: string): string {
  const bare = definition.replace(ON_DELETE, "");
  if (action === "a") return bare;
  const m = AFTER_REFERENCES.exec(bare);
  if (!m) throw new Error(`cannot place ON DELETE in foreign key definition: ${definition}`);
  const at = m.index + m[0].length;
  return `${bare.slice(0, at)} ON DELETE ${ACTION_NAMES[action]}${bare.slice(at)}`;
}

type Rule = (o: CatalogObject, all: readonly CatalogObject[]) => Mutant[];

const str = (o: CatalogObject, key: string): string => String(o.attrs[key] ?? "");

function onTable(o: CatalogObject): { table: string; qualified: string } {
  const qualified = o.table ?? "";
  return { table: shortTable(qualified), qualified };
}

const dropConstraint =
  (kind: string, label: string, cascade = false): Rule =>
  (o) => {
    const { table, qualified } = onTable(o);
    return [
      {
        id: `${kind.replace(/ /g, "-")}:${table}.${o.name}`,
        kind,
        table,
        guarantee: `${label} ${o.name}: ${str(o, "definition")}`,
        mutation: cascade ? `dropped (with the foreign keys that reference it)` : "dropped",
        sql: `alter table ${qualified} drop constraint ${ident(o.name)}${cascade ? " cascade" : ""}`,
      },
    ];
  };

const foreignKey: Rule = (o) => {
  const { table, qualified } = onTable(o);
  const action = str(o, "onDelete") || "a";
  const to = weakerAction(action);
  const definition = str(o, "definition");
  const guarantee = `foreign key ${o.name} -> ${shortTable(str(o, "references"))} (ON DELETE ${ACTION_NAMES[action]})`;
  return [
    {
      id: `drop-foreign-key:${table}.${o.name}`,
      kind: "drop foreign key",
      table,
      guarantee,
      mutation: "dropped",
      sql: `alter table ${qualified} drop constraint ${ident(o.name)}`,
    },
    {
      id: `on-delete-action:${table}.${o.name}`,
      kind: "on delete action",
      table,
      guarantee,
      mutation: `ON DELETE ${ACTION_NAMES[action]} -> ${ACTION_NAMES[to]}`,
      sql: `alter table ${qualified} drop constraint ${ident(o.name)};\nalter table ${qualified} add constraint ${ident(o.name)} ${withOnDelete(definition, to)}`,
    },
  ];
};

const index: Rule = (o) => {
  const { table } = onTable(o);
  const name = shortTable(o.name);
  const definition = str(o, "definition");
  const predicate = o.attrs.predicate ? String(o.attrs.predicate) : "";
  const unique = o.attrs.unique === true;
  const what = unique && predicate ? "partial unique index" : unique ? "unique index" : "index";
  const guarantee = `${what} ${name}: ${definition.replace(/^CREATE (UNIQUE )?INDEX \S+ ON /, "")}`;
  const base = { table, guarantee };
  const drop = `drop index ${o.name}`;
  const out: Mutant[] = [
    {
      ...base,
      id: `drop-index:${table}.${name}`,
      kind: unique ? `drop ${what}` : "drop performance index",
      mutation: "dropped",
      sql: drop,
    },
  ];
  if (unique) {
    out.push({
      ...base,
      id: `index-not-unique:${table}.${name}`,
      kind: "index made non-unique",
      mutation: "recreated under the same name without UNIQUE",
      sql: `${drop};\n${definition.replace(/^CREATE UNIQUE INDEX/, "CREATE INDEX")}`,
    });
  }
  if (unique && predicate) {
    const cut = definition.lastIndexOf(" WHERE ");
    out.push({
      ...base,
      id: `index-no-predicate:${table}.${name}`,
      kind: "index predicate dropped",
      mutation: `recreated without WHERE ${predicate}`,
      sql: `${drop};\n${definition.slice(0, cut)}`,
    });
  }
  return out;
};

const trigger: Rule = (o) => {
  const { table, qualified } = onTable(o);
  return [
    {
      id: `drop-trigger:${table}.${o.name}`,
      kind: "drop trigger",
      table,
      guarantee: `trigger ${o.name}: ${str(o, "definition").replace(/^CREATE TRIGGER \S+ /, "")}`,
      mutation: "dropped",
      sql: `drop trigger ${ident(o.name)} on ${qualified}`,
    },
  ];
};

const policy: Rule = (o) => {
  const { table, qualified } = onTable(o);
  const guarantee = `RLS policy ${o.name} using ${str(o, "using") || "(none)"}`;
  const open = `${o.name}_mutant_open`.slice(0, 63);
  return [
    {
      id: `drop-policy:${table}.${o.name}`,
      kind: "drop policy",
      table,
      guarantee,
      mutation: "dropped",
      sql: `drop policy ${ident(o.name)} on ${qualified}`,
    },
    {
      id: `open-policy:${table}.${o.name}`,
      kind: "permissive policy added",
      table,
      guarantee,
      mutation: `permissive policy ${open} using (true) added beside it`,
      sql: `create policy ${ident(open)} on ${qualified} as permissive for all using (true) with check (true)`,
    },
  ];
};

const rls: Rule = (o) => {
  const { table, qualified } = onTable(o);
  return [
    {
      id: `disable-rls:${table}`,
      kind: "disable row level security",
      table,
      guarantee: `row level security on ${table}`,
      mutation: "disabled",
      sql: `alter table ${qualified} disable row level security`,
    },
  ];
};

const role: Rule = (o) => {
  if (o.attrs.superuser === true || o.attrs.bypassrls === true) return [];
  const out: Mutant[] = [
    {
      id: `bypassrls:${o.name}`,
      kind: "role BYPASSRLS",
      table: "(cluster)",
      guarantee: `role ${o.name} is subject to row level security (NOBYPASSRLS)`,
      mutation: "given BYPASSRLS (cluster-wide, undone afterwards)",
      sql: `alter role ${ident(o.name)} bypassrls`,
      undo: `alter role ${ident(o.name)} nobypassrls`,
      clusterWide: true,
    },
  ];
  if (o.attrs.login === false) {
    out.push({
      id: `login:${o.name}`,
      kind: "role LOGIN",
      table: "(cluster)",
      guarantee: `role ${o.name} cannot log in (its own defaults apply to no session)`,
      mutation: "given LOGIN (cluster-wide, undone afterwards)",
      sql: `alter role ${ident(o.name)} login`,
      undo: `alter role ${ident(o.name)} nologin`,
      clusterWide: true,
    });
  }
  return out;
};

const TABLE_PRIVILEGES = [
  "SELECT",
  "INSERT",
  "UPDATE",
  "DELETE",
  "TRUNCATE",
  "REFERENCES",
  "TRIGGER",
] as const;

/** The roles the migration created (the application role): their rights are its guarantees, PUBLIC's are not. */
const createdRole = (name: string, all: readonly CatalogObject[]) =>
  all.some((r) => r.kind === "role" && r.name === name);

// Every privilege the application role lacks on a table is granted in turn (in a schema it may use:
// elsewhere the schema's USAGE, a mutant of its own, already refuses).
const roleTablePrivileges: Rule = (o, all) => {
  if (!createdRole(o.name, all) || o.attrs.schemaUsage !== true) return [];
  const { table, qualified } = onTable(o);
  const held = (o.attrs.held as string[] | undefined) ?? [];
  return TABLE_PRIVILEGES.filter((p) => !held.includes(p)).map((p) => ({
    id: `grant-${p.toLowerCase()}:${table}.${o.name}`,
    kind: "table privilege granted",
    table,
    guarantee: `${o.name} holds no ${p} on ${table} (has ${held.join(", ") || "nothing"})`,
    mutation: `grant ${p} to ${o.name}`,
    sql: `grant ${p.toLowerCase()} on ${qualified} to ${ident(o.name)}`,
  }));
};

/** gonogo's own schema (the applier's ledger, apply.ts LEDGER), not the migration's. */
export const TOOLING_SCHEMA = "gonogo";

// A schema the migration added that the application role may not use (apms_private: the keys)
const schema: Rule = (o, all) =>
  o.name === TOOLING_SCHEMA
    ? []
    : all
        .filter((r) => r.kind === "role" && r.attrs.superuser !== true)
        .filter((r) => !all.some((g) => g.kind === "schema_grant" && g.name === `${r.name} on ${o.name}`))
        .map((r) => ({
          id: `grant-usage:${o.name}.${r.name}`,
          kind: "schema USAGE granted",
          table: "(database)",
          guarantee: `${r.name} cannot use schema ${o.name}`,
          mutation: `grant usage on schema ${o.name} to ${r.name}`,
          sql: `grant usage on schema ${ident(o.name)} to ${ident(r.name)}`,
        }));

// What the migration withheld from PUBLIC on the database (TEMPORARY: temporary tables fill the lock table)
const databaseGrant: Rule = (o) => {
  if (o.name !== "public") return [];
  const held = (o.attrs.privileges as string[] | undefined) ?? [];
  return ["TEMPORARY"]
    .filter((p) => !held.includes(p))
    .map((p) => ({
      id: `database-grant-${p.toLowerCase()}:public`,
      kind: "database privilege granted to PUBLIC",
      table: "(database)",
      guarantee: `PUBLIC holds no ${p} on the database`,
      mutation: `grant ${p} on the database to public`,
      sql: `do $mutant$ begin execute format('grant ${p.toLowerCase()} on database %I to public', current_database()); end $mutant$`,
    }));
};

// A function of pg_catalog the migration withheld from PUBLIC (advisory locks, signals to other sessions)
const systemFunctionAcl: Rule = (o) =>
  o.attrs.publicExecute === false
    ? [
        {
          id: `public-execute:${o.name}`,
          kind: "EXECUTE granted to PUBLIC",
          table: "(database)",
          guarantee: `${o.name} is not executable by PUBLIC`,
          mutation: "grant execute to public",
          sql: `grant execute on function ${o.name} to public`,
        },
      ]
    : [];

const extension: Rule = (o) => [
  {
    id: `drop-extension:${o.name}`,
    kind: "drop extension",
    table: "(database)",
    guarantee: `extension ${o.name}`,
    mutation: "dropped",
    sql: `drop extension ${ident(o.name)}`,
  },
];

const routine: Rule = (o) => {
  const out: Mutant[] = [];
  const config = (o.attrs.config as string[] | null) ?? [];
  const pinned = config.find((c) => c.startsWith("search_path="));
  if (o.attrs.securityDefiner === true && pinned) {
    out.push({
      id: `definer-search-path:${o.name}`,
      kind: "definer search_path unpinned",
      table: "(functions)",
      guarantee: `SECURITY DEFINER ${o.name} pins ${pinned}`,
      mutation: "search_path reset: the definer runs with the caller's search_path",
      sql: `alter function ${o.name} reset search_path`,
    });
  }
  if (o.attrs.securityDefiner === true) {
    out.push({
      id: `security-invoker:${o.name}`,
      kind: "definer made invoker",
      table: "(functions)",
      guarantee: `${o.name} runs as its owner (SECURITY DEFINER)`,
      mutation: "security invoker: it runs with the caller's rights and sees what RLS lets the caller see",
      sql: `alter ${o.kind === "procedure" ? "procedure" : "function"} ${o.name} security invoker`,
    });
  }
  if (o.attrs.publicExecute === false) {
    out.push({
      id: `public-execute:${o.name}`,
      kind: "EXECUTE granted to PUBLIC",
      table: "(functions)",
      guarantee: `${o.name} is not executable by PUBLIC`,
      mutation: "grant execute to public",
      sql: `grant execute on ${o.kind === "procedure" ? "procedure" : "function"} ${o.name} to public`,
    });
  }
  return out;
};

const RULES: Readonly<Record<string, Rule>> = {
  foreign_key: foreignKey,
  check: dropConstraint("drop check", "CHECK"),
  unique: dropConstraint("drop unique", "UNIQUE", true),
  index,
  trigger,
  policy,
  rls,
  role,
  role_table_privileges: roleTablePrivileges,
  schema,
  database_grant: databaseGrant,
  system_function_acl: systemFunctionAcl,
  extension,
  function: routine,
  procedure: routine,
};

/** Every mutant of the added objects, in a stable order (by table, then id). */
export function generateMutants(added: readonly CatalogObject[]): Generated {
  const mutants: Mutant[] = [];
  const unknown: CatalogObject[] = [];
  const unmutated = new Map<string, number>();
  for (const o of added) {
    const rule = RULES[o.kind];
    if (rule) mutants.push(...rule(o, added));
    else if (o.kind in UNMUTATED_KINDS) unmutated.set(o.kind, (unmutated.get(o.kind) ?? 0) + 1);
    else unknown.push(o);
  }
  mutants.sort((a, b) => a.table.localeCompare(b.table) || a.id.localeCompare(b.id));
  const ids = new Set<string>();
  for (const m of mutants) {
    if (ids.has(m.id)) throw new Error(`two mutants share the id ${m.id}`);
    ids.add(m.id);
  }
  return {
    mutants,
    unknown,
    unmutated: [...unmutated].map(([kind, count]) => ({ kind, count, reason: UNMUTATED_KINDS[kind] ?? "" })),
  };
}
