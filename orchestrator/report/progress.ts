// The one progress printer, on stderr while a command works (stdout carries the report): a live
// line on a terminal (`tty`), plain lines for CI logs (`lines`), or nothing (`none`). verify shows
// its phases and finished files, migrate its phases and backfill batches, mutate and rehearse
// their steps; each says what it reports, this class decides how a terminal or a log shows it.
import type { ProgressEvent } from "../apply/applier.js";
import type { FileResult } from "../suite/tap-results.js";

export type ProgressMode = "tty" | "lines" | "none";

const CLEAR = "\r\u001b[K";

/** Pure: `migrate: backfill workflow_stages.workspace_id: batch 12, 240,000 of 5,000,250 rows (4.8%), 38 s left (9 s)`. */
export function formatProgress(e: ProgressEvent, elapsedMs: number, phaseElapsedMs: number): string {
  const total = `${(elapsedMs / 1000).toFixed(0)} s`;
  if (e.done === undefined || e.total === undefined) return `migrate: ${e.phase} (${total})`;
  const pct = e.total > 0 ? (100 * e.done) / e.total : 100;
  const rate = phaseElapsedMs > 0 ? e.done / phaseElapsedMs : 0;
  const left = rate > 0 && e.done > 0 ? `, ${Math.ceil((e.total - e.done) / rate / 1000)} s left` : "";
  const n = (x: number) => x.toLocaleString("en-US");
  return `migrate: ${e.phase}: batch ${e.batch ?? 0}, ${n(e.done)} of ${n(e.total)} rows (${pct.toFixed(1)}%)${left} (${total})`;
}

export class Progress {
  private done = 0;
  private readonly t0 = performance.now();
  private phaseStart = this.t0;
  private migrationPhase = "";
  private lastLine = 0;

  constructor(
    private readonly mode: ProgressMode,
    private readonly err: NodeJS.WritableStream,
    private readonly opts: {
      /** Files the run will report (verify's [done/total]). */
      total?: number;
      /** Plain lines: at most one migration line this often while a phase goes on. */
      everyMs?: number;
    } = {},
  ) {}

  /** A line that stays (a terminal's live line is cleared first). */
  line(text: string): void {
    if (this.mode === "tty") this.err.write(`${CLEAR}${text}\n`);
    else if (this.mode === "lines") this.err.write(`${text}\n`);
  }

  /** What is going on now: the live line on a terminal, nothing in a log. */
  phase(text: string): void {
    if (this.mode === "tty") this.err.write(`${CLEAR}  ${text}`);
  }

  /** A finished test file. */
  file(r: FileResult): void {
    this.done++;
    if (this.mode === "tty") {
      this.err.write(`${CLEAR}  [${this.done}/${this.opts.total ?? "?"}] ${r.ok ? "ok" : "FAIL"} ${r.path}`);
    } else if (this.mode === "lines") {
      const t = r.tests;
      this.err.write(
        `${r.ok ? "ok  " : "FAIL"} ${r.check ?? "?"} ${r.path} (${t.passed}/${t.planned}, ${Math.round(r.durationMs)} ms)\n`,
      );
    }
  }

  /** A file met interference and runs again later (the line says why and when). */
  retry(text: string): void {
    if (this.mode === "tty") this.err.write(`${CLEAR}  ${text}`);
    else if (this.mode === "lines") this.err.write(`${text}\n`);
  }

  /** The migration's phase or backfill batch: live on a terminal; in a log when the phase changes and every few seconds. */
  migration(e: ProgressEvent): void {
    // The pre-flight and the data pre-check change nothing and take a moment; a refusal there
    // must stay the one line on stderr.
    if (e.phase === "preflight" || this.mode === "none") return;
    const now = performance.now();
    const changed = e.phase !== this.migrationPhase;
    if (changed) {
      this.migrationPhase = e.phase;
      this.phaseStart = now;
    }
    const text = formatProgress(e, now - this.t0, now - this.phaseStart);
    if (this.mode === "tty") this.err.write(`${CLEAR}${text}`);
    else if (changed || now - this.lastLine >= (this.opts.everyMs ?? 5000)) {
      this.err.write(`${text}\n`);
      this.lastLine = now;
    }
  }

  /** Clear the live line (a terminal's last line is the report's). */
  end(): void {
    if (this.mode === "tty") this.err.write(CLEAR);
  }
}
