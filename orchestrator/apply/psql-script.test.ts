import { describe, expect, it } from "vitest";
import { checkForFile, isSection0 } from "../suite/checks.js";
import { expandScript, lexPsql, locate, positionToLine, shapeTransaction } from "./psql-script.js";

describe("lexPsql", () => {
  it("splits statements, ignoring semicolons in strings, identifiers, comments and dollar quotes", () => {
    const sql = `begin;
select 'a;b', "c;d", E'it\\'s;';
-- a comment; with a semicolon
/* block; /* nested; */ still; */
create function f() returns int language sql as $body$ select 1; $body$;
select $$;$$;
select $1 from t;
rollback;`;
    const heads = lexPsql(sql).statements.map((s) => s.head);
    expect(heads).toEqual(["begin", "select", "create function f", "select", "select", "rollback"]);
  });

  it("finds meta-commands outside quotes only", () => {
    const { metas } = lexPsql(
      "select '\\ir nope';\n\\ir ../_support/helpers.psql\n\\set ECHO none\nselect 1;\n",
    );
    expect(metas.map((m) => [m.command, m.arg])).toEqual([
      ["ir", "../_support/helpers.psql"],
      ["set", "ECHO none"],
    ]);
  });

  it("heads are lower-cased and single-spaced", () => {
    expect(lexPsql("ROLLBACK   TO  SAVEPOINT a;").statements[0]?.head).toBe("rollback to savepoint");
  });
});

