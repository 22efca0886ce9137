// The prepared-cluster cache, through the CLI as a user runs it, on a private copy of the
// repository (db/, dist/) so the tests can change migrations and functions: a warm run copies the
// cached cluster; a changed input, a damaged entry or a concurrent build never yields a stale or
// broken verdict.
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  truncateSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT } from "../../../orchestrator/apply/sql-files.js";

const GO_SUITE = "test/fixtures/suites/go";
let repo: string;
let scratch: string;

beforeAll(() => {
  if (!existsSync(join(ROOT, "dist", "orchestrator", "cli.js"))) throw new Error("run npm run build first");
  scratch = mkdtempSync(join(tmpdir(), "gonogo-cache-it-"));
  repo = join(scratch, "repo");
  for (const p of ["db", "dist", "package.json", "test/fixtures"])
    cpSync(join(ROOT, p), join(repo, p), { recursive: true });
  symlinkSync(join(ROOT, "node_modules"), join(repo, "node_modules"));
});
afterAll(() => {
  rmSync(scratch, { recursive: true, force: true });
});

interface Run {
  code: number;
  stderr: string;
  decision?: string;
  cache?: string;
  failed: string[];
}

async function verify(args: string[], env: Record<string, string | undefined> = {}): Promise<Run> {
  const r = await execa(
    process.execPath,
    [join(repo, "dist/orchestrator/cli.js"), "verify", "--format", "json", ...args],
    {
      cwd: repo,
      reject: false,
      timeout: 300_000,
      env: { NO_COLOR: "1", CI: "true", DATABASE_URL: undefined, GONOGO_NO_CACHE: undefined, ...env },
      stdin: "ignore",
    },
  );
  let v: { decision?: string; environment?: { cache?: string }; checks?: { id: string; passed: boolean }[] } =
    {};
  try {
    v = JSON.parse(String(r.stdout));
  } catch {
    // exit 3: asserted by the caller
  }
  return {
    code: r.exitCode ?? -1,
    stderr: String(r.stderr),
    decision: v.decision,
    cache: v.environment?.cache,
    failed: (v.checks ?? []).filter((c) => !c.passed).map((c) => c.id),
  };
}

/** The cache's entries: its directories (beside them, postgres-version.json remembers `postgres -V`). */
function entries(cacheDir: string): string[] {
  if (!existsSync(cacheDir)) return [];
  const all = readdirSync(cacheDir, { withFileTypes: true });
  expect(all.filter((e) => !e.isDirectory()).map((e) => e.name)).toEqual(
    all.length > 0 ? ["postgres-version.json"] : [],
  );
  return all
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
}

function onlyEntry(cacheDir: string): string {
  const e = entries(cacheDir);
  expect(e).toHaveLength(1);
  return join(cacheDir, e[0] ?? "");
}

