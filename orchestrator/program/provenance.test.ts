// Provenance from a real git checkout, a dirty one, and a directory that is not a checkout.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it, onTestFinished } from "vitest";
import { ROOT } from "../apply/sql-files.js";
import { collectProvenance, gitState } from "./provenance.js";

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "gonogo-prov-"));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function git(dir: string, ...args: string[]): string {
  return execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@example.com", ...args], {
    cwd: dir,
    encoding: "utf8",
  }).trim();
}

/** A git repository with one committed file, a.txt. */
function committedRepo(): string {
  const dir = tempDir();
  git(dir, "init", "-q");
  writeFileSync(join(dir, "a.txt"), "a\n");
  git(dir, "add", "a.txt");
  git(dir, "commit", "-qm", "a");
  return dir;
}

describe("provenance", () => {
  it("a clean checkout: its HEAD, not dirty", async () => {
    const dir = committedRepo();
    expect(await gitState(dir)).toEqual({ commit: git(dir, "rev-parse", "HEAD"), dirty: false });
  });

  it("a changed or an untracked file makes it dirty", async () => {
    const dir = committedRepo();
    writeFileSync(join(dir, "a.txt"), "changed\n");
    expect((await gitState(dir)).dirty).toBe(true);
    git(dir, "checkout", "-q", "a.txt");
    writeFileSync(join(dir, "new.test.sql"), "select 1;\n");
    expect((await gitState(dir)).dirty).toBe(true);
  });

  it("not a git checkout: commit and dirty unknown, and why", async () => {
    expect(await gitState(tempDir())).toEqual({
      commit: null,
      dirty: null,
      commitUnknown: "not a git checkout",
    });
  });

  it("this checkout: package.json's version and the migration's sha256 (as sha256sum computes it)", async () => {
    const p = await collectProvenance();
    expect(p.gonogoVersion).toMatch(/^\d+\.\d+\.\d+/);
    expect(p.migrations).toHaveLength(1);
    const m = p.migrations[0];
    expect(m?.file).toBe("db/migrations/20251229010228_add_master_tables_final_v2/migration.sql");
    const sum = execFileSync("sha256sum", [join(ROOT, m?.file ?? "")], { encoding: "utf8" }).split(" ")[0];
    expect(m?.sha256).toBe(sum);
  });
});
