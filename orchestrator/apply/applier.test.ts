import { describe, expect, it } from "vitest";
import { formatProgress } from "../report/progress.js";
import { phasesOf } from "./applier.js";
import { migrationFiles } from "./sql-files.js";

describe("phasesOf", () => {
  it("cuts a file at its `-- gonogo:phase` lines; text before the first is the pre-flight", () => {
    const text =
      "select 1;\n-- gonogo:phase expand\nselect 2;\nselect 3 \\gexec\n-- gonogo:phase last\nselect 4;\n";
    const phases = phasesOf(text);
    expect(phases.map((p) => [p.name, p.statements.length])).toEqual([
      ["preflight", 1],
      ["expand", 2],
      ["last", 1],
    ]);
    const gexec = phases[1]?.statements[1];
    expect(gexec?.gexec).toBe(true);
    expect(text.slice(gexec?.start, gexec?.end)).toBe("select 3 ");
  });

  it("the migration's pre-flight holds only the ZD001/ZD002 checks: nothing before the pre-check changes a table", () => {
    const file = migrationFiles()[0];
    if (!file) throw new Error("no migration");
    const phases = phasesOf(file.text);
    expect(phases[0]?.name).toBe("preflight");
    const pre = (phases[0]?.statements ?? []).map((s) => file.text.slice(s.start, s.end));
    expect(pre).toHaveLength(2);
    expect(pre.join("\n")).toMatch(/ZD001/);
    expect(pre.join("\n")).toMatch(/ZD002/);
    expect(phases.map((p) => p.name)).toContain("backfill");
  });
});

describe("formatProgress", () => {
  it("names the phase, the batch, rows done of the total and the time left", () => {
    const line = formatProgress(
      {
        file: "m.sql",
        phase: "backfill workflow_stages.workspace_id",
        batch: 14,
        done: 1_000_000,
        total: 5_000_000,
      },
      20_000,
      10_000,
    );
    expect(line).toBe(
      "migrate: backfill workflow_stages.workspace_id: batch 14, 1,000,000 of 5,000,000 rows (20.0%), 40 s left (20 s)",
    );
  });

  it("a phase without counts shows the elapsed time only", () => {
    expect(formatProgress({ file: "m.sql", phase: "indexes" }, 61_400, 0)).toBe("migrate: indexes (61 s)");
  });
});
