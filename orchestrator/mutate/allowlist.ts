// Pure: the mutation allowlist (db/tests/mutation-allowlist.json). It may hold only redundant
// guarantees: each entry names a mutant that survives, the reason it is harmless, and the mutant
// that removes the guarantee covering it. mutate re-proves every entry by applying both mutants to
// one clone: that combined mutant must be killed. An entry that matches no mutant, whose covering
// mutant does not exist, or whose mutant is now killed, is stale: an error, not a silent pass.
import type { Mutant } from "./generate.js";
import type { Trial, TrialOutcome } from "./run.js";

export interface AllowEntry {
  /** Id of the surviving mutant (see `gonogo mutate` output / mutation.json). */
  mutant: string;
  /** Why losing this guarantee alone is harmless. */
  reason: string;
  /** Id of the mutant that removes the guarantee that covers it. */
  coveredBy: string;
}

export class AllowlistError extends Error {
  override name = "AllowlistError";
}

/** Parse and validate the file's text; throws AllowlistError naming the entry at fault. */
export function parseAllowlist(text: string, path: string): AllowEntry[] {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new AllowlistError(`${path} is not valid JSON: ${(e as Error).message}`);
  }
  const entries = (data as { entries?: unknown })?.entries;
  if (!Array.isArray(entries)) throw new AllowlistError(`${path} must be {"entries": [...]}`);
  const seen = new Set<string>();
  return entries.map((raw, i) => {
    const e = raw as Partial<AllowEntry>;
    for (const key of ["mutant", "reason", "coveredBy"] as const) {
      if (typeof e?.[key] !== "string" || (e[key] as string).trim() === "") {
        throw new AllowlistError(`${path} entry ${i + 1}: "${key}" must be a non-empty string`);
      }
    }
    const entry = e as AllowEntry;
    if (entry.mutant === entry.coveredBy) {
      throw new AllowlistError(`${path} entry ${i + 1}: a guarantee cannot cover itself (${entry.mutant})`);
    }
    if (seen.has(entry.mutant)) throw new AllowlistError(`${path}: ${entry.mutant} is listed twice`);
    seen.add(entry.mutant);
    return { mutant: entry.mutant, reason: entry.reason, coveredBy: entry.coveredBy };
  });
}

export const proofId = (e: AllowEntry) => `${e.mutant} + ${e.coveredBy}`;

/** The combined trials that re-prove the entries whose mutants both exist. */
export function proofTrials(entries: readonly AllowEntry[], mutants: readonly Mutant[]): Trial[] {
  const byId = new Map(mutants.map((m) => [m.id, m]));
  const trials: Trial[] = [];
  for (const e of entries) {
    const m = byId.get(e.mutant);
    const c = byId.get(e.coveredBy);
    if (!m || !c) continue;
    trials.push({
      id: proofId(e),
      sql: `${m.sql};\n${c.sql}`,
      undo: [m.undo, c.undo].filter(Boolean).join(";\n") || undefined,
      clusterWide: m.clusterWide || c.clusterWide,
    });
  }
  return trials;
}

export type EntryStatus = "holds" | "stale" | "reason does not hold";

export interface JudgedEntry extends AllowEntry {
  status: EntryStatus;
  detail: string;
}

/** Each entry's standing, from the mutants' outcomes and the combined trials' outcomes. */
export function judgeAllowlist(
  entries: readonly AllowEntry[],
  mutants: readonly Mutant[],
  outcomes: ReadonlyMap<string, TrialOutcome>,
): JudgedEntry[] {
  const ids = new Set(mutants.map((m) => m.id));
  return entries.map((e): JudgedEntry => {
    const judged = (status: EntryStatus, detail: string) => ({ ...e, status, detail });
    if (!ids.has(e.mutant)) return judged("stale", `no mutant ${e.mutant} in this schema: remove the entry`);
    if (!ids.has(e.coveredBy)) {
      return judged("stale", `the covering mutant ${e.coveredBy} does not exist in this schema`);
    }
    const own = outcomes.get(e.mutant);
    if (own?.status === "killed") {
      return judged("stale", `${e.mutant} is killed by the suite now: remove the entry`);
    }
    const proof = outcomes.get(proofId(e));
    if (proof?.status !== "killed") {
      return judged(
        "reason does not hold",
        proof?.status === "error"
          ? `the combined mutant could not run: ${proof.error}`
          : `with ${e.coveredBy} applied as well the suite still says GO: ${e.coveredBy} does not cover it`,
      );
    }
    return judged("holds", `killed together with ${e.coveredBy} (${proof.failedChecks.join(", ")})`);
  });
}
