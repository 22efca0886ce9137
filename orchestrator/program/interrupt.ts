// The one set of signal handlers. Ctrl-C ends every run, whatever phase it is in: armed once when
// the CLI starts (before any cluster exists, through the reports, until exit), it runs the
// clean-ups registered with it (cluster/server.ts registers stopping and removing the clusters
// this process started; a kept cluster is left running), prints one line and exits 130 (SIGTERM
// 143, SIGHUP 129). Tests, scripts and benchmarks that start clusters get the same handlers from
// the first cluster they start.
import { writeSync } from "node:fs";

const EXIT: Record<string, number> = { SIGINT: 130, SIGHUP: 129, SIGTERM: 143 };
let armed = false;
/** What a signal must undo first; each returns how many things it stopped. */
const cleanups = new Set<() => number>();

/** The one stderr line an interrupted run prints. */
export function interruptedLine(stopped: number): string {
  return `gonogo: interrupted; ${stopped > 0 ? "cluster stopped and removed" : "nothing left running"}\n`;
}

function onSignal(signal: string): void {
  let stopped = 0;
  try {
    for (const cleanup of cleanups) stopped += cleanup();
  } finally {
    try {
      writeSync(2, interruptedLine(stopped));
    } catch {
      // stderr closed: the exit status still says it
    }
    process.exit(EXIT[signal] ?? 130);
  }
}

/** Install the handlers (idempotent), and register a clean-up for them to run first. */
export function armInterrupts(cleanup?: () => number): void {
  if (cleanup) cleanups.add(cleanup);
  if (armed) return;
  armed = true;
  for (const signal of Object.keys(EXIT)) process.on(signal, () => onSignal(signal));
}

/**
 * Let a signal that arrived during synchronous work (writing the reports) reach its handler before
 * the process ends. Two setImmediate turns always have an event-loop poll phase between them, and
 * that phase reads the signal pipe; without it a Ctrl-C in the last milliseconds was dropped and
 * the run exited 0.
 */
export async function deliverPendingSignals(): Promise<void> {
  for (let turn = 0; turn < 2; turn++) await new Promise((resolve) => setImmediate(resolve));
}
