// The one way to find PostgreSQL's programs on this machine: the server binaries a cluster runs
// (initdb, pg_ctl, postgres), the client tools of each installed major (pg_dump, pg_restore and
// psql for rehearse's copy), a program's major version, the server's full version and the
// directory of its extensions (pgTAP's files, for the cache key).
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";

/** Where Debian's packages (and PGDG's) install each major: /usr/lib/postgresql/<major>/bin. */
const PG_LIB = "/usr/lib/postgresql";
const DEFAULT_BIN = join(PG_LIB, "15", "bin");

export class ClusterError extends Error {
  override name = "ClusterError";
}

/** The server binaries: explicit, else $PG_BIN, else PostgreSQL 15's, else `pg_config --bindir`. */
export function resolveBinDir(explicit?: string): string {
  const candidates = [explicit, process.env.PG_BIN];
  for (const c of candidates) if (c && existsSync(join(c, "initdb"))) return c;
  if (existsSync(join(DEFAULT_BIN, "initdb"))) return DEFAULT_BIN;
  try {
    const dir = execFileSync("pg_config", ["--bindir"], { encoding: "utf8" }).trim();
    if (existsSync(join(dir, "initdb"))) return dir;
  } catch {
    // fall through to the error below
  }
  throw new ClusterError(
    "PostgreSQL server binaries (initdb, pg_ctl) not found; install postgresql-15 or set PG_BIN to their directory",
  );
}

/** The bin directories of every installed major, newest first. */
export function installedBinDirs(): string[] {
  if (!existsSync(PG_LIB)) return [];
  return readdirSync(PG_LIB)
    .filter((d) => /^\d+$/.test(d))
    .sort((a, b) => Number(b) - Number(a))
    .map((d) => join(PG_LIB, d, "bin"));
}

/** The major version a PostgreSQL program says it is (`--version`); undefined when it cannot run. */
export function majorOf(binary: string): number | undefined {
  try {
    const out = execFileSync(binary, ["--version"], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
    });
    const m = /\(PostgreSQL\)\s+(\d+)/.exec(out) ?? /\s(\d+)(?:\.\d+)?/.exec(out);
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * `postgres -V`. With a memo file, remembered per binary (path, inode, size, mtime): running the
 * server binary just to print its version costs ~20 ms of a cached run, and a new binary (an
 * upgrade, another PG_BIN) is a different stat, so it is asked again.
 */
export function serverVersion(binDir: string, memoFile?: string): string {
  const bin = join(binDir, "postgres");
  let stamp = "";
  let memo: Record<string, string> = {};
  if (memoFile) {
    try {
      const st = statSync(bin);
      stamp = `${bin} ${st.ino} ${st.size} ${st.mtimeMs}`;
      memo = JSON.parse(readFileSync(memoFile, "utf8")) as Record<string, string>;
      const known = memo[stamp];
      if (typeof known === "string") return known;
    } catch {
      // no memo yet, or unreadable: ask the binary
    }
  }
  const r = spawnSync(bin, ["-V"], { encoding: "utf8" });
  const version = (r.stdout || "").trim();
  if (!version) return `unknown (${binDir})`;
  if (memoFile && stamp) {
    try {
      mkdirSync(dirname(memoFile), { recursive: true });
      writeFileSync(memoFile, `${JSON.stringify({ [stamp]: version })}\n`);
    } catch {
      // a read-only cache directory only costs the spawn next time
    }
  }
  return version;
}

/** The server's extension directory (beside its binaries, else Debian's for its major), if any. */
export function extensionDir(binDir: string, serverVersion: string): string | undefined {
  const major = /\(PostgreSQL\)\s+(\d+)/.exec(serverVersion)?.[1] ?? "";
  return [join(binDir, "..", "share", "extension"), `/usr/share/postgresql/${major}/extension`].find(
    existsSync,
  );
}
