// Pure: the runbook's Final Declaration Template (docs/design.md, "Reports") filled in from the
// verdict: date, tester, environment (host:port/database, no password), what the verdict is about,
// provenance (gonogo version and commit, server version, migration sha256, workspace), Section 0,
// counts, executive summary, decision (the chosen box `[x]`) and a justification naming each failed
// check once, then the runbook rule applied. Sign-off stays blank.
import { describeLedger } from "../apply/prisma-ledger.js";
import type { Decision } from "../suite/score.js";
import type { Section0, SignOff, VerdictReport } from "./json.js";
import { countsBySeverity } from "./json.js";

/** Markdown task-list boxes: unambiguous in any renderer and in plain text. */
const box = (on: boolean) => (on ? "[x]" : "[ ]");

const RULE: Record<Decision, string> = {
  GO: "GO only when all 15 checks pass.",
  HOLD: "HOLD when every gate, critical, invariant and executive check passes and 1 or 2 important checks fail: assess the risk before going ahead.",
  "NO-GO":
    "NO-GO when Section 0, any critical, invariant or executive check fails, or 3 or more important checks fail.",
};

function workspaceLine(s0: Section0): string {
  if (s0.workspaceId) return `${s0.workspaceId}${s0.workspaceCode ? ` (${s0.workspaceCode})` : ""}`;
  if (s0.workspaceCode && s0.existingWorkspaces) {
    return `workspace ${s0.workspaceCode} not found; workspaces that exist: ${s0.existingWorkspaces}`;
  }
  return "not detected";
}

function provenanceLines(p: SignOff): string[] {
  const tree =
    p.commit === null
      ? `commit unknown (${p.commitUnknown ?? "?"})`
      : `commit ${p.commit} (${p.dirty ? "with uncommitted changes" : "clean working tree"})`;
  return [
    "**Provenance:**",
    `- gonogo: ${p.gonogoVersion}, ${tree}`,
    `- PostgreSQL server: ${p.serverVersion ?? "unknown"}`,
    ...p.migrations.map((m) => `- Migration file: ${m.file}, sha256 ${m.sha256}`),
    p.target === null
      ? `- Baseline: ${p.baseline ?? "?"} (model schema in a throwaway local cluster)`
      : `- Target: ${p.target} (credentials not recorded)`,
    `- Workspace tested: ${p.workspace ?? "not detected"}`,
    "",
  ];
}

export interface DeclarationOptions {
  tester: string;
}

export function renderDeclaration(report: VerdictReport, opts: DeclarationOptions): string {
  const s0 = report.section0;
  const counts = countsBySeverity(report);
  const byId = new Map(report.checks.map((c) => [c.id, c]));
  const pf = (id: string) => {
    const passed = byId.get(id)?.passed ?? false;
    return `${box(passed)} PASS ${box(!passed)} FAIL`;
  };
  const env = report.environment;
  const environment =
    env.mode === "cluster" ? `throwaway local cluster (baseline ${env.baseline ?? "?"})` : env.target;
  const d = report.decision;
  const failed = report.checks.filter((c) => !c.passed);
  const justification =
    failed.length === 0
      ? [
          `All ${report.score.total} checks passed (${report.totals.passed}/${report.totals.planned} pgTAP assertions in ${report.totals.files} files).`,
        ]
      : failed.map((c) => {
          const first = c.failures[0];
          const where = first?.file ? ` (${first.file}${first.test !== null ? ` #${first.test}` : ""})` : "";
          const more =
            c.failures.length > 1 ? `; ${c.failures.length - 1} more failure(s) in the reports` : "";
          return `${c.id} ${c.title} [${c.severity}] FAILED: ${first?.description ?? "no evidence"}${where}${more}.`;
        });
  const lines = [
    "## Test Execution Summary",
    "",
    `**Migration:** \`${report.migration}\``,
    `**Date:** ${report.finishedAt.slice(0, 10)} (${report.finishedAt})`,
    `**Tester:** ${opts.tester}`,
    `**Environment:** ${environment}`,
    ...(report.ledger && report.ledger.status !== "absent"
      ? [`**Prisma ledger:** ${describeLedger(report.ledger)}`]
      : []),
    ...(report.provenance
      ? [`**Scope:** ${report.provenance.scope}`, "", ...provenanceLines(report.provenance)]
      : [""]),
    "**Section 0 Results:**",
    `- pgcrypto enabled: ${box(s0.pgcrypto === true)} YES ${box(s0.pgcrypto !== true)} NO`,
    `- config_versions.id type: ${s0.configVersionsIdType ?? "not detected"}`,
    `- Status column name: ${s0.statusColumn ?? "not detected"} (workflow_instances), ${s0.stageStatusColumn ?? "not detected"} (workflow_stages)`,
    `- Workspace ID: ${workspaceLine(s0)}`,
    `- Active users: ${s0.activeUsers ?? "not detected"}`,
    "",
    `**Critical Results:** ${counts.critical.passed}/${counts.critical.total} PASSED`,
    `**Important Results:** ${counts.important.passed}/${counts.important.total} PASSED`,
    `**Invariant Tests:** ${counts.invariant.passed}/${counts.invariant.total} PASSED`,
    `**Overall Score:** ${report.score.percent}% (${report.score.passed}/${report.score.total} checks)`,
    "",
    "**Executive Summary:**",
    `- Config Immutability: ${pf("E1")}`,
    `- Workspace Isolation: ${pf("E2")}`,
    `- Runtime Progression: ${pf("E3")}`,
    "",
    "## Go/No-Go Decision",
    "",
    `**Decision:** ${box(d === "GO")} 🟢 GO ${box(d === "HOLD")} 🟡 HOLD ${box(d === "NO-GO")} 🔴 NO-GO`,
    "",
    "**Justification:**",
    ...justification.map((j) => `- ${j}`),
    `- Rule: ${RULE[d]}`,
    "",
    "**Approved By:** ____________________",
    "**Title:** ____________________",
    "**Date:** ____________________",
    "",
    `_Generated by gonogo from ${report.totals.files} pgTAP files; evidence: verdict.json, junit.xml, results.tap._`,
    "",
  ];
  return lines.join("\n");
}
