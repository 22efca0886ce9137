import {
  appendFileSync,
  cpSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { DB_DIR, ROOT } from "../apply/sql-files.js";
import { resolveBinDir, serverVersion } from "./binaries.js";
import {
  cacheKey,
  currentKeyInputs,
  defaultCacheDir,
  entryName,
  manifestDifferences,
  PREPARING_FOLDERS,
} from "./cache.js";

const base = {
  baseline: "uuid",
  serverVersion: "postgres (PostgreSQL) 15.18",
  files: { "a.sql": "x" },
  owner: "",
};

describe("cacheKey", () => {
  it("changes with every input", () => {
    const k = cacheKey(base);
    expect(k).toMatch(/^[0-9a-f]{64}$/);
    expect(cacheKey({ ...base })).toBe(k);
    expect(cacheKey({ ...base, baseline: "text" })).not.toBe(k);
    expect(cacheKey({ ...base, serverVersion: "postgres (PostgreSQL) 15.19" })).not.toBe(k);
    expect(cacheKey({ ...base, owner: "102:104" })).not.toBe(k);
    expect(cacheKey({ ...base, files: { "a.sql": "y" } })).not.toBe(k);
    expect(cacheKey({ ...base, files: { "b.sql": "x" } })).not.toBe(k);
    expect(cacheKey({ ...base, files: { "a.sql": "x", "b.sql": "" } })).not.toBe(k);
  });

  it("cannot be fooled by moving text between fields", () => {
    expect(cacheKey({ ...base, files: { ab: "c" } })).not.toBe(cacheKey({ ...base, files: { a: "bc" } }));
  });

  it("names entries by baseline and key", () => {
    expect(entryName("uuid", "ab".repeat(32))).toBe(`uuid-${"ab".repeat(10)}`);
  });
});

describe("manifestDifferences", () => {
  it("lists missing, resized and unexpected files", () => {
    expect(manifestDifferences({ a: 1, b: 2 }, { a: 1, b: 2 })).toEqual([]);
    expect(manifestDifferences({ a: 1, b: 2 }, { a: 1, c: 3 })).toEqual(["b missing", "c unexpected"]);
    expect(manifestDifferences({ a: 1 }, { a: 0 })).toEqual(["a is 0 bytes, 1 expected"]);
  });
});

describe("serverVersion", () => {
  // A stand-in server binary that counts how often it is run.
  const dir = mkdtempSync(join(tmpdir(), "gonogo-bin-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const bin = join(dir, "postgres");
  const runs = join(dir, "runs");
  writeFileSync(bin, `#!/bin/sh\necho x >> ${runs}\necho "postgres (PostgreSQL) 15.99"\n`, { mode: 0o755 });
  const count = () => (existsSync(runs) ? readFileSync(runs, "utf8").split("\n").length - 1 : 0);

  it("asks the binary once per binary with a memo file, again when the binary changes", () => {
    const memo = join(dir, "cache", "postgres-version.json");
    expect(serverVersion(dir, memo)).toBe("postgres (PostgreSQL) 15.99");
    expect(serverVersion(dir, memo)).toBe("postgres (PostgreSQL) 15.99");
    expect(count()).toBe(1);
    writeFileSync(bin, `#!/bin/sh\necho x >> ${runs}\necho "postgres (PostgreSQL) 15.100"\n`, {
      mode: 0o755,
    });
    expect(serverVersion(dir, memo)).toBe("postgres (PostgreSQL) 15.100");
    expect(count()).toBe(2);
    expect(serverVersion(dir)).toBe("postgres (PostgreSQL) 15.100");
    expect(count()).toBe(3);
  });
});

describe("defaultCacheDir", () => {
  it("follows XDG_CACHE_HOME, else ~/.cache", () => {
    expect(defaultCacheDir({ XDG_CACHE_HOME: "/x/y" })).toBe("/x/y/gonogo");
    expect(defaultCacheDir({})).toMatch(/\/\.cache\/gonogo$/);
  });
});

describe("currentKeyInputs", () => {
  const dir = mkdtempSync(join(tmpdir(), "gonogo-key-"));
  const db = join(dir, "db");
  cpSync(DB_DIR, db, { recursive: true });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const binDir = resolveBinDir();
  const key = () => cacheKey(currentKeyInputs({ baseline: "uuid", binDir, dbDir: db }));

  it("reads the server version and every file that shapes the prepared database", () => {
    const inputs = currentKeyInputs({ baseline: "uuid", binDir, dbDir: db });
    expect(inputs.serverVersion).toMatch(/^postgres \(PostgreSQL\) \d+/);
    const paths = Object.keys(inputs.files);
    expect(paths).toContain("baselines/uuid.sql");
    expect(paths).not.toContain("baselines/text.sql");
    for (const d of ["migrations/", "functions/", "fixtures/", "code/apply", "code/cluster"])
      expect(
        paths.some((p) => p.startsWith(d)),
        d,
      ).toBe(true);
  });

  it("hashes every module of the folders that prepare the cluster, the psql lexer that splits the migration too, and no test", () => {
    const paths = Object.keys(currentKeyInputs({ baseline: "uuid", binDir, dbDir: db }).files);
    const modules = PREPARING_FOLDERS.flatMap((f) =>
      readdirSync(join(ROOT, "orchestrator", f))
        .filter((n) => n.endsWith(".ts") && !n.endsWith(".test.ts"))
        .map((n) => `code/${f}/${n.replace(/\.ts$/, "")}`),
    );
    expect(modules).toContain("code/apply/psql-script");
    expect(paths.filter((p) => p.startsWith("code/")).sort()).toEqual(modules.sort());
  });

  it("a one-byte change in the baseline, a migration, a function or a fixture changes the key; a test does not", () => {
    let k = key();
    for (const f of [
      "baselines/uuid.sql",
      "migrations/20251229010228_add_master_tables_final_v2/migration.sql",
      "functions/010_functions/220_decide_stage.sql",
      "fixtures/010_test_ws.sql",
    ]) {
      appendFileSync(join(db, f), "\n");
      const next = key();
      expect(next, f).not.toBe(k);
      k = next;
    }
    appendFileSync(join(db, "baselines/text.sql"), "\n");
    appendFileSync(join(db, "tests/c1_schema_integrity/x.test.sql"), "select 1;\n");
    expect(key()).toBe(k);
  });
});
