import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { sampleFiles, sampleReport } from "../../test/support/samples.js";
import { escapeData, failureLine, publishToGithub, renderAnnotations, renderStepSummary } from "./github.js";

const noGo = sampleReport(sampleFiles(["C3", "I1"]));
const hold = sampleReport(sampleFiles(["I2"]));
const go = sampleReport(sampleFiles());

const SOURCE = `begin;
select plan(3);
-- TEST: the first
select ok(true, 'first');
select throws_ok(
  $$ delete from config_versions $$,
  'ZA001',
  'ACTIVE config cannot be deleted'
);
select ok(true, 'it''s the third');
select * from finish();
rollback;
`;

describe("failureLine", () => {
  it("finds the assertion by its literal description", () => {
    const f = {
      file: "x.test.sql",
      test: 2,
      description: "ACTIVE config cannot be deleted",
      diagnostics: "",
    };
    expect(failureLine(SOURCE, f)).toBe(8);
    expect(failureLine(SOURCE, { ...f, test: 3, description: "it's the third" })).toBe(10);
  });

  it("falls back to the position when the description is not literal and the plan matches", () => {
    const src =
      "begin;\nselect plan(2);\nselect ok(true, format('%s', 'a'));\nselect is(1, 2, 'x' || 'y');\nselect * from finish();\nrollback;\n";
    expect(failureLine(src, { file: "f", test: 2, description: "xy", diagnostics: "" })).toBe(4);
  });

  it("does not guess a position when statements and plan disagree", () => {
    const src = "select plan(5);\nselect tests.helper();\nselect ok(true, 'a' || 'b');\n";
    expect(failureLine(src, { file: "f", test: 2, description: "ab", diagnostics: "" })).toBe(1);
  });

  it("uses the SQL error's line for a file-level failure", () => {
    expect(failureLine(SOURCE, { file: "f", test: null, description: "SQL error", diagnostics: "" }, 6)).toBe(
      6,
    );
  });
});

describe("renderAnnotations", () => {
  it("prints one ::error per failed assertion with file, line and the check as title", () => {
    const out = renderAnnotations(noGo, () => SOURCE);
    const lines = out.trim().split("\n");
    expect(lines).toHaveLength(2);
    expect(lines[0]).toBe(
      '::error file=db/tests/c3_sample/behaviour.test.sql,line=8,title=C3::ACTIVE config cannot be deleted%0AFailed test 2: "ACTIVE config cannot be deleted"%0A      caught: no exception%0A      wanted: ZA001',
    );
    expect(lines[1]).toMatch(/^::error file=db\/tests\/i1_sample\/behaviour\.test\.sql,line=8,title=I1::/);
    expect(out).not.toContain("::warning");
  });

  it("prints a ::warning per HOLD reason", () => {
    const out = renderAnnotations(hold, () => undefined);
    expect(out).toContain("::error file=db/tests/i2_sample/behaviour.test.sql,line=1,title=I2::");
    expect(out).toContain(`::warning title=gonogo HOLD::${escapeData(hold.reasons[0] ?? "")}`);
  });

  it("prints nothing on GO", () => {
    expect(renderAnnotations(go, () => SOURCE)).toBe("");
  });

  it("escapes what would end the command early", () => {
    expect(escapeData("50% done\r\nnext")).toBe("50%25 done%0D%0Anext");
  });
});

describe("renderStepSummary", () => {
  it("has the decision, score, 15 check rows and the failures with diagnostics", () => {
    const md = renderStepSummary(noGo);
    expect(md).toContain("## 🔴 gonogo: NO-GO");
    expect(md).toContain("**13/15 checks** (86.7%)");
    expect(md.split("\n").filter((l) => /^\| (✅ PASS|❌ FAIL) \|/.test(l))).toHaveLength(15);
    expect(md).toContain("| ❌ FAIL | C3 | Config lifecycle | critical | 2/3 |");
    expect(md).toContain("#### C3 Config lifecycle (critical)");
    expect(md).toContain("- `db/tests/c3_sample/behaviour.test.sql` #2: ACTIVE config cannot be deleted");
    expect(md).toContain("      wanted: ZA001");
  });

  it("appends another command's section (rehearse's Deployment table)", () => {
    const md = renderStepSummary(go, "### Deployment\n\n| table | read blocked |\n|---|---|\n");
    expect(md).toContain("## 🟢 gonogo: GO");
    expect(md.trimEnd().endsWith("|---|---|")).toBe(true);
    expect(md).not.toContain("### Failures");
  });
});

describe("publishToGithub", () => {
  it("appends to GITHUB_STEP_SUMMARY and prints annotations only when GITHUB_ACTIONS=true", () => {
    const dir = mkdtempSync(join(tmpdir(), "gonogo-gh-"));
    try {
      const file = join(dir, "summary.md");
      writeFileSync(file, "earlier step\n");
      const chunks: string[] = [];
      const out = { write: (s: string) => chunks.push(s) } as unknown as NodeJS.WritableStream;
      publishToGithub(hold, { env: { GITHUB_STEP_SUMMARY: file }, out });
      expect(chunks).toEqual([]);
      publishToGithub(hold, { env: { GITHUB_STEP_SUMMARY: file, GITHUB_ACTIONS: "true" }, out });
      const text = readFileSync(file, "utf8");
      expect(text.startsWith("earlier step\n## 🟡 gonogo: HOLD")).toBe(true);
      expect(text.match(/## 🟡 gonogo: HOLD/g)).toHaveLength(2);
      expect(chunks.join("")).toContain("::warning title=gonogo HOLD::");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
