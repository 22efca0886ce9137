// What a sign-off needs to know about the run itself: gonogo's version, the repository commit it
// ran from (and whether the tree had changes), the migration files' sha256, the server's version.
// I/O at the edge (package.json, git, the migration files, one query); the report renders it.
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import type pg from "pg";
import { sha256 } from "../apply/applier.js";
import { migrationFiles, ROOT } from "../apply/sql-files.js";

export interface Provenance {
  gonogoVersion: string;
  /** `git rev-parse HEAD` of the checkout gonogo ran from; null when that is not known. */
  commit: string | null;
  /** Uncommitted or untracked (not ignored) files in the checkout; null when not a git checkout. */
  dirty: boolean | null;
  /** Why commit is null (e.g. "not a git checkout"). */
  commitUnknown?: string;
  migrations: Array<{ file: string; sha256: string }>;
}

const execFileP = promisify(execFile);

async function git(args: string[], root: string): Promise<string> {
  const { stdout } = await execFileP("git", args, { cwd: root, encoding: "utf8", timeout: 10_000 });
  return stdout.trim();
}

/** The commit and dirty flag of root, or why they are unknown (two git processes, side by side). */
export async function gitState(
  root: string = ROOT,
): Promise<Pick<Provenance, "commit" | "dirty" | "commitUnknown">> {
  try {
    const [commit, status] = await Promise.all([
      git(["rev-parse", "--verify", "HEAD"], root),
      git(["status", "--porcelain", "--untracked-files=normal"], root),
    ]);
    return { commit, dirty: status !== "" };
  } catch (e) {
    const err = e as { code?: string; stderr?: string };
    const why =
      err.code === "ENOENT"
        ? "git is not installed"
        : /not a git repository/i.test(err.stderr ?? "")
          ? "not a git checkout"
          : `git failed: ${(err.stderr ?? "").trim().split("\n")[0] || "unknown error"}`;
    return { commit: null, dirty: null, commitUnknown: why };
  }
}

/** gonogo's version: package.json's. */
export function packageVersion(root: string = ROOT): string {
  return (JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { version: string }).version;
}

/** Asynchronous, so a run can ask git while its suite runs: the checkout as the run found it. */
export async function collectProvenance(root: string = ROOT): Promise<Provenance> {
  return {
    gonogoVersion: packageVersion(root),
    ...(await gitState(root)),
    migrations: migrationFiles().map((f) => ({ file: f.path, sha256: sha256(f.text) })),
  };
}

/** The server's version string (`show server_version`), on a connection of its own. */
export async function serverVersion(config: pg.ClientConfig): Promise<string> {
  const { default: pgLib } = await import("pg"); // loaded on use: the CLI's entry imports this module
  const client = new pgLib.Client(config);
  await client.connect();
  try {
    const { rows } = await client.query("show server_version");
    return String(rows[0]?.server_version);
  } finally {
    await client.end();
  }
}
