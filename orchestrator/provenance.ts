// What a sign-off needs to know about the run itself: gonogo's version, the repository commit it
// ran from (and whether the tree had changes), the migration files' sha256, the server's version.
// I/O at the edge (package.json, git, the migration files, one query); the report renders it.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type pg from "pg";
import { sha256 } from "./apply.js";
import { migrationFiles, ROOT } from "./sql-files.js";

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

function git(args: string[], root: string): string {
  return execFileSync("git", args, {
    cwd: root,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
    timeout: 10_000,
  }).trim();
}

/** The commit and dirty flag of root, or why they are unknown. */
export function gitState(root: string = ROOT): Pick<Provenance, "commit" | "dirty" | "commitUnknown"> {
  try {
    const commit = git(["rev-parse", "--verify", "HEAD"], root);
    const dirty = git(["status", "--porcelain", "--untracked-files=normal"], root) !== "";
    return { commit, dirty };
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

export function collectProvenance(root: string = ROOT): Provenance {
  return {
    gonogoVersion: packageVersion(root),
    ...gitState(root),
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
