import { describe, expect, it } from "vitest";
import { assertDiskSpace, findTools, requiredBytes } from "./copy.js";

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
