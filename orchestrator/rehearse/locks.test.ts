import { describe, expect, it } from "vitest";
import {
  blockedBy,
  blockedTimes,
  blocksReads,
  blocksWrites,
  type LockSample,
  slowest,
  strongest,
} from "./locks.js";

const sample = (atMs: number, locks: Record<string, string[]>): LockSample => ({
  atMs,
  locks,
  query: "",
  state: "active",
});

describe("lock modes", () => {
  it("ACCESS EXCLUSIVE blocks reads; SHARE and stronger block writes; weaker ones neither", () => {
    expect(blocksReads("AccessExclusiveLock")).toBe(true);
    expect(blocksReads("ExclusiveLock")).toBe(false);
    for (const m of ["ShareLock", "ShareRowExclusiveLock", "ExclusiveLock", "AccessExclusiveLock"])
      expect(blocksWrites(m)).toBe(true);
    for (const m of ["AccessShareLock", "RowShareLock", "RowExclusiveLock", "ShareUpdateExclusiveLock", ""])
      expect(blocksWrites(m)).toBe(false);
    expect(strongest(["RowExclusiveLock", "AccessExclusiveLock", "ShareLock"])).toBe("AccessExclusiveLock");
    expect(strongest([])).toBe("");
  });
});

describe("blockedTimes", () => {
  it("sums the stretches a lock is held, each sample lasting until the next, the last until the end", () => {
    const samples = [
      sample(0, {}),
      sample(100, { t: ["ShareLock"] }),
      sample(200, { t: ["AccessExclusiveLock", "ShareLock"] }),
      sample(400, { t: ["RowExclusiveLock"] }),
      sample(500, { t: ["AccessExclusiveLock"] }),
    ];
    const [t] = blockedTimes(samples, ["t"], 600);
    expect(t?.reads).toEqual({ totalS: 0.3, longestS: 0.2 });
    expect(t?.writes).toEqual({ totalS: 0.4, longestS: 0.3 });
    expect(t?.strongest).toBe("AccessExclusiveLock");
  });

  it("a table never locked is never blocked", () => {
    const [t] = blockedTimes([sample(0, { other: ["AccessExclusiveLock"] })], ["t"], 1000);
    expect(t).toEqual({
      table: "t",
      reads: { totalS: 0, longestS: 0 },
      writes: { totalS: 0, longestS: 0 },
      strongest: "",
    });
  });
});

describe("statements", () => {
  const st = (n: number, durationMs: number, locksAfter: Record<string, string>) => ({
    n,
    file: "m.sql",
    line: n,
    text: `s${n}`,
    startMs: 0,
    durationMs,
    locksAfter,
  });
  it("slowest first, and what each leaves blocked", () => {
    const list = [
      st(1, 5, {}),
      st(2, 50, { a: "AccessExclusiveLock", b: "ShareLock", c: "RowExclusiveLock" }),
      st(3, 20, {}),
    ];
    expect(slowest(list, 2).map((s) => s.n)).toEqual([2, 3]);
    expect(blockedBy(list[1] as (typeof list)[number])).toEqual({ reads: ["a"], writes: ["a", "b"] });
  });
});
