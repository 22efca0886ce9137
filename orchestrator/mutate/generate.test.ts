// Each operator yields the expected mutant on a small schema; an unknown kind is reported.
import { describe, expect, it } from "vitest";
import { LEDGER } from "../apply/applier.js";
import type { CatalogObject } from "./catalog.js";
import { addedObjects } from "./catalog.js";
import { generateMutants, ident, TOOLING_SCHEMA, weakerAction, withOnDelete } from "./generate.js";

const fk = (name: string, onDelete: string, definition: string): CatalogObject => ({
  kind: "foreign_key",
  table: "public.child",
  name,
  attrs: { onDelete, definition, references: "public.parent" },
});

const role: CatalogObject = {
  kind: "role",
  name: "app",
  attrs: { superuser: false, bypassrls: false, login: false },
};

function only(objects: CatalogObject[]) {
  return generateMutants(objects).mutants;
}

describe("foreign keys", () => {
  it("drop each foreign key", () => {
    const m = only([
      fk("child_parent_fkey", "c", "FOREIGN KEY (p) REFERENCES public.parent(id) ON DELETE CASCADE"),
    ]);
    const drop = m.find((x) => x.kind === "drop foreign key");
    expect(drop?.id).toBe("drop-foreign-key:child.child_parent_fkey");
    expect(drop?.sql).toBe("alter table public.child drop constraint child_parent_fkey");
    expect(drop?.table).toBe("child");
  });

  it("CASCADE -> NO ACTION", () => {
    const m = only([fk("f", "c", "FOREIGN KEY (p) REFERENCES public.parent(id) ON DELETE CASCADE")]);
    const change = m.find((x) => x.kind === "on delete action");
    expect(change?.mutation).toBe("ON DELETE CASCADE -> NO ACTION");
    expect(change?.sql).toBe(
      "alter table public.child drop constraint f;\nalter table public.child add constraint f FOREIGN KEY (p) REFERENCES public.parent(id)",
    );
  });

  it("RESTRICT -> CASCADE and NO ACTION -> CASCADE", () => {
    const r = only([fk("f", "r", "FOREIGN KEY (a, b) REFERENCES public.parent(x, y) ON DELETE RESTRICT")]);
    expect(r.find((x) => x.kind === "on delete action")?.sql).toContain(
      "add constraint f FOREIGN KEY (a, b) REFERENCES public.parent(x, y) ON DELETE CASCADE",
    );
    const a = only([fk("f", "a", "FOREIGN KEY (p) REFERENCES public.parent(id) DEFERRABLE")]);
    expect(a.find((x) => x.kind === "on delete action")?.sql).toContain(
      "REFERENCES public.parent(id) ON DELETE CASCADE DEFERRABLE",
    );
  });

  it("SET NULL -> NO ACTION", () => {
    const m = only([fk("f", "n", "FOREIGN KEY (p) REFERENCES public.parent(id) ON DELETE SET NULL")]);
    const change = m.find((x) => x.kind === "on delete action");
    expect(change?.mutation).toBe("ON DELETE SET NULL -> NO ACTION");
    expect(change?.sql).not.toContain("ON DELETE");
  });

  it("keeps ON UPDATE and places ON DELETE after it", () => {
    expect(withOnDelete("FOREIGN KEY (p) REFERENCES public.parent(id) ON UPDATE CASCADE", "c")).toBe(
      "FOREIGN KEY (p) REFERENCES public.parent(id) ON UPDATE CASCADE ON DELETE CASCADE",
    );
    expect(weakerAction("d")).toBe("a");
  });
});

