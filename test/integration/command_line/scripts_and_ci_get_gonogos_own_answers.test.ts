// What a new user hit (issue 10), proven through the front doors a user and a CI job use: ./gonogo
// and make, the built CLI, real clusters. Exit status, sign-off facts, --report-dir refusals,
// --tap-version 13 read by prove, a URL run refusing --baseline. (Ctrl-C: ctrl_c_*.test.ts.)
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT } from "../../../orchestrator/apply/sql-files.js";
import { createDatabase, type TestDatabase } from "../../support/db.js";
import { gonogo, lines, tempDir } from "../../support/gonogo.js";

const LAUNCHER = join(ROOT, "gonogo");

/** A front door other than the CLI itself (./gonogo, make), as a shell would run it. */
function run(cmd: string, args: string[], env: NodeJS.ProcessEnv = {}) {
  const r = spawnSync(cmd, args, {
    cwd: ROOT,
    encoding: "utf8",
    env: { ...process.env, DATABASE_URL: "", NO_COLOR: "1", CI: "1", ...env },
    timeout: 300_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("exit status: ./gonogo keeps gonogo's own, make cannot", () => {
  // First use after a pull: ./gonogo installs and builds what changed (that output goes to stderr).
  beforeAll(() => {
    expect(run(LAUNCHER, ["--version"]).code).toBe(0);
  }, 600_000);

  it("a bad DATABASE_URL: ./gonogo exits 3 with exactly one stderr line", () => {
    const r = run(LAUNCHER, ["verify"], { DATABASE_URL: "garbage" });
    expect(r.code).toBe(3);
    expect(lines(r.stderr)).toEqual([
      "gonogo: database URL must start with postgresql:// (got 'garbage'); e.g. postgresql://user@host:5432/db; fix: see `gonogo verify --help`",
    ]);
  });

  it("make verify turns that 3 into make's own 2 plus a line of its own: why CI runs ./gonogo", () => {
    const r = run("make", ["-s", "verify"], { DATABASE_URL: "garbage" });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/make(\[\d+\])?: \*\*\* \[Makefile:\d+: verify\] Error 3/); // make[1] under make test
  });

  it("a workspace that does not exist: ./gonogo exits 1 (NO-GO), the reports say why and what to sign", () => {
    const dir = tempDir("gonogo-nope-");
    const r = run(LAUNCHER, ["verify", "--workspace", "NOPE", "--report-dir", dir]);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout).toContain("verdict   NO-GO");
    const v = JSON.parse(readFileSync(join(dir, "verdict.json"), "utf8"));
    expect(v.decision).toBe("NO-GO");
    expect(v.section0.existingWorkspaces).toBe("TEST-WS, XLSMART-AVIAT");
    const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));
    const head = spawnSync("git", ["rev-parse", "HEAD"], { cwd: ROOT, encoding: "utf8" }).stdout.trim();
    const migration = "db/migrations/20251229010228_add_master_tables_final_v2/migration.sql";
    const sha = createHash("sha256")
      .update(readFileSync(join(ROOT, migration)))
      .digest("hex");
    expect(v.provenance).toMatchObject({
      gonogoVersion: pkg.version,
      commit: head,
      dirty: expect.any(Boolean),
      migrations: [{ file: migration, sha256: sha }],
      serverVersion: expect.stringMatching(/^15\.\d+/),
      baseline: "uuid",
      target: null,
      workspace: "NOPE",
    });
    const decl = readFileSync(join(dir, "declaration.md"), "utf8");
    expect(decl).toContain("not about any real database");
    expect(decl).toContain(`- gonogo: ${pkg.version}, commit ${head} (`);
    expect(decl).toContain(`sha256 ${sha}`);
    expect(decl).toMatch(/- PostgreSQL server: 15\.\d+/);
    expect(decl).toContain(
      "- Workspace ID: workspace NOPE not found; workspaces that exist: TEST-WS, XLSMART-AVIAT",
    );
    expect(decl).toContain("**Decision:** [ ] 🟢 GO [ ] 🟡 HOLD [x] 🔴 NO-GO");
  });
});