describe("prepared-cluster cache", () => {
  it("a cold run builds the entry, a warm run copies it: the same verdict", async () => {
    const cache = join(scratch, "c-basic");
    const cold = await verify(["--cache-dir", cache, "--tests", GO_SUITE]);
    expect(cold, cold.stderr).toMatchObject({ code: 0, decision: "GO", cache: "built" });
    const entry = onlyEntry(cache);
    const manifest = JSON.parse(readFileSync(join(entry, "manifest.json"), "utf8"));
    expect(manifest.key).toMatch(/^[0-9a-f]{64}$/);
    expect(manifest.serverVersion).toMatch(/PostgreSQL\) 15\./);
    expect(Object.keys(manifest.files)).toContain("global/pg_control");
    expect(existsSync(join(entry, "data", "postmaster.pid"))).toBe(false);
    if (process.getuid?.() === 0) {
      // run as root, the server runs as postgres: the cached files stay that user's
      expect(statSync(join(entry, "data", "PG_VERSION")).uid).not.toBe(0);
    }
    const warm = await verify(["--cache-dir", cache, "--tests", GO_SUITE]);
    expect(warm, warm.stderr).toMatchObject({ code: 0, decision: "GO", cache: "hit" });
    // the entry is untouched by the run that used it
    expect(JSON.parse(readFileSync(join(entry, "manifest.json"), "utf8")).key).toBe(manifest.key);
    expect(existsSync(join(entry, "data", "postmaster.pid"))).toBe(false);
  }, 600_000);

  it("the copy runs where GONOGO_CLUSTER_DIR says and is gone after the run", async () => {
    const cache = join(scratch, "c-where");
    expect((await verify(["--cache-dir", cache, "--tests", GO_SUITE])).cache).toBe("built");
    const parent = mkdtempSync(join(tmpdir(), "gonogo-where-"));
    chmodSync(parent, 0o755); // run as root, the server's OS user must reach its directory inside
    try {
      const seen = new Set<string>();
      const poll = setInterval(() => {
        for (const d of readdirSync(parent)) seen.add(d);
      }, 5);
      const warm = await verify(["--cache-dir", cache, "--tests", GO_SUITE], {
        GONOGO_CLUSTER_DIR: parent,
      }).finally(() => clearInterval(poll));
      expect(warm, warm.stderr).toMatchObject({ code: 0, decision: "GO", cache: "hit" });
      expect([...seen].some((d) => d.startsWith("gonogo-"))).toBe(true);
      expect(readdirSync(parent)).toEqual([]);
    } finally {
      rmSync(parent, { recursive: true, force: true });
    }
  }, 600_000);

  it("a run refused after its cluster started copying (bad --tests) stops it: no server, no directory", async () => {
    const cache = join(scratch, "c-refused");
    expect((await verify(["--cache-dir", cache, "--tests", GO_SUITE])).cache).toBe("built");
    const parent = mkdtempSync(join(tmpdir(), "gonogo-refused-"));
    chmodSync(parent, 0o755);
    try {
      const seen = new Set<string>();
      const poll = setInterval(() => {
        for (const d of readdirSync(parent)) seen.add(d);
      }, 2);
      const r = await verify(["--cache-dir", cache, "--tests", "no/such/dir"], {
        GONOGO_CLUSTER_DIR: parent,
      }).finally(() => clearInterval(poll));
      expect(r.code, r.stderr).toBe(3);
      expect(r.stderr).toMatch(/no \*\.test\.sql files under no\/such\/dir/);
      expect([...seen].some((d) => d.startsWith("gonogo-"))).toBe(true); // it did start early
      expect(readdirSync(parent)).toEqual([]);
      const servers = await execa("pgrep", ["-f", `postgres -D ${parent}`], { reject: false });
      expect(servers.stdout).toBe("");
    } finally {
      rmSync(parent, { recursive: true, force: true });
    }
  }, 600_000);

  it("cluster up starts a copy of the cached cluster; cluster down removes it", async () => {
    const cache = join(scratch, "c-up");
    expect((await verify(["--cache-dir", cache, "--tests", GO_SUITE])).cache).toBe("built");
    const cli = (args: string[]) =>
      execa(process.execPath, [join(repo, "dist/orchestrator/cli.js"), ...args], {
        cwd: repo,
        reject: false,
        timeout: 300_000,
        env: { GONOGO_NO_CACHE: undefined, DATABASE_URL: undefined },
        stdin: "ignore",
      });
    const databases = async (url: string) => {
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      try {
        return (await c.query("select datname from pg_database order by datname")).rows.map((r) => r.datname);
      } finally {
        await c.end();
      }
    };
    const lastLine = (out: unknown) =>
      String(out)
        .trim()
        .split("\n")
        .at(-1)
        ?.replace(/^DATABASE_URL=/, "") ?? "";
    const up = await cli(["cluster", "up", "--cache-dir", cache]);
    try {
      expect(up.exitCode, String(up.stderr)).toBe(0);
      expect(String(up.stdout)).toMatch(/^cluster up: baseline uuid \(cache hit\), data in /m);
      const url = lastLine(up.stdout);
      const r = await verify(["--database-url", url, "--tests", GO_SUITE]);
      expect(r).toMatchObject({ code: 0, decision: "GO" });
      // initdb's postgres and template0 are dropped when the cluster is prepared (a third fewer
      // files to copy on every cached run), so a copy holds what an uncached cluster holds
      expect(await databases(url)).toEqual(["gonogo", "template1"]);
    } finally {
      expect((await cli(["cluster", "down"])).exitCode).toBe(0);
    }
    const fresh = await cli(["cluster", "up", "--no-cache"]);
    try {
      expect(fresh.exitCode, String(fresh.stderr)).toBe(0);
      expect(await databases(lastLine(fresh.stdout))).toEqual(["gonogo", "template1"]);
    } finally {
      expect((await cli(["cluster", "down"])).exitCode).toBe(0);
    }
  }, 600_000);

  it("a changed function file means a fresh build and the verdict of the new code, never a stale one", async () => {
    const cache = join(scratch, "c-change");
    const guard = join(repo, "db/functions/040_table_guards.sql");
    const original = readFileSync(guard, "utf8");
    const first = await verify(["--cache-dir", cache]);
    expect(first, first.stderr).toMatchObject({ code: 0, decision: "GO" });
    try {
      // the lifecycle guard is no longer attached: the real suite must see it
      const detached = original.replace(
        /create or replace trigger trg_100_guard_config_version\b[\s\S]*?execute function public\.guard_config_version\(\);/,
        "-- detached for the test",
      );
      expect(detached).not.toBe(original);
      writeFileSync(guard, detached);
      const changed = await verify(["--cache-dir", cache]);
      expect(changed.cache).toBe("built");
      expect(changed.decision).toBe("NO-GO");
      expect(changed.failed).toEqual(expect.arrayContaining(["C3", "INV1"]));
    } finally {
      writeFileSync(guard, original);
    }
    const back = await verify(["--cache-dir", cache]);
    expect(back).toMatchObject({ code: 0, decision: "GO", cache: "hit" });
  }, 600_000);

  it("a damaged entry is rebuilt: missing file, resized file, broken manifest, unusable pg_control", async () => {
    const cache = join(scratch, "c-damage");
    expect((await verify(["--cache-dir", cache, "--tests", GO_SUITE])).cache).toBe("built");
    const damages: Array<[string, (entry: string) => void]> = [
      ["a file removed", (e) => rmSync(join(e, "data", "PG_VERSION"))],
      ["a file truncated", (e) => truncateSync(join(e, "data", "global", "pg_filenode.map"), 10)],
      ["the manifest unreadable", (e) => writeFileSync(join(e, "manifest.json"), "{not json")],
      [
        "pg_control overwritten (same size)",
        (e) => {
          const p = join(e, "data", "global", "pg_control");
          writeFileSync(p, Buffer.alloc(statSync(p).size, 0));
        },
      ],
    ];
    for (const [what, damage] of damages) {
      damage(onlyEntry(cache));
      const r = await verify(["--cache-dir", cache, "--tests", GO_SUITE]);
      expect(r.code, `${what}: ${r.stderr}`).toBe(0);
      expect(r.decision, what).toBe("GO");
      expect(r.cache, what).toMatch(/^(built|rebuilt)$/);
      onlyEntry(cache);
    }
    expect((await verify(["--cache-dir", cache, "--tests", GO_SUITE])).cache).toBe("hit");
  }, 600_000);

  it("concurrent cold runs both pass and leave one whole entry", async () => {
    const cache = join(scratch, "c-race");
    const [a, b] = await Promise.all([
      verify(["--cache-dir", cache, "--tests", GO_SUITE]),
      verify(["--cache-dir", cache, "--tests", GO_SUITE]),
    ]);
    expect([a.code, b.code], `${a.stderr}\n${b.stderr}`).toEqual([0, 0]);
    expect(entries(cache).filter((n) => n.startsWith("."))).toEqual([]);
    onlyEntry(cache);
    expect((await verify(["--cache-dir", cache, "--tests", GO_SUITE])).cache).toBe("hit");
  }, 600_000);

  it("a plain `gonogo verify` (what make verify runs) copies its cluster early: same verdict, nothing left", async () => {
    const xdg = join(scratch, "xdg-plain");
    const parent = mkdtempSync(join(tmpdir(), "gonogo-plain-"));
    chmodSync(parent, 0o755); // the server's OS user enters it
    const plain = () =>
      execa(process.execPath, [join(repo, "dist/orchestrator/cli.js"), "verify"], {
        cwd: repo,
        reject: false,
        timeout: 300_000,
        env: {
          NO_COLOR: "1",
          CI: "true",
          DATABASE_URL: undefined,
          GONOGO_NO_CACHE: undefined,
          XDG_CACHE_HOME: xdg,
          GONOGO_CLUSTER_DIR: parent,
        },
        stdin: "ignore",
      });
    try {
      for (const use of ["built", "hit"]) {
        const r = await plain();
        expect(r.exitCode, String(r.stderr)).toBe(0);
        expect(String(r.stdout)).toContain(`(cache ${use})`);
        expect(String(r.stdout)).toMatch(/^verdict\s+GO$/m);
        expect(readdirSync(parent)).toEqual([]);
      }
      onlyEntry(join(xdg, "gonogo"));
      const servers = await execa("pgrep", ["-f", `postgres -D ${parent}`], { reject: false });
      expect(servers.stdout).toBe("");
    } finally {
      rmSync(parent, { recursive: true, force: true });
    }
  }, 600_000);

  it("defaults to $XDG_CACHE_HOME/gonogo; --no-cache and GONOGO_NO_CACHE=1 write nothing", async () => {
    const xdg = join(scratch, "xdg");
    const off = await verify(["--no-cache", "--tests", GO_SUITE], { XDG_CACHE_HOME: xdg });
    expect(off).toMatchObject({ code: 0, cache: "off" });
    const envOff = await verify(["--tests", GO_SUITE], { XDG_CACHE_HOME: xdg, GONOGO_NO_CACHE: "1" });
    expect(envOff).toMatchObject({ code: 0, cache: "off" });
    expect(existsSync(xdg)).toBe(false);
    const on = await verify(["--tests", GO_SUITE], { XDG_CACHE_HOME: xdg });
    expect(on).toMatchObject({ code: 0, cache: "built" });
    onlyEntry(join(xdg, "gonogo"));
  }, 600_000);
});
