// The --report-dir checks: refuse before anything runs when the reports could not be written
// afterwards (an existing file, a missing or read-only parent, no permission), in words, not errno.
import { accessSync, constants, existsSync, mkdirSync, statSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { GonogoError } from "../program/errors.js";

const WHY: Record<string, string> = {
  ENOENT: "no such parent",
  EACCES: "permission denied",
  EPERM: "permission denied",
  EROFS: "read-only file system",
  ENOSPC: "no space left on the device",
};

/** mkdir -p one level at a time (Node's recursive mkdir can spin forever on /proc). */
export function mkdirs(dir: string): void {
  const abs = resolve(dir);
  if (existsSync(abs)) return;
  const parent = dirname(abs);
  if (parent !== abs) mkdirs(parent);
  mkdirSync(abs);
}

/** The first existing path on the way to dir that is not a directory, if any. */
function fileInTheWay(dir: string): string | undefined {
  for (let p = resolve(dir); ; p = dirname(p)) {
    if (existsSync(p)) return statSync(p).isDirectory() ? undefined : p;
    if (dirname(p) === p) return undefined;
  }
}

/** Create dir when missing and prove it is a writable directory; else a GonogoError (exit 3). */
export function assertReportDir(dir: string): void {
  const fix = "choose another --report-dir";
  const file = fileInTheWay(dir);
  if (file !== undefined) {
    throw new GonogoError(
      file === resolve(dir)
        ? `report directory ${dir} is a file, not a directory`
        : `cannot create report directory ${dir}: ${file} is a file`,
      fix,
    );
  }
  const existed = existsSync(dir);
  try {
    mkdirs(dir);
    accessSync(dir, constants.W_OK);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? "";
    const why = WHY[code] ?? (code || (e as Error).message);
    throw new GonogoError(
      existed ? `cannot write reports to ${dir}: ${why}` : `cannot create report directory ${dir}: ${why}`,
      fix,
    );
  }
}
