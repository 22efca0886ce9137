// Ctrl-C ends every run, whatever phase it is in: armed once when the CLI starts (before any
// cluster exists, through the reports, until exit), it stops and removes the clusters this process
// started, prints one line and exits 130 (SIGTERM 143, SIGHUP 129). A kept cluster is left running.
import { writeSync } from "node:fs";
import { stopAllClusters } from "../cluster/server.js";

const EXIT: Record<string, number> = { SIGINT: 130, SIGHUP: 129, SIGTERM: 143 };
let armed = false;

/** The one stderr line an interrupted run prints. */
export function interruptedLine(stopped: number): string {
  return `gonogo: interrupted; ${stopped > 0 ? "cluster stopped and removed" : "nothing left running"}\n`;
}

function onSignal(signal: string): void {
  let stopped = 0;
  try {
    stopped = stopAllClusters();
  } finally {
    try {
      writeSync(2, interruptedLine(stopped));
    } catch {
      // stderr closed: the exit status still says it
    }
    process.exit(EXIT[signal] ?? 130);
  }
}

/** Install the handlers (idempotent). */
export function armInterrupts(): void {
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