describe("against a URL", () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createDatabase();
  });
  afterAll(async () => {
    await db?.drop();
  });
  /** The test database's URL with a password that must never be shown (trust auth ignores it). */
  const withPassword = () => db.url.replace("postgresql://postgres@", "postgresql://postgres:Sekr1t-pw@");

  it("--baseline is refused like --keep: it applies to the throwaway cluster only", async () => {
    const r = await gonogo(["verify", "--baseline", "text"], { env: { DATABASE_URL: db.url } });
    expect(r.code).toBe(3);
    expect(lines(r.stderr)).toEqual([
      "gonogo: --baseline applies to the throwaway cluster only, not to a database URL; fix: drop it when using a URL, or unset DATABASE_URL for a throwaway run",
    ]);
  });

  it("--tap-version 13 on stdout and in results.tap is read by prove; the target is named without credentials", async () => {
    const dir = tempDir("gonogo-tap13-");
    const r = await gonogo(["verify", "--format", "tap", "--tap-version", "13", "--report-dir", dir], {
      env: { DATABASE_URL: withPassword() },
    });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.startsWith("1..")).toBe(true);
    expect(readFileSync(join(dir, "results.tap"), "utf8")).toBe(r.stdout);
    const p = spawnSync("prove", ["--norc", "--exec", "cat", "results.tap"], { cwd: dir, encoding: "utf8" });
    expect(p.status, p.stdout + p.stderr).toBe(0);
    expect(p.stdout).toContain("All tests successful.");
    expect(p.stderr).toBe("");
    const v = JSON.parse(readFileSync(join(dir, "verdict.json"), "utf8"));
    expect(v.provenance.target).toMatch(new RegExp(`:\\d+/${db.name}$`));
    expect(v.provenance.baseline).toBeNull();
    expect(v.provenance.scope).toContain(`as it was during this run`);
    for (const f of readdirSync(dir)) expect(readFileSync(join(dir, f), "utf8")).not.toContain("Sekr1t");
    expect(r.stdout + r.stderr).not.toContain("Sekr1t");
  });

  it("a missing workspace lists at most 10 of the workspace codes that exist", async () => {
    const c = await db.connect();
    await c.query(
      "insert into public.workspaces (id, code, name) select gen_random_uuid(), 'WS-' || lpad(i::text, 2, '0'), 'w' from generate_series(1, 12) i",
    );
    const total = Number((await c.query("select count(*) from public.workspaces")).rows[0].count);
    const r = await gonogo(["verify", "--format", "json", "--workspace", "NOPE"], {
      env: { DATABASE_URL: db.url },
    });
    expect(r.code).toBe(1);
    const v = JSON.parse(r.stdout);
    const listed = String(v.section0.existingWorkspaces);
    expect(listed).toMatch(new RegExp(`\\(10 of ${total}\\)$`));
    expect(listed.replace(/ \(.*$/, "").split(", ")).toHaveLength(10);
    expect(v.reasons[0]).toContain("workspace NOPE not found; workspaces that exist: ");
  });
});

describe("--report-dir", () => {
  it("an existing file is refused before anything runs (no cluster started)", async () => {
    const tmp = tempDir("gonogo-rd-");
    const file = join(tmp, "reports");
    writeFileSync(file, "not a directory\n");
    const r = await gonogo(["verify", "--report-dir", file], { env: { TMPDIR: tmp } });
    expect(r.code).toBe(3);
    expect(lines(r.stderr)).toEqual([
      `gonogo: report directory ${file} is a file, not a directory; fix: choose another --report-dir`,
    ]);
    expect(r.stdout).toBe("");
    expect(readdirSync(tmp)).toEqual(["reports"]);
  });

  it("a parent that cannot hold it is said in words, not errno", async () => {
    const r = await gonogo(["verify", "--report-dir", "/proc/x"]);
    expect(r.code).toBe(3);
    expect(lines(r.stderr)).toEqual([
      "gonogo: cannot create report directory /proc/x: no such parent; fix: choose another --report-dir",
    ]);
  });

  it("--tests that does not exist is shown as the absolute path given", async () => {
    const r = await gonogo(["verify", "--tests", "/nonexistent"]);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain("no *.test.sql files under /nonexistent;");
  });
});
