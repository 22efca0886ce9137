// What a DBA needs to sign: provenance and scope in verdict.json and declaration.md, the chosen
// box marked [x], each failure said once, a missing workspace named with the ones that exist.
import { describe, expect, it } from "vitest";
import { sampleFiles } from "../../test/support/samples.js";
import type { Provenance } from "../program/provenance.js";
import { score } from "../suite/score.js";
import { type FileResult, parseFileTap } from "../suite/tap-results.js";
import { renderDeclaration } from "./declaration.js";
import { buildReport, type Environment, renderJson } from "./json.js";

const provenance: Provenance = {
  gonogoVersion: "0.1.0",
  commit: "0123456789abcdef0123456789abcdef01234567",
  dirty: true,
  migrations: [{ file: "db/migrations/m/migration.sql", sha256: "ab".repeat(32) }],
};

const throwaway: Environment = {
  mode: "cluster",
  target: "local throwaway cluster/gonogo",
  baseline: "text",
  serverVersion: "15.14 (Debian 15.14-1)",
};
const staging: Environment = {
  mode: "url",
  target: "staging.example.com:5432/apms",
  workspace: "XLSMART-AVIAT",
  serverVersion: "15.6",
};

function report(files: FileResult[], environment: Environment, p: Provenance | undefined = provenance) {
  return buildReport({
    verdict: score(files),
    files,
    environment,
    startedAt: new Date("2025-12-29T10:00:00Z"),
    finishedAt: new Date("2025-12-29T10:00:02Z"),
    jobs: 2,
    timings: {},
    provenance: p,
  });
}

const S0_MISSING = `1..3
# section0.workspaceCode: NOPE
# section0.existingWorkspaces: TEST-WS, XLSMART-AVIAT
not ok 1 - s0: workspace NOPE not found; workspaces that exist: TEST-WS, XLSMART-AVIAT
# Failed test 1: "s0: workspace NOPE not found; workspaces that exist: TEST-WS, XLSMART-AVIAT"
ok 2 - s0: users has a status column
ok 3 - s0: at least two users are ACTIVE
`;

function missingWorkspace(): FileResult[] {
  return sampleFiles().map((f) => (f.check === "S0" ? parseFileTap(f.path, S0_MISSING) : f));
}

describe("sign-off facts", () => {
  it("verdict.json carries version, commit, dirty flag, server version, sha256, baseline, workspace, scope", () => {
    const v = JSON.parse(renderJson(report(sampleFiles(), throwaway)));
    expect(v.provenance).toEqual({
      gonogoVersion: "0.1.0",
      commit: "0123456789abcdef0123456789abcdef01234567",
      dirty: true,
      migrations: [{ file: "db/migrations/m/migration.sql", sha256: "ab".repeat(32) }],
      serverVersion: "15.14 (Debian 15.14-1)",
      baseline: "text",
      target: null,
      workspace: "XLSMART-AVIAT",
      scope:
        "This verdict is about the migration applied to a model baseline (text) in a throwaway local cluster, not about any real database.",
    });
  });

  it("declaration.md of a throwaway run says plainly that it is about the migration on a model baseline", () => {
    const text = renderDeclaration(report(sampleFiles(), throwaway), { tester: "t" });
    expect(text).toContain(
      "**Scope:** This verdict is about the migration applied to a model baseline (text) in a throwaway local cluster, not about any real database.",
    );
    expect(text).toContain(
      "- gonogo: 0.1.0, commit 0123456789abcdef0123456789abcdef01234567 (with uncommitted changes)",
    );
    expect(text).toContain("- PostgreSQL server: 15.14 (Debian 15.14-1)");
    expect(text).toContain(`- Migration file: db/migrations/m/migration.sql, sha256 ${"ab".repeat(32)}`);
    expect(text).toContain("- Baseline: text (model schema in a throwaway local cluster)");
    expect(text).toContain("- Workspace tested: XLSMART-AVIAT");
  });

  it("a URL run names host:port/database without credentials, and the commit when unknown says why", () => {
    const p = { ...provenance, commit: null, dirty: null, commitUnknown: "not a git checkout" };
    const text = renderDeclaration(report(sampleFiles(), staging, p), { tester: "t" });
    expect(text).toContain(
      "**Scope:** This verdict is about the database staging.example.com:5432/apms as it was during this run.",
    );
    expect(text).toContain("- Target: staging.example.com:5432/apms (credentials not recorded)");
    expect(text).toContain("- gonogo: 0.1.0, commit unknown (not a git checkout)");
    expect(text).not.toContain("model baseline");
  });

  it("marks the chosen box [x] and no other, and says each failure once", () => {
    const files = sampleFiles(["C3", "I1"]);
    const text = renderDeclaration(report(files, throwaway), { tester: "t" });
    expect(text).toContain("**Decision:** [ ] 🟢 GO [ ] 🟡 HOLD [x] 🔴 NO-GO");
    expect(text).not.toMatch(/[☒⬜]/u);
    expect(text.match(/\[x\]/g)?.length).toBe(1 + 1 + 3); // decision, pgcrypto YES, three executive PASS
    const justification = text.slice(text.indexOf("**Justification:**"), text.indexOf("**Approved By:**"));
    expect(justification.match(/ACTIVE config cannot be deleted/g)).toHaveLength(2); // C3 and I1, once each
    expect(justification.match(/^- Rule: /gm)).toHaveLength(1);
  });

  it("a missing workspace is said in those words, with the workspace codes that exist", () => {
    const r = report(missingWorkspace(), throwaway);
    expect(r.decision).toBe("NO-GO");
    expect(r.section0.existingWorkspaces).toBe("TEST-WS, XLSMART-AVIAT");
    expect(r.provenance?.workspace).toBe("NOPE");
    const text = renderDeclaration(r, { tester: "t" });
    expect(text).toContain(
      "- Workspace ID: workspace NOPE not found; workspaces that exist: TEST-WS, XLSMART-AVIAT",
    );
    expect(text).toContain("- Workspace tested: NOPE");
    expect(text).toMatch(
      /S0 .*FAILED: s0: workspace NOPE not found; workspaces that exist: TEST-WS, XLSMART-AVIAT/,
    );
  });
});
