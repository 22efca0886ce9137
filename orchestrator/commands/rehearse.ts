// `gonogo rehearse`: the deployment rehearsed on a copy of the source (--from) or on a disposable
// clone (--target): data pre-check, the migration applied with its locks measured, the suite on
// the result, one decision. The work lives in orchestrator/rehearse/.
import { type RehearseOptions, type RehearseOutcome, rehearse as run } from "../rehearse/rehearsal.js";

export type { RehearseOptions, RehearseOutcome };

export async function rehearse(opts: RehearseOptions): Promise<RehearseOutcome> {
  return run(opts);
}