describe("expandScript", () => {
  const files: Record<string, string> = {
    "/r/db/tests/c1_x/a.test.sql":
      "begin;\n\\ir ../_support/h.psql\nselect plan(1);\nselect bad;\nrollback;\n",
    "/r/db/tests/_support/h.psql":
      "-- helper\ncreate function pg_temp.h() returns int\nlanguage sql as $$ select 1 $$;\n",
    "/r/db/tests/c1_x/meta.test.sql":
      "begin;\n\\set x 1\n\\pset format aligned\n\\! rm -rf /\n\\echo hi\nrollback;\n",
    "/r/db/tests/c1_x/loop.test.sql": "\\ir loop.test.sql\n",
    "/r/db/tests/c1_x/abs.test.sql": "\\i db/tests/_support/h.psql\n",
  };
  const opts = {
    root: "/r",
    readFile: (p: string) => {
      const t = files[p];
      if (t === undefined) throw new Error("ENOENT");
      return t;
    },
  };

  it("inlines \\ir relative to the including file and maps lines back", () => {
    const s = expandScript("/r/db/tests/c1_x/a.test.sql", opts);
    expect(s.errors).toEqual([]);
    expect(s.path).toBe("db/tests/c1_x/a.test.sql");
    expect(s.text).toContain("create function pg_temp.h()");
    expect(s.text).not.toContain("\\ir");
    const at = s.text.indexOf("select bad") + 1 + "select ".length;
    expect(locate(s, at)).toEqual({ file: "db/tests/c1_x/a.test.sql", line: 4, column: 8 });
    const inHelper = s.text.indexOf("language sql") + 1;
    expect(locate(s, inHelper)).toEqual({ file: "db/tests/_support/h.psql", line: 3, column: 1 });
  });

  it("\\i resolves from the root, as psql run from the repository root would", () => {
    const s = expandScript("/r/db/tests/c1_x/abs.test.sql", opts);
    expect(s.errors).toEqual([]);
    expect(s.text).toContain("pg_temp.h()");
  });

  it("ignores \\set, \\unset, \\pset and rejects any other meta-command with its line", () => {
    const s = expandScript("/r/db/tests/c1_x/meta.test.sql", opts);
    expect(s.errors).toEqual([
      "db/tests/c1_x/meta.test.sql:4: psql meta-command \\! is not supported (only \\i, \\ir, \\if/\\elif/\\else/\\endif on :{?name}, \\set, \\unset, \\pset)",
      "db/tests/c1_x/meta.test.sql:5: psql meta-command \\echo is not supported (only \\i, \\ir, \\if/\\elif/\\else/\\endif on :{?name}, \\set, \\unset, \\pset)",
    ]);
  });

  describe("\\if on whether a psql variable is defined", () => {
    const cond: Record<string, string> = {
      "/r/t/guarded.test.sql":
        "begin;\n\\if :{?ready}\n-- skipped\n\\else\n\\ir h.psql\n\\endif\nselect bad;\nrollback;\n",
      "/r/t/h.psql": "create function pg_temp.h() returns int language sql as $$ select 1 $$;\n",
      "/r/t/set.test.sql":
        "\\set ready 1\n\\if :{?ready}\nselect 'kept';\n\\elif true\nselect 'elif';\n\\endif\n",
      "/r/t/nested.test.sql":
        "\\if false\n\\if true\nselect 'inner';\n\\else\nselect 'inner else';\n\\endif\n\\elif :{?x}\nselect 'x';\n\\else\nselect 'last';\n\\endif\n",
      "/r/t/bad.test.sql": "\\if :ready\nselect 1;\n\\endif\n\\else\n\\if true\n",
    };
    const o = (variables: string[] = []) => ({
      root: "/r",
      readFile: (p: string) => {
        const t = cond[p];
        if (t === undefined) throw new Error("ENOENT");
        return t;
      },
      variables: new Set(variables),
    });

    it("takes the \\else branch when the variable is not defined, as plain psql does", () => {
      const s = expandScript("/r/t/guarded.test.sql", o());
      expect(s.errors).toEqual([]);
      expect(s.text).toContain("create function pg_temp.h()");
      expect(s.text).not.toContain("skipped");
    });

    it("drops the other branch when the caller defines it, keeping the line map", () => {
      const s = expandScript("/r/t/guarded.test.sql", o(["ready"]));
      expect(s.errors).toEqual([]);
      expect(s.text).not.toContain("pg_temp.h");
      expect(s.text).toContain("-- skipped");
      expect(locate(s, s.text.indexOf("select bad") + 1)).toEqual({
        file: "t/guarded.test.sql",
        line: 7,
        column: 1,
      });
    });

    it("sees variables the file \\set itself, nests, and takes at most one branch", () => {
      expect(expandScript("/r/t/set.test.sql", o()).text).toMatch(/'kept'/);
      expect(expandScript("/r/t/set.test.sql", o()).text).not.toMatch(/'elif'/);
      const nested = expandScript("/r/t/nested.test.sql", o()).text;
      expect(nested).not.toMatch(/'inner|'x'/);
      expect(nested).toContain("'last'");
      expect(expandScript("/r/t/nested.test.sql", o(["x"])).text.match(/'\w+'/g)).toEqual(["'x'"]);
    });

    it("refuses conditions it cannot evaluate and unbalanced blocks, with their lines", () => {
      expect(expandScript("/r/t/bad.test.sql", o()).errors).toEqual([
        "t/bad.test.sql:1: \\if :ready is not supported (only :{?name} or true/false)",
        "t/bad.test.sql:4: \\else without a matching \\if",
        "t/bad.test.sql:5: \\if without \\endif in the same file",
      ]);
    });
  });

  it("refuses include loops and missing files", () => {
    expect(expandScript("/r/db/tests/c1_x/loop.test.sql", opts).errors[0]).toMatch(/includes itself/);
    expect(expandScript("/r/db/tests/c1_x/none.test.sql", opts).errors[0]).toMatch(/cannot read/);
  });
});

describe("shapeTransaction", () => {
  it("blanks the file's own begin and final rollback, keeping every offset", () => {
    const text = "-- header\nBEGIN;\nselect plan(1);\nselect ok(true);\nROLLBACK;\n";
    const s = shapeTransaction(text);
    expect(s.transactional).toBe(true);
    expect(s.text).toHaveLength(text.length);
    expect(s.text).not.toMatch(/begin|rollback/i);
    expect(s.text.indexOf("select ok")).toBe(text.indexOf("select ok"));
  });

  it("allows savepoints inside", () => {
    expect(
      shapeTransaction("begin; savepoint a; select 1; rollback to savepoint a; release a; rollback;")
        .transactional,
    ).toBe(true);
  });

  it("refuses a file that commits, ends early or does not start with begin", () => {
    expect(shapeTransaction("begin; select 1; commit;").transactional).toBe(false);
    expect(shapeTransaction("begin; select 1; commit; begin; select 2; rollback;").reason).toMatch(/commit/);
    expect(shapeTransaction("begin; select 1; end; rollback;").transactional).toBe(false);
    expect(shapeTransaction("select 1; rollback;").transactional).toBe(false);
    expect(shapeTransaction("begin; select 1; rollback; select 2;").transactional).toBe(false);
    expect(shapeTransaction("").transactional).toBe(false);
  });
});

describe("positionToLine", () => {
  it("is 1-based for both", () => {
    expect(positionToLine("ab\ncd", 1)).toEqual({ line: 1, column: 1 });
    expect(positionToLine("ab\ncd", 5)).toEqual({ line: 2, column: 2 });
  });
});

describe("checkForFile: the folder is the one source of truth", () => {
  it.each([
    ["db/tests/s0_preflight/a.test.sql", "S0"],
    ["db/tests/c3_config_lifecycle/draft_to_active.test.sql", "C3"],
    ["db/tests/inv1_active_config_undeletable/x.test.sql", "INV1"],
    ["db/tests/inv2_single_active_config/x.test.sql", "INV2"],
    ["db/tests/i1_performance_indexes/x.test.sql", "I1"],
    ["db/tests/e3_runtime_progression/x.test.sql", "E3"],
  ])("%s -> %s", (path, id) => {
    expect(checkForFile(path)?.id).toBe(id);
  });

  it("files outside a check folder map to nothing", () => {
    expect(checkForFile("db/tests/_support/helpers.test.sql")).toBeUndefined();
    expect(checkForFile("db/tests/x.test.sql")).toBeUndefined();
    expect(checkForFile("db/tests/c7_nope/x.test.sql")).toBeUndefined();
  });

  it("recognises Section 0 files", () => {
    expect(isSection0("db/tests/s0_preflight/a.test.sql")).toBe(true);
    expect(isSection0("db/tests/c1_schema/a.test.sql")).toBe(false);
  });
});
