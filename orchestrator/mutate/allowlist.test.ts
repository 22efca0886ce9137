// The allowlist rules: format, stale entries, a reason that does not hold, a reason that holds.
import { describe, expect, it } from "vitest";
import { AllowlistError, judgeAllowlist, parseAllowlist, proofId, proofTrials } from "./allowlist.js";
import type { Mutant } from "./generate.js";
import type { TrialOutcome } from "./trials.js";

const mutant = (id: string, extra: Partial<Mutant> = {}): Mutant => ({
  id,
  kind: "drop foreign key",
  table: "t",
  guarantee: id,
  mutation: "dropped",
  sql: `-- ${id}`,
  ...extra,
});

const entry = { mutant: "a", reason: "b's foreign key implies a's", coveredBy: ["b"] };
const outcome = (
  id: string,
  status: TrialOutcome["status"],
  failedChecks: string[] = [],
): [string, TrialOutcome] => [
  id,
  { id, status, failedChecks, durationMs: 1, phases: { cloneMs: 0, suiteMs: 0, dropMs: 0 } },
];

describe("parseAllowlist", () => {
  it("reads entries; one covering mutant may be given as a string", () => {
    expect(parseAllowlist(JSON.stringify({ entries: [entry] }), "x.json")).toEqual([entry]);
    expect(parseAllowlist(JSON.stringify({ entries: [{ ...entry, coveredBy: "b" }] }), "x.json")).toEqual([
      entry,
    ]);
  });

  it.each([
    ["not JSON", "{", /not valid JSON/],
    ["no entries", "{}", /must be \{"entries"/],
    ["missing reason", JSON.stringify({ entries: [{ mutant: "a", coveredBy: "b" }] }), /entry 1: "reason"/],
    ["empty covering guarantee", JSON.stringify({ entries: [{ ...entry, coveredBy: " " }] }), /"coveredBy"/],
    [
      "covers itself",
      JSON.stringify({ entries: [{ ...entry, coveredBy: ["b", "a"] }] }),
      /cannot cover itself/,
    ],
    ["no covering mutant", JSON.stringify({ entries: [{ ...entry, coveredBy: [] }] }), /"coveredBy"/],
    ["listed twice", JSON.stringify({ entries: [entry, entry] }), /listed twice/],
  ])("refuses %s", (_name, text, message) => {
    expect(() => parseAllowlist(text, "x.json")).toThrow(AllowlistError);
    expect(() => parseAllowlist(text, "x.json")).toThrow(message);
  });
});

describe("proofTrials", () => {
  it("applies the mutant together with the removal of the covering guarantee", () => {
    const trials = proofTrials([entry], [mutant("a"), mutant("b", { undo: "undo b", clusterWide: true })]);
    expect(trials).toEqual([{ id: proofId(entry), sql: "-- a;\n-- b", undo: "undo b", clusterWide: true }]);
  });

  it("has nothing to prove for an entry whose mutants do not exist", () => {
    expect(proofTrials([entry], [mutant("b")])).toEqual([]);
  });

  it("a covering guarantee may be one of the baseline's (coverable, not under test)", () => {
    const trials = proofTrials(
      [{ ...entry, coveredBy: ["b", "base"] }],
      [mutant("a")],
      [mutant("b"), mutant("base")],
    );
    expect(trials.map((t) => t.sql)).toEqual(["-- a;\n-- b;\n-- base"]);
  });
});

describe("judgeAllowlist", () => {
  const mutants = [mutant("a"), mutant("b")];

  it("holds when the mutant survives alone and the combined mutant is killed", () => {
    const outcomes = new Map([outcome("a", "survived"), outcome(proofId(entry), "killed", ["C1"])]);
    expect(judgeAllowlist([entry], mutants, outcomes)[0]?.status).toBe("holds");
  });

  it("a stale entry: no such mutant in the schema", () => {
    const j = judgeAllowlist([{ ...entry, mutant: "gone" }], mutants, new Map());
    expect(j[0]?.status).toBe("stale");
    expect(j[0]?.detail).toMatch(/no mutant gone/);
  });

  it("a stale entry: the covering mutant does not exist", () => {
    expect(judgeAllowlist([{ ...entry, coveredBy: ["gone"] }], mutants, new Map())[0]?.status).toBe("stale");
  });

  it("not needed (no error): the suite killed the mutant on this run", () => {
    const outcomes = new Map([outcome("a", "killed", ["C1"]), outcome(proofId(entry), "killed")]);
    expect(judgeAllowlist([entry], mutants, outcomes)[0]?.status).toBe("not needed");
  });

  it("a reason that does not hold: the combined mutant still gets GO", () => {
    const outcomes = new Map([outcome("a", "survived"), outcome(proofId(entry), "survived")]);
    const j = judgeAllowlist([entry], mutants, outcomes)[0];
    expect(j?.status).toBe("reason does not hold");
    expect(j?.detail).toMatch(/still says GO/);
  });
});
