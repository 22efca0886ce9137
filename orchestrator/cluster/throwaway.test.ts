import { mkdtempSync, rmSync, statfsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { memoryDir, throwawayParent } from "./throwaway.js";

const TMPFS_MAGIC = 0x01021994;
const isTmpfs = (dir: string) => {
  try {
    return statfsSync(dir).type === TMPFS_MAGIC;
  } catch {
    return false;
  }
};

describe("where a throwaway cluster goes", () => {
  const disk = mkdtempSync(join(tmpdir(), "gonogo-parent-"));
  afterAll(() => rmSync(disk, { recursive: true, force: true }));

  it("GONOGO_CLUSTER_DIR wins over everything", () => {
    expect(throwawayParent({ GONOGO_CLUSTER_DIR: disk, TMPDIR: "/elsewhere" })).toBe(disk);
  });

  it("an explicit TMPDIR is obeyed: the system temp directory (undefined)", () => {
    expect(throwawayParent({ TMPDIR: disk })).toBeUndefined();
  });

  it("with neither, /dev/shm exactly when it is a writable tmpfs with room", () => {
    const expected = isTmpfs("/dev/shm") ? "/dev/shm" : undefined;
    expect(throwawayParent({})).toBe(expected);
  });

  it("a directory on a disk file system is not a memory directory", () => {
    // the test's own temp directory is on disk unless this machine keeps /tmp in memory
    expect(memoryDir(disk)).toBe(isTmpfs(disk) ? disk : undefined);
  });

  it("a missing directory or a file is not a memory directory", () => {
    expect(memoryDir(join(disk, "missing"))).toBeUndefined();
    expect(memoryDir("/etc/passwd")).toBeUndefined();
  });
});
