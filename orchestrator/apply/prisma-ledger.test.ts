import { describe, expect, it } from "vitest";
import { GonogoError } from "../program/errors.js";
import {
  assertLedger,
  checksumMatches,
  describeLedger,
  judgeLedger,
  type LedgerRow,
  prismaChecksum,
} from "./prisma-ledger.js";

const NAME = "20251229010228_add_master_tables_final_v2";
const SCRIPT = "create table a (id int);\ncreate table b (id int);\n";
const T = "public._prisma_migrations";

function row(over: Partial<LedgerRow> = {}): LedgerRow {
  return {
    id: "8f1c9d3e-0000-4000-8000-000000000001",
    checksum: prismaChecksum(SCRIPT),
    finished_at: new Date("2025-12-29T01:03:00Z"),
    rolled_back_at: null,
    started_at: new Date("2025-12-29T01:02:28Z"),
    applied_steps_count: 1,
    ...over,
  };
}

describe("Prisma's checksum (the engine's own test vectors, checksum.rs)", () => {
  it("is SHA-256 as 64 zero-padded hex digits", () => {
    expect(prismaChecksum("hello")).toBe("2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824");
    expect(prismaChecksum("abcd")).toHaveLength(64);
  });

  it("matches across line endings", () => {
    const pairs = [
      ["ab\ncd\nef\ngh\rab", "ab\r\ncd\r\nef\r\ngh\rab"],
      ["ab\ncd\nef\ngh\rab\n", "ab\r\ncd\r\nef\r\ngh\rab\r\n"],
    ];
    for (const pair of pairs)
      for (const a of pair) for (const b of pair) expect(checksumMatches(a, prismaChecksum(b))).toBe(true);
  });

  it("does not match another script", () => {
    expect(checksumMatches("abc", prismaChecksum("abcd"))).toBe(false);
    expect(checksumMatches("abc\n", prismaChecksum("abc"))).toBe(false);
  });

  it("accepts the old engines' unpadded rendering", () => {
    const script = "x";
    const unpadded = [...Buffer.from(prismaChecksum(script), "hex")].map((b) => b.toString(16)).join("");
    expect(unpadded.length).toBeLessThan(64);
    expect(checksumMatches(script, unpadded)).toBe(true);
  });
});

describe("judgeLedger", () => {
  it("absent table, no record, applied, mismatch", () => {
    expect(judgeLedger(null, NAME, SCRIPT, []).status).toBe("absent");
    expect(judgeLedger(T, NAME, SCRIPT, []).status).toBe("not-recorded");
    const ok = judgeLedger(T, NAME, SCRIPT, [row()]);
    expect(ok).toMatchObject({
      status: "applied",
      recordedChecksum: prismaChecksum(SCRIPT),
      expectedChecksum: prismaChecksum(SCRIPT),
      finishedAt: "2025-12-29T01:03:00.000Z",
      records: 1,
    });
    const other = judgeLedger(T, NAME, SCRIPT, [row({ checksum: prismaChecksum("something else") })]);
    expect(other.status).toBe("checksum-mismatch");
    expect(other.recordedChecksum).toBe(prismaChecksum("something else"));
  });

  it("a CRLF checkout of the same file still matches, as Prisma sees it", () => {
    expect(judgeLedger(T, NAME, SCRIPT.replace(/\n/g, "\r\n"), [row()]).status).toBe("applied");
  });

  it("failed and rolled-back attempts", () => {
    expect(judgeLedger(T, NAME, SCRIPT, [row({ finished_at: null })]).status).toBe("failed");
    const rolled = row({ finished_at: null, rolled_back_at: new Date("2025-12-30T00:00:00Z") });
    expect(judgeLedger(T, NAME, SCRIPT, [rolled]).status).toBe("rolled-back");
    // rolled back, then applied again: the live, finished row counts
    const again = row({
      started_at: new Date("2025-12-31T00:00:00Z"),
      finished_at: new Date("2025-12-31T00:01:00Z"),
    });
    expect(judgeLedger(T, NAME, SCRIPT, [rolled, again])).toMatchObject({ status: "applied", records: 2 });
  });
});

describe("assertLedger", () => {
  it("refuses a mismatch with both checksums unless allowed", () => {
    const bad = judgeLedger(T, NAME, SCRIPT, [row({ checksum: "f".repeat(64) })]);
    expect(() => assertLedger(bad, false)).toThrow(GonogoError);
    expect(() => assertLedger(bad, false)).toThrow(`${"f".repeat(64)} recorded, ${prismaChecksum(SCRIPT)}`);
    const allowed = assertLedger(bad, true);
    expect(allowed.mismatchAllowed).toBe(true);
    expect(describeLedger(allowed)).toMatch(/CHECKSUM MISMATCH.*judged anyway \(--allow-ledger-mismatch\)$/);
  });

  it("refuses a failed deployment unless allowed; lets the rest through", () => {
    expect(() => assertLedger(judgeLedger(T, NAME, SCRIPT, [row({ finished_at: null })]), false)).toThrow(
      /started but never finished/,
    );
    for (const rows of [[], [row()]]) {
      const l = judgeLedger(T, NAME, SCRIPT, rows);
      expect(assertLedger(l, false)).toBe(l);
    }
  });
});