describe("constraints and indexes", () => {
  it("drop each CHECK", () => {
    const m = only([
      { kind: "check", table: "public.t", name: "t_x_check", attrs: { definition: "CHECK ((x > 0))" } },
    ]);
    expect(m).toHaveLength(1);
    expect(m[0]?.sql).toBe("alter table public.t drop constraint t_x_check");
    expect(m[0]?.kind).toBe("drop check");
  });

  it("drop each UNIQUE, with the foreign keys that depend on it", () => {
    const m = only([
      { kind: "unique", table: "public.t", name: "t_key", attrs: { definition: "UNIQUE (a, b)" } },
    ]);
    expect(m[0]?.sql).toBe("alter table public.t drop constraint t_key cascade");
  });

  it("partial unique index: dropped, made non-unique under the same name, predicate dropped", () => {
    const def =
      "CREATE UNIQUE INDEX one_active ON public.cv USING btree (ws) WHERE (status = 'ACTIVE'::text)";
    const m = only([
      {
        kind: "index",
        table: "public.cv",
        name: "public.one_active",
        attrs: { definition: def, unique: true, predicate: "(status = 'ACTIVE'::text)" },
      },
    ]);
    expect(m.map((x) => x.kind).sort()).toEqual([
      "drop partial unique index",
      "index made non-unique",
      "index predicate dropped",
    ]);
    expect(m.find((x) => x.kind === "index made non-unique")?.sql).toBe(
      "drop index public.one_active;\nCREATE INDEX one_active ON public.cv USING btree (ws) WHERE (status = 'ACTIVE'::text)",
    );
    expect(m.find((x) => x.kind === "index predicate dropped")?.sql).toBe(
      "drop index public.one_active;\nCREATE UNIQUE INDEX one_active ON public.cv USING btree (ws)",
    );
  });

  it("drop each performance index", () => {
    const m = only([
      {
        kind: "index",
        table: "public.t",
        name: "public.idx_t_a",
        attrs: {
          definition: "CREATE INDEX idx_t_a ON public.t USING btree (a)",
          unique: false,
          predicate: null,
        },
      },
    ]);
    expect(m).toEqual([
      expect.objectContaining({ kind: "drop performance index", sql: "drop index public.idx_t_a" }),
    ]);
  });

  it("drop each trigger", () => {
    const m = only([
      {
        kind: "trigger",
        table: "public.t",
        name: "trg_900_audit",
        attrs: {
          definition:
            "CREATE TRIGGER trg_900_audit AFTER INSERT ON public.t FOR EACH ROW EXECUTE FUNCTION f()",
        },
      },
    ]);
    expect(m[0]?.sql).toBe("drop trigger trg_900_audit on public.t");
  });
});

describe("row level security and the application role", () => {
  const policy: CatalogObject = {
    kind: "policy",
    table: "public.t",
    name: "workspace_isolation",
    attrs: { using: "(ws = current_ws())", check: null, roles: ["public"], permissive: true, command: "*" },
  };

  it("drop each policy, and add a permissive using (true) one beside it", () => {
    const m = only([policy]);
    expect(m.find((x) => x.kind === "drop policy")?.sql).toBe("drop policy workspace_isolation on public.t");
    expect(m.find((x) => x.kind === "permissive policy added")?.sql).toBe(
      "create policy workspace_isolation_mutant_open on public.t as permissive for all using (true) with check (true)",
    );
  });

  it("disable RLS per table", () => {
    const m = only([{ kind: "rls", table: "public.t", name: "row level security", attrs: { force: false } }]);
    expect(m[0]?.sql).toBe("alter table public.t disable row level security");
  });

  it("BYPASSRLS and LOGIN for the role: cluster-wide, with their undo", () => {
    const m = only([role]);
    expect(m).toEqual([
      expect.objectContaining({
        sql: "alter role app bypassrls",
        undo: "alter role app nobypassrls",
        clusterWide: true,
      }),
      expect.objectContaining({
        sql: "alter role app login",
        undo: "alter role app nologin",
        clusterWide: true,
      }),
    ]);
    expect(only([{ ...role, attrs: { ...role.attrs, bypassrls: true } }])).toEqual([]);
  });

  it("grant the role each table privilege it lacks, in a schema it may use", () => {
    const rights: CatalogObject = {
      kind: "role_table_privileges",
      table: "public.audit",
      name: "app",
      attrs: { held: ["SELECT", "UPDATE"], schemaUsage: true },
    };
    const m = only([role, rights]).filter((x) => x.kind === "table privilege granted");
    expect(m.map((x) => x.sql)).toEqual([
      "grant delete on public.audit to app",
      "grant insert on public.audit to app",
      "grant references on public.audit to app",
      "grant trigger on public.audit to app",
      "grant truncate on public.audit to app",
    ]);
    // rights of roles the migration did not create (an existing role) are left alone, and so are
    // tables in a schema the role may not use
    expect(only([rights])).toEqual([]);
    expect(
      only([role, { ...rights, attrs: { ...rights.attrs, schemaUsage: false } }]).filter(
        (x) => x.table === "audit",
      ),
    ).toEqual([]);
  });

  it("a schema the migration added: USAGE granted to the role", () => {
    const m = only([role, { kind: "schema", name: "private", attrs: {} }]).filter(
      (x) => x.kind === "schema USAGE granted",
    );
    expect(m.map((x) => x.sql)).toEqual(["grant usage on schema private to app"]);
    const granted: CatalogObject = {
      kind: "schema_grant",
      name: "app on private",
      attrs: { privileges: ["USAGE"] },
    };
    expect(
      only([role, granted, { kind: "schema", name: "private", attrs: {} }]).filter(
        (x) => x.kind === "schema USAGE granted",
      ),
    ).toEqual([]);
  });

  it("what the migration withheld from PUBLIC: TEMPORARY on the database, EXECUTE on a system function", () => {
    const db: CatalogObject = { kind: "database_grant", name: "public", attrs: { privileges: ["CONNECT"] } };
    expect(only([db]).map((x) => x.id)).toEqual(["database-grant-temporary:public"]);
    expect(only([{ ...db, name: "someone" }])).toEqual([]);
    const fn: CatalogObject = {
      kind: "system_function_acl",
      name: "pg_advisory_lock(bigint)",
      attrs: { publicExecute: false },
    };
    expect(only([fn])).toEqual([
      expect.objectContaining({ sql: "grant execute on function pg_advisory_lock(bigint) to public" }),
    ]);
    expect(only([{ ...fn, attrs: { publicExecute: true } }])).toEqual([]);
  });
});

