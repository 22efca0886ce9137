// Ctrl-C (SIGINT) ends every run with exit 130, whatever phase it arrives in: while the throwaway
// cluster starts, between test files, while the reports are written, against a URL. The cluster
// this run started is stopped and its directory removed (no postgres process of it left), stdout
// carries no verdict, and stderr ends with exactly one line saying what was left running.
import { spawnSync } from "node:child_process";
import { createReadStream, existsSync, mkdirSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it, onTestFinished } from "vitest";
import { listSql, ROOT } from "../../../orchestrator/apply/sql-files.js";
import { createDatabase } from "../../support/db.js";
import { lines, postgresProcessesFor, startGonogo, tempDir } from "../../support/gonogo.js";

describe("Ctrl-C ends the run with 130 whatever phase it arrives in", () => {
  const fileCount = listSql(join(ROOT, "db/tests"), ".test.sql").length;

  interface Interrupted {
    code: number | null;
    signal: NodeJS.Signals | null;
    stderr: string;
    stdout: string;
    /** From the signal to the process's end. */
    msAfterSignal: number;
  }

  /** Start `verify --jobs 1`, send SIGINT when `when(progress lines so far)` says so, wait for the end. */
  async function interruptAt(
    args: string[],
    env: Record<string, string>,
    when: (progressLines: number) => boolean,
  ): Promise<Interrupted> {
    const child = startGonogo(["verify", "--jobs", "1", ...args], { env, timeoutMs: 300_000 });
    let stderr = "";
    let sent = 0;
    const check = () => {
      if (!sent && when((stderr.match(/\.test\.sql \(/g) ?? []).length)) {
        sent = Date.now();
        child.kill("SIGINT");
      }
    };
    child.stderr?.on("data", (c: Buffer) => {
      stderr += c.toString();
      check();
    });
    const poll = setInterval(check, 20);
    const r = await child.finally(() => clearInterval(poll));
    return {
      code: r.exitCode ?? null,
      signal: (r.signal as NodeJS.Signals | undefined) ?? null,
      stderr: String(r.stderr),
      stdout: String(r.stdout),
      msAfterSignal: Date.now() - sent,
    };
  }

  function expectInterrupted(r: Interrupted, tmp: string, line: string) {
    expect({ code: r.code, signal: r.signal }, r.stderr).toEqual({ code: 130, signal: null });
    expect(r.stderr.match(/interrupted/g)).toHaveLength(1);
    expect(lines(r.stderr).at(-1)).toBe(line);
    expect(r.stdout).not.toMatch(/verdict/);
    expect(readdirSync(tmp).filter((f) => f.startsWith("gonogo-"))).toEqual([]);
  }

  it("while the throwaway cluster starts", async () => {
    const tmp = tempDir("gonogo-sig-");
    const r = await interruptAt([], { TMPDIR: tmp }, () =>
      readdirSync(tmp).some((f) => f.startsWith("gonogo-")),
    );
    expectInterrupted(r, tmp, "gonogo: interrupted; cluster stopped and removed");
  });

  it.each([1, 4, Math.ceil(fileCount / 2), fileCount])("between files, after %i finished", async (k) => {
    const tmp = tempDir("gonogo-sig-");
    const r = await interruptAt([], { TMPDIR: tmp }, (n) => n >= k);
    if (k === fileCount) {
      // after the last file the cluster may already be stopped: either line is true
      expect(lines(r.stderr).at(-1)).toMatch(
        /^gonogo: interrupted; (cluster stopped and removed|nothing left running)$/,
      );
      expect(r.code).toBe(130);
      expect(readdirSync(tmp).filter((f) => f.startsWith("gonogo-"))).toEqual([]);
    } else expectInterrupted(r, tmp, "gonogo: interrupted; cluster stopped and removed");
  });

  it("while the reports are written (junit.xml is a FIFO the test reads late)", async () => {
    const tmp = tempDir("gonogo-sig-");
    const reports = join(tmp, "reports");
    mkdirSync(reports);
    const fifo = join(reports, "junit.xml");
    expect(spawnSync("mkfifo", [fifo]).status).toBe(0);
    // gonogo's open of the FIFO completes the reader's: interrupt then. The reader only starts
    // reading 300 ms later, so gonogo is still inside writing junit.xml (more than a pipe buffer,
    // 64 KiB, which the byte count below proves) when the signal arrives, however fast it is.
    const reader = createReadStream(fifo);
    let writing = false;
    let bytes = 0;
    reader.on("open", () => {
      writing = true;
      setTimeout(() => reader.on("data", (b) => (bytes += b.length)), 300);
    });
    const r = await interruptAt(["--report-dir", reports], { TMPDIR: tmp }, () => writing);
    expect(bytes).toBeGreaterThan(65_536);
    expect({ code: r.code, signal: r.signal }).toEqual({ code: 130, signal: null });
    expect(lines(r.stderr).at(-1)).toBe("gonogo: interrupted; nothing left running");
    expect(readdirSync(tmp).filter((f) => f.startsWith("gonogo-"))).toEqual([]);
  });

  it("against a URL, between files", async () => {
    const db = await createDatabase();
    onTestFinished(() => db.drop());
    const tmp = tempDir("gonogo-sig-");
    const r = await interruptAt([], { DATABASE_URL: db.url }, (n) => n >= 3);
    expectInterrupted(r, tmp, "gonogo: interrupted; nothing left running");
  });
  it("once the server runs: it stops within 15 s, its directory is gone and no postgres process of it is left", async () => {
    const tmp = tempDir("gonogo-sig-");
    let dataDir = "";
    const r = await interruptAt([], { TMPDIR: tmp }, () => {
      for (const d of readdirSync(tmp))
        if (existsSync(join(tmp, d, "data", "postmaster.pid"))) dataDir = join(tmp, d, "data");
      return dataDir !== "";
    });
    expectInterrupted(r, tmp, "gonogo: interrupted; cluster stopped and removed");
    expect(r.msAfterSignal).toBeLessThan(15_000);
    expect(postgresProcessesFor(dataDir)).toEqual([]);
  });
});
