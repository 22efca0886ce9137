import { describe, expect, it } from "vitest";
import { assertDiskSpace, dataPipelines, findTools, requiredBytes } from "./copy.js";

describe("refusals before copying", () => {
  it("pg_dump older than the source names the client package for the source's major", () => {
    expect(() => findTools(99)).toThrow(/older than the source server \(PostgreSQL 99\)|not found/);
    try {
      findTools(99);
    } catch (e) {
      expect((e as { fix: string }).fix).toBe(
        "install the package postgresql-client-99 (apt-get install postgresql-client-99)",
      );
    }
  });
  it("finds this machine's pg_dump for a source of its own major", () => {
    expect(findTools(15).major).toBeGreaterThanOrEqual(15);
  });
  it("not enough disk: refused before copying, with the sizes", () => {
    expect(() => assertDiskSpace("/", 2 ** 50)).toThrow(
      /not enough disk for the copy in \/: about .* GB needed/,
    );
    expect(assertDiskSpace("/", 1).needBytes).toBe(requiredBytes(1));
  });
});

describe("dataPipelines: the table data spread over the jobs", () => {
  const t = (pattern: string, bytes: number) => ({ pattern, bytes });
  const tables = [
    t('"public"."small"', 10),
    t('"public"."stages"', 600),
    t('"public"."instances"', 150),
    t('"public"."a"', 5),
  ];

  it("one job: one pipeline selecting everything, truncating every table first", () => {
    expect(dataPipelines(tables, 1)).toEqual([
      {
        select: [],
        tables: ['"public"."small"', '"public"."stages"', '"public"."instances"', '"public"."a"'],
      },
    ]);
  });

  it("two jobs: the biggest table alone; pipeline 0 takes the rest by excluding it", () => {
    expect(dataPipelines(tables, 2)).toEqual([
      {
        select: ['--exclude-table-data="public"."stages"'],
        tables: ['"public"."small"', '"public"."instances"', '"public"."a"'],
      },
      { select: ['--table="public"."stages"'], tables: ['"public"."stages"'] },
    ]);
  });

  it("three jobs: biggest first onto the least loaded; every table in exactly one pipeline", () => {
    const p = dataPipelines(tables, 3);
    expect(p.map((x) => x.select)).toEqual([
      ['--exclude-table-data="public"."instances"', '--exclude-table-data="public"."stages"'],
      ['--table="public"."instances"'],
      ['--table="public"."stages"'],
    ]);
    const all = p.flatMap((x) => x.tables).sort();
    expect(all).toEqual(tables.map((x) => x.pattern).sort());
  });

  it("more jobs than tables: no empty named pipeline", () => {
    expect(dataPipelines([t('"s"."x"', 1)], 4)).toEqual([
      { select: ['--exclude-table-data="s"."x"'], tables: [] },
      { select: ['--table="s"."x"'], tables: ['"s"."x"'] },
    ]);
  });
});
