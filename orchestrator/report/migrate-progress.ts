// Progress of `gonogo migrate` on stderr: the phase, and for the backfill the batch number, rows
// done of the total and an estimate of the time left. A TTY gets one live line; anything else
// (CI logs) gets a line when the phase changes and at most one every few seconds in between.
import type { ProgressEvent } from "../apply/applier.js";

/** Pure: `backfill workflow_stages.workspace_id: batch 12, 240,000 of 5,000,250 rows (4.8%), 38 s left`. */
export function formatProgress(e: ProgressEvent, elapsedMs: number, phaseElapsedMs: number): string {
  const total = `${(elapsedMs / 1000).toFixed(0)} s`;
  if (e.done === undefined || e.total === undefined) return `migrate: ${e.phase} (${total})`;
  const pct = e.total > 0 ? (100 * e.done) / e.total : 100;
  const rate = phaseElapsedMs > 0 ? e.done / phaseElapsedMs : 0;
  const left = rate > 0 && e.done > 0 ? `, ${Math.ceil((e.total - e.done) / rate / 1000)} s left` : "";
  const n = (x: number) => x.toLocaleString("en-US");
  return `migrate: ${e.phase}: batch ${e.batch ?? 0}, ${n(e.done)} of ${n(e.total)} rows (${pct.toFixed(1)}%)${left} (${total})`;
}

export class MigrateProgress {
  private readonly t0 = performance.now();
  private phaseStart = this.t0;
  private phase = "";
  private lastLine = 0;
  constructor(
    private readonly err: NodeJS.WritableStream,
    private readonly tty: boolean,
    private readonly everyMs = 5000,
  ) {}

  update(e: ProgressEvent): void {
    // The pre-flight and the data pre-check change nothing and take a moment; a refusal there
    // must stay the one line on stderr.
    if (e.phase === "preflight") return;
    const now = performance.now();
    const changed = e.phase !== this.phase;
    if (changed) {
      this.phase = e.phase;
      this.phaseStart = now;
    }
    const line = formatProgress(e, now - this.t0, now - this.phaseStart);
    if (this.tty) this.err.write(`\r\u001b[K${line}`);
    else if (changed || now - this.lastLine >= this.everyMs) {
      this.err.write(`${line}\n`);
      this.lastLine = now;
    }
  }

  /** A message that must not be overwritten by the live line. */
  note(line: string): void {
    this.err.write(this.tty ? `\r\u001b[K${line}\n` : `${line}\n`);
  }

  end(): void {
    if (this.tty) this.err.write("\r\u001b[K");
  }
}