describe("extensions and functions", () => {
  it("drop pgcrypto", () => {
    const m = only([{ kind: "extension", name: "pgcrypto", attrs: { schema: "public" } }]);
    expect(m[0]?.sql).toBe("drop extension pgcrypto");
  });

  it("SECURITY DEFINER with a pinned search_path: reset it", () => {
    const f: CatalogObject = {
      kind: "function",
      name: "public.audit()",
      attrs: { securityDefiner: true, config: ['search_path=""'], publicExecute: true },
    };
    expect(only([f])).toEqual([
      expect.objectContaining({
        kind: "definer search_path unpinned",
        sql: "alter function public.audit() reset search_path",
      }),
      expect.objectContaining({
        kind: "definer made invoker",
        sql: "alter function public.audit() security invoker",
      }),
    ]);
    expect(only([{ ...f, attrs: { ...f.attrs, securityDefiner: false } }])).toEqual([]);
  });

  it("EXECUTE granted to PUBLIC on a function PUBLIC may not run", () => {
    const f: CatalogObject = {
      kind: "function",
      name: "public.decide(uuid,text)",
      attrs: { securityDefiner: false, config: null, publicExecute: false },
    };
    expect(only([f])[0]?.sql).toBe("grant execute on function public.decide(uuid,text) to public");
  });
});

describe("the catalog diff and unknown kinds", () => {
  it("an unknown object kind is reported, not skipped", () => {
    const g = generateMutants([{ kind: "sequence", name: "public.s", attrs: {} }]);
    expect(g.mutants).toEqual([]);
    expect(g.unknown).toEqual([{ kind: "sequence", name: "public.s", attrs: {} }]);
  });

  it("structure kinds are counted with their reason, not mutated", () => {
    const g = generateMutants([{ kind: "column", table: "public.t", name: "a", attrs: {} }]);
    expect(g.unknown).toEqual([]);
    expect(g.unmutated).toEqual([expect.objectContaining({ kind: "column", count: 1 })]);
  });

  it("only objects the baseline lacks, or holds with other attributes, are added", () => {
    const base: CatalogObject[] = [
      { kind: "rls", table: "public.a", name: "row level security", attrs: { force: false } },
      { kind: "check", table: "public.a", name: "c", attrs: { definition: "CHECK (x)" } },
    ];
    const prepared: CatalogObject[] = [
      ...base.slice(0, 1),
      { kind: "check", table: "public.a", name: "c", attrs: { definition: "CHECK (y)" } },
      { kind: "trigger", table: "public.a", name: "t", attrs: {} },
    ];
    expect(addedObjects(base, prepared).map((o) => o.name)).toEqual(["c", "t"]);
  });

  it("quotes identifiers only when needed", () => {
    expect(ident("plain_name")).toBe("plain_name");
    expect(ident('Mixed"Case')).toBe('"Mixed""Case"');
  });
});
