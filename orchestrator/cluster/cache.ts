// The prepared-cluster cache: one stopped data directory per baseline, keyed by everything that
// shapes the prepared database (server version, the baseline, db/migrations, db/functions,
// db/fixtures, pgTAP's installed files, the orchestrator folders whose code prepares it
// (PREPARING_FOLDERS), the server's OS user). A throwaway run copies the entry and starts the copy;
// anything that does not match is rebuilt.
// Integrity: an entry is built in a private temp directory, its manifest (the key and every
// file's size) written last, then renamed into place in one step, so readers see a whole entry or
// none; every copy is checked against the manifest before its server starts.
import { createHash, randomBytes } from "node:crypto";
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { homedir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { DB_DIR, ROOT } from "../apply/sql-files.js";
import { extensionDir, serverVersion } from "./binaries.js";
import { copyDataDir } from "./server.js";

/** Bump when the entry layout or the key's make-up changes. */
const FORMAT = "gonogo-cluster-cache/1";
const MANIFEST = "manifest.json";
/** Entries kept per baseline (other worktrees and versions share the directory). */
const KEEP_PER_BASELINE = 3;

export interface CacheKeyInputs {
  baseline: string;
  /** `postgres -V` of the server binaries in use. */
  serverVersion: string;
  /** Relative path -> content (or a stat line) of every file that shapes the prepared database. */
  files: Record<string, string>;
  /** uid:gid the server runs as ("" when it runs as us). */
  owner: string;
}

export interface Manifest {
  format: string;
  key: string;
  baseline: string;
  serverVersion: string;
  createdAt: string;
  /** Relative path in data/ -> size in bytes. */
  files: Record<string, number>;
}

export interface CacheEntry {
  dir: string;
  dataDir: string;
  manifest: Manifest;
}

/** Pure: the key, a SHA-256 over the inputs in a fixed order. */
export function cacheKey(inputs: CacheKeyInputs): string {
  const h = createHash("sha256");
  const field = (k: string, v: string) => h.update(`${k}\0${v.length}\0${v}\0`);
  field("format", FORMAT);
  field("baseline", inputs.baseline);
  field("server", inputs.serverVersion);
  field("owner", inputs.owner);
  for (const path of Object.keys(inputs.files).sort()) field(`file:${path}`, inputs.files[path] ?? "");
  return h.digest("hex");
}

/** Pure: the entry's directory name, readable and unique per key. */
export function entryName(baseline: string, key: string): string {
  return `${baseline}-${key.slice(0, 20)}`;
}

/** Pure: what differs between a data directory's files and the manifest (empty: intact). */
export function manifestDifferences(
  expected: Record<string, number>,
  actual: Record<string, number>,
): string[] {
  const out: string[] = [];
  for (const [path, size] of Object.entries(expected)) {
    const got = actual[path];
    if (got === undefined) out.push(`${path} missing`);
    else if (got !== size) out.push(`${path} is ${got} bytes, ${size} expected`);
  }
  for (const path of Object.keys(actual)) if (!(path in expected)) out.push(`${path} unexpected`);
  return out;
}

/** $XDG_CACHE_HOME/gonogo, else ~/.cache/gonogo. */
export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CACHE_HOME || join(homedir(), ".cache");
  return join(base, "gonogo");
}

/** Every regular file below dir with its size (symlinks and sockets excluded). */
export function fileSizes(dir: string): Record<string, number> {
  // runs beside the copy on every cached run: plain string slicing, not path.relative per file
  const root = resolve(dir);
  const out: Record<string, number> = {};
  for (const e of readdirSync(root, { recursive: true, withFileTypes: true })) {
    if (!e.isFile()) continue;
    const abs = `${e.parentPath}/${e.name}`;
    out[abs.slice(root.length + 1)] = statSync(abs).size;
  }
  return out;
}

/** Files below a directory, relative path -> content, for the key. */
function filesUnder(dir: string, label: string, into: Record<string, string>): void {
  if (!existsSync(dir)) return;
  for (const e of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (e.isFile())
      into[`${label}/${relative(dir, join(e.parentPath, e.name))}`] = readFileSync(
        join(e.parentPath, e.name),
        "utf8",
      );
  }
}

/** pgTAP's installed files (name, size, mtime): an upgraded pgTAP means a fresh build. */
function pgtapFiles(binDir: string, serverVersion: string, into: Record<string, string>): void {
  const dir = extensionDir(binDir, serverVersion);
  if (!dir) return;
  for (const name of readdirSync(dir).filter((n) => n.startsWith("pgtap"))) {
    const st = statSync(join(dir, name));
    into[`pgtap/${name}`] = `${st.size} ${st.mtimeMs}`;
  }
}

/**
 * The orchestrator's folders whose code shapes the prepared cluster: cluster/ (initdb, the server's
 * settings, the spare databases dropped, this cache's layout) and apply/ (the applier, the data
 * pre-check, the SQL files and the psql lexer that splits the migration). Whole folders, never a
 * list of modules: a module moved into or added to one of them is in the key without anyone
 * remembering to list it.
 */
export const PREPARING_FOLDERS = ["cluster", "apply"] as const;

/**
 * Every module of the preparing folders: its TypeScript source (the same key under vitest and from
 * the bundled CLI, whose chunks have no such files), else its compiled modules in dist/. Tests are
 * not code that prepares anything.
 */
function preparingCode(into: Record<string, string>): void {
  for (const folder of PREPARING_FOLDERS) {
    const dir = [join(ROOT, "orchestrator", folder), join(ROOT, "dist", "orchestrator", folder)].find(
      existsSync,
    );
    if (!dir) continue;
    for (const name of readdirSync(dir).sort()) {
      if (!/\.(ts|js)$/.test(name) || /\.test\.ts$/.test(name)) continue;
      into[`code/${folder}/${name.replace(/\.(ts|js)$/, "")}`] = readFileSync(join(dir, name), "utf8");
    }
  }
}

