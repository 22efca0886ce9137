// Pure: the mutation allowlist (db/tests/mutation-allowlist.json). It may hold only redundant
// guarantees: each entry names a mutant that survives, the reason it is harmless, and the mutant(s)
// that remove the guarantee(s) covering it: any guarantee of the prepared schema, the baseline's
// own included (a baseline foreign key can be what makes a migration key redundant). mutate
// re-proves every entry by applying the mutant and those removals to one clone: that combined
// mutant must be killed. An entry that matches no mutant, or whose covering mutant does not exist,
// is stale: an error, not a silent pass.
import type { Mutant } from "./generate.js";
import type { Trial, TrialOutcome } from "./trials.js";

export interface AllowEntry {
  /** Id of the surviving mutant (see `gonogo mutate` output / mutation.json). */
  mutant: string;
  /** Why losing this guarantee alone is harmless. */
  reason: string;
  /** Ids of the mutants that remove the guarantees that cover it (the file may give one string). */
  coveredBy: string[];
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
  const filled = (v: unknown) => typeof v === "string" && v.trim() !== "";
  return entries.map((raw, i) => {
    const e = raw as { mutant?: unknown; reason?: unknown; coveredBy?: unknown };
    for (const key of ["mutant", "reason"] as const) {
      if (!filled(e?.[key]))
        throw new AllowlistError(`${path} entry ${i + 1}: "${key}" must be a non-empty string`);
    }
    const coveredBy = Array.isArray(e.coveredBy) ? e.coveredBy : [e.coveredBy];
    if (coveredBy.length === 0 || !coveredBy.every(filled)) {
      throw new AllowlistError(
        `${path} entry ${i + 1}: "coveredBy" must name the covering mutant (a string or a list of them)`,
      );
    }
    const entry: AllowEntry = {
      mutant: e.mutant as string,
      reason: e.reason as string,
      coveredBy: coveredBy as string[],
    };
    if (entry.coveredBy.includes(entry.mutant)) {
      throw new AllowlistError(`${path} entry ${i + 1}: a guarantee cannot cover itself (${entry.mutant})`);
    }
    if (seen.has(entry.mutant)) throw new AllowlistError(`${path}: ${entry.mutant} is listed twice`);
    seen.add(entry.mutant);
    return entry;
  });
}

export const proofId = (e: AllowEntry) => [e.mutant, ...e.coveredBy].join(" + ");

/**
 * The combined trials that re-prove the entries whose mutants all exist. `mutants` are the ones
 * under test; `coverable` every mutant of the prepared schema (baseline guarantees included).
 */
export function proofTrials(
  entries: readonly AllowEntry[],
  mutants: readonly Mutant[],
  coverable: readonly Mutant[] = mutants,
): Trial[] {
  const tested = new Map(mutants.map((m) => [m.id, m]));
  const covers = new Map(coverable.map((m) => [m.id, m]));
  const trials: Trial[] = [];
  for (const e of entries) {
    const m = tested.get(e.mutant);
    const cs = e.coveredBy.map((id) => covers.get(id));
    if (!m || cs.some((c) => !c)) continue;
    const all = [m, ...(cs as Mutant[])];
    trials.push({
      id: proofId(e),
      sql: all.map((x) => x.sql).join(";\n"),
      undo: all.flatMap((x) => (x.undo ? [x.undo] : [])).join(";\n") || undefined,
      clusterWide: all.some((x) => x.clusterWide),
    });
  }
  return trials;
}

/** `not needed`: the suite killed the mutant on this run (fine, not an error: the order in which
 * PostgreSQL fires the triggers of a re-added foreign key follows oids, so a mutant masked by
 * another key can be observable in one database and not in the next). */
export type EntryStatus = "holds" | "not needed" | "stale" | "reason does not hold";

/** The standings that fail the run. */
export const FAILING_STATUSES: readonly EntryStatus[] = ["stale", "reason does not hold"];

export interface JudgedEntry extends AllowEntry {
  status: EntryStatus;
  detail: string;
}

/** Each entry's standing, from the mutants' outcomes and the combined trials' outcomes. */
export function judgeAllowlist(
  entries: readonly AllowEntry[],
  mutants: readonly Mutant[],
  outcomes: ReadonlyMap<string, TrialOutcome>,
  coverable: readonly Mutant[] = mutants,
): JudgedEntry[] {
  const ids = new Set(mutants.map((m) => m.id));
  const coverIds = new Set(coverable.map((m) => m.id));
  return entries.map((e): JudgedEntry => {
    const judged = (status: EntryStatus, detail: string) => ({ ...e, status, detail });
    if (!ids.has(e.mutant)) return judged("stale", `no mutant ${e.mutant} in this schema: remove the entry`);
    const missing = e.coveredBy.find((c) => !coverIds.has(c));
    if (missing) return judged("stale", `the covering mutant ${missing} does not exist in this schema`);
    const own = outcomes.get(e.mutant);
    if (own?.status === "killed") {
      return judged(
        "not needed",
        `${e.mutant} was killed on this run (${own.failedChecks.join(", ")}); remove the entry if it stays killed`,
      );
    }
    const proof = outcomes.get(proofId(e));
    if (proof?.status !== "killed") {
      return judged(
        "reason does not hold",
        proof?.status === "error"
          ? `the combined mutant could not run: ${proof.error}`
          : `with ${e.coveredBy.join(" and ")} applied as well the suite still says GO: the reason does not hold`,
      );
    }
    return judged(
      "holds",
      `killed together with ${e.coveredBy.join(" and ")} (${proof.failedChecks.join(", ")})`,
    );
  });
}
