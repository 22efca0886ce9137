// The one call that matters most for speed, `gonogo verify` with no options (what `make verify`
// runs), starts copying its cached cluster before the command line's own modules load: node then
// loads commander, the commands, node-postgres and tap-parser while cp runs, instead of first.
// Only a guess at what the command line will ask for: verify's action takes this cluster only
// when its parsed options ask for exactly this one (takeEarlyStart), and whatever is left unused
// is stopped (dropEarlyStart). Anything else starts as before.

import { DEFAULT_BASELINE } from "../apply/sql-files.js";
import { defaultCacheDir } from "../cluster/cache.js";
import { stopCluster } from "../cluster/server.js";
import { startThrowaway, type Throwaway, type ThrowawayOptions } from "../cluster/throwaway.js";
import { armInterrupts } from "./interrupt.js";

interface EarlyStart {
  options: ThrowawayOptions;
  started: Promise<Throwaway>;
}

let early: EarlyStart | undefined;

/** The options `gonogo [verify]` with nothing else resolves to, or undefined for any other call. */
export function plainVerifyOptions(
  args: readonly string[],
  env: NodeJS.ProcessEnv,
): ThrowawayOptions | undefined {
  if (!(args.length === 0 || (args.length === 1 && args[0] === "verify"))) return undefined;
  if ((env.DATABASE_URL ?? "").trim() !== "") return undefined;
  if (/^(1|true|yes)$/i.test(env.GONOGO_NO_CACHE ?? "")) return undefined;
  return { baseline: DEFAULT_BASELINE, cacheDir: defaultCacheDir(env) };
}

/** Start the throwaway cluster now when the call is a plain verify (interrupts armed first). */
export function startEarly(args: readonly string[], env: NodeJS.ProcessEnv = process.env): void {
  const options = plainVerifyOptions(args, env);
  if (!options) return;
  armInterrupts();
  const started = startThrowaway(options);
  started.catch(() => undefined); // verify awaits it and reports its error
  early = { options, started };
}

/** The early cluster when it is the one these options ask for (then it is verify's to stop). */
export function takeEarlyStart(o: ThrowawayOptions): Promise<Throwaway> | undefined {
  const e = early;
  if (!e || e.options.baseline !== o.baseline || o.tcp || e.options.cacheDir !== o.cacheDir) return undefined;
  early = undefined;
  return e.started;
}

/** Stop an early cluster nobody took (the command line asked for something else). */
export async function dropEarlyStart(): Promise<void> {
  const e = early;
  early = undefined;
  if (e) await e.started.then((tw) => stopCluster(tw.cluster)).catch(() => undefined);
}