/** The key's inputs as found on disk now. */
export function currentKeyInputs(opts: {
  baseline: string;
  binDir: string;
  owner?: { uid: number; gid: number };
  dbDir?: string;
  /** Where serverVersion remembers the binary's version (in the cache directory). */
  versionMemo?: string;
}): CacheKeyInputs {
  const db = opts.dbDir ?? DB_DIR;
  const version = serverVersion(opts.binDir, opts.versionMemo);
  const files: Record<string, string> = {};
  files[`baselines/${opts.baseline}.sql`] = readFileSync(
    join(db, "baselines", `${opts.baseline}.sql`),
    "utf8",
  );
  for (const d of ["migrations", "functions", "fixtures"]) filesUnder(join(db, d), d, files);
  pgtapFiles(opts.binDir, version, files);
  preparingCode(files);
  return {
    baseline: opts.baseline,
    serverVersion: version,
    files,
    owner: opts.owner ? `${opts.owner.uid}:${opts.owner.gid}` : "",
  };
}

/** The entry for a key when its manifest is whole and names that key; undefined otherwise. */
export function findEntry(cacheDir: string, baseline: string, key: string): CacheEntry | undefined {
  const dir = join(cacheDir, entryName(baseline, key));
  try {
    const manifest = JSON.parse(readFileSync(join(dir, MANIFEST), "utf8")) as Manifest;
    if (manifest.format !== FORMAT || manifest.key !== key || typeof manifest.files !== "object")
      return undefined;
    if (!existsSync(join(dir, "data", "PG_VERSION"))) return undefined;
    return { dir, dataDir: join(dir, "data"), manifest };
  } catch {
    return undefined;
  }
}

/**
 * Throws when the entry's data directory differs from its manifest (a damaged entry). Run while
 * `cp` copies it: an entry that vanishes or changes under the copy makes cp fail instead.
 */
export function checkEntry(entry: CacheEntry): void {
  const diff = manifestDifferences(entry.manifest.files, fileSizes(entry.dataDir));
  if (diff.length > 0) throw new DamagedEntry(`${entry.dir}: ${diff.slice(0, 3).join("; ")}`);
}

export class DamagedEntry extends Error {
  override name = "DamagedEntry";
}

/** Mark an entry used (pruning keeps the most recently used). */
export function touchEntry(entry: CacheEntry): void {
  try {
    const now = new Date();
    utimesSync(entry.dir, now, now);
  } catch {
    // best effort: pruning order only
  }
}

/** Take an entry out of service in one step, then delete it (a concurrent copy fails its check). */
export function discardEntry(dir: string): void {
  const trash = join(dirname(dir), `.trash-${randomBytes(6).toString("hex")}`);
  try {
    renameSync(dir, trash);
  } catch {
    return; // already gone (another run discarded it)
  }
  rmSync(trash, { recursive: true, force: true });
}

/**
 * Store a stopped cluster's data directory under the key: copied into a private temp directory,
 * manifest written last, renamed into place. When another run stored the same key first, its
 * entry stays and ours is dropped. Returns the entry, or undefined when the cache is not writable.
 */
export function storeEntry(
  cacheDir: string,
  inputs: CacheKeyInputs,
  key: string,
  dataDir: string,
): CacheEntry | undefined {
  const tmp = join(cacheDir, `.tmp-${randomBytes(6).toString("hex")}`);
  const dir = join(cacheDir, entryName(inputs.baseline, key));
  try {
    mkdirSync(cacheDir, { recursive: true, mode: 0o700 });
    mkdirSync(tmp, { mode: 0o700 });
    copyDataDir(dataDir, join(tmp, "data"));
    rmSync(join(tmp, "data", "postmaster.pid"), { force: true });
    const manifest: Manifest = {
      format: FORMAT,
      key,
      baseline: inputs.baseline,
      serverVersion: inputs.serverVersion,
      createdAt: new Date().toISOString(),
      files: fileSizes(join(tmp, "data")),
    };
    writeFileSync(join(tmp, MANIFEST), `${JSON.stringify(manifest)}\n`);
    if (existsSync(dir) && !findEntry(cacheDir, inputs.baseline, key)) discardEntry(dir);
    try {
      renameSync(tmp, dir);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== "ENOTEMPTY" && code !== "EEXIST") throw e;
      rmSync(tmp, { recursive: true, force: true });
    }
    prune(cacheDir, inputs.baseline);
    return findEntry(cacheDir, inputs.baseline, key);
  } catch {
    rmSync(tmp, { recursive: true, force: true });
    return undefined;
  }
}

/** Keep the most recently used entries of a baseline; drop temp dirs a killed run left (1 h old). */
function prune(cacheDir: string, baseline: string): void {
  const entries = readdirSync(cacheDir, { withFileTypes: true }).filter((e) => e.isDirectory());
  const mine = entries
    .filter((e) => e.name.startsWith(`${baseline}-`))
    .map((e) => ({ dir: join(cacheDir, e.name), mtime: statSync(join(cacheDir, e.name)).mtimeMs }))
    .sort((a, b) => b.mtime - a.mtime);
  for (const old of mine.slice(KEEP_PER_BASELINE)) discardEntry(old.dir);
  const hourAgo = Date.now() - 3_600_000;
  for (const e of entries) {
    if (!/^\.(tmp|trash)-/.test(e.name)) continue;
    const p = join(cacheDir, e.name);
    if (statSync(p).mtimeMs < hourAgo) rmSync(p, { recursive: true, force: true });
  }
}
