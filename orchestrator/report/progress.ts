// Progress on stderr while a run works: a live line on a terminal (`tty`), one line per finished
// file for CI logs (`lines`), or nothing (`none`). Never on stdout, which carries the report.
import type { FileResult } from "../suite/tap-results.js";

export type ProgressMode = "tty" | "lines" | "none";

export class Progress {
  private done = 0;
  constructor(
    private readonly mode: ProgressMode,
    private readonly err: NodeJS.WritableStream,
    private readonly total: number,
  ) {}
  file(r: FileResult): void {
    this.done++;
    if (this.mode === "tty") {
      this.err.write(`\r\u001b[K  [${this.done}/${this.total}] ${r.ok ? "ok" : "FAIL"} ${r.path}`);
    } else if (this.mode === "lines") {
      const t = r.tests;
      this.err.write(
        `${r.ok ? "ok  " : "FAIL"} ${r.check ?? "?"} ${r.path} (${t.passed}/${t.planned}, ${Math.round(r.durationMs)} ms)\n`,
      );
    }
  }
  /** A file met interference and runs again later (the line says why and when). */
  retry(line: string): void {
    if (this.mode === "tty") this.err.write(`\r\u001b[K  ${line}`);
    else if (this.mode === "lines") this.err.write(`${line}\n`);
  }
  phase(text: string): void {
    if (this.mode === "tty") this.err.write(`\r\u001b[K  ${text}`);
  }
  end(): void {
    if (this.mode === "tty") this.err.write("\r\u001b[K");
  }
}
