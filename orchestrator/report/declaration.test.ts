// declaration.md (renderDeclaration): the runbook's Final Declaration filled in for a DBA to sign:
// provenance and scope, the chosen box marked [x], each failure said once, a missing workspace named
// with the ones that exist, sign-off left to a human.
import { describe, expect, it } from "vitest";
import {
  goFiles,
  missingWorkspaceFiles,
  noGoFiles,
  SAMPLE_PROVENANCE,
  STAGING_ENV,
  sampleFiles,
  sampleReport,
  signOffReport,
  THROWAWAY_ENV,
} from "../../test/support/samples.js";
import { renderDeclaration } from "./declaration.js";

const go = goFiles();
const noGo = noGoFiles();

describe("declaration.md", () => {
  it("fills the runbook's template and leaves sign-off to a human", () => {
    const text = renderDeclaration(sampleReport(noGo, "url"), { tester: "Dina DBA" });
    expect(text).toContain("**Date:** 2025-12-29");
    expect(text).toContain("**Tester:** Dina DBA");
    expect(text).toContain("**Environment:** staging.example.com:5432/apms");
    expect(text).toContain("- pgcrypto enabled: [x] YES [ ] NO");
    expect(text).toContain("- config_versions.id type: text");
    expect(text).toContain("- Status column name: workflow_status");
    expect(text).toContain("- Workspace ID: 11111111-2222-3333-4444-555555555555 (XLSMART-AVIAT)");
    expect(text).toContain("**Critical Results:** 5/6 PASSED");
    expect(text).toContain("**Important Results:** 2/3 PASSED");
    expect(text).toContain("**Invariant Tests:** 2/2 PASSED");
    expect(text).toContain("**Overall Score:** 80%");
    expect(text).toContain("- Workspace Isolation: [ ] PASS [x] FAIL");
    expect(text).toContain("**Decision:** [ ] 🟢 GO [ ] 🟡 HOLD [x] 🔴 NO-GO");
    expect(text).toMatch(/- C3 Config lifecycle \[critical\] FAILED: ACTIVE config cannot be deleted/);
    expect(text).toMatch(/- E2 .* FAILED: SQL error 42P01/);
    expect(text).toContain("**Approved By:** ____________________");
  });

  it("GO justification states the evidence", () => {
    const text = renderDeclaration(sampleReport(go), { tester: "t" });
    expect(text).toContain("[x] 🟢 GO");
    expect(text).toContain("All 15 checks passed");
    expect(text).toContain("**Environment:** throwaway local cluster (baseline uuid)");
  });
});

describe("sign-off facts", () => {
  it("declaration.md of a throwaway run says plainly that it is about the migration on a model baseline", () => {
    const text = renderDeclaration(signOffReport(sampleFiles(), THROWAWAY_ENV), { tester: "t" });
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
    const p = { ...SAMPLE_PROVENANCE, commit: null, dirty: null, commitUnknown: "not a git checkout" };
    const text = renderDeclaration(signOffReport(sampleFiles(), STAGING_ENV, p), { tester: "t" });
    expect(text).toContain(
      "**Scope:** This verdict is about the database staging.example.com:5432/apms as it was during this run.",
    );
    expect(text).toContain("- Target: staging.example.com:5432/apms (credentials not recorded)");
    expect(text).toContain("- gonogo: 0.1.0, commit unknown (not a git checkout)");
    expect(text).not.toContain("model baseline");
  });

  it("marks the chosen box [x] and no other, and says each failure once", () => {
    const files = sampleFiles(["C3", "I1"]);
    const text = renderDeclaration(signOffReport(files, THROWAWAY_ENV), { tester: "t" });
    expect(text).toContain("**Decision:** [ ] 🟢 GO [ ] 🟡 HOLD [x] 🔴 NO-GO");
    expect(text).not.toMatch(/[☒⬜]/u);
    expect(text.match(/\[x\]/g)?.length).toBe(1 + 1 + 3); // decision, pgcrypto YES, three executive PASS
    const justification = text.slice(text.indexOf("**Justification:**"), text.indexOf("**Approved By:**"));
    expect(justification.match(/ACTIVE config cannot be deleted/g)).toHaveLength(2); // C3 and I1, once each
    expect(justification.match(/^- Rule: /gm)).toHaveLength(1);
  });

  it("a missing workspace is said in those words, with the workspace codes that exist", () => {
    const r = signOffReport(missingWorkspaceFiles(), THROWAWAY_ENV);
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
