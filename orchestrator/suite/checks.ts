// The 15 checks of the runbook (docs/design.md, "What gonogo promises") and the one rule that maps a
// test file to its check: the folder a file lives in, by the prefix before its first underscore
// (c3_config_lifecycle -> C3).
import { basename, dirname } from "node:path";

export type Severity = "gate" | "critical" | "important" | "invariant" | "executive";

export interface Check {
  id: string;
  title: string;
  severity: Severity;
}

export const CHECKS: readonly Check[] = [
  { id: "S0", title: "Section 0 pre-flight", severity: "gate" },
  { id: "C1", title: "Schema integrity", severity: "critical" },
  { id: "C2", title: "Type alignment", severity: "critical" },
  { id: "C3", title: "Config lifecycle", severity: "critical" },
  { id: "C4", title: "Freeze-by-reference", severity: "critical" },
  { id: "C5", title: "Workspace isolation", severity: "critical" },
  { id: "C6", title: "Runtime workflow execution", severity: "critical" },
  { id: "I1", title: "Performance indexes", severity: "important" },
  { id: "I2", title: "Data validation constraints", severity: "important" },
  { id: "I3", title: "Audit trail complete", severity: "important" },
  { id: "INV1", title: "ACTIVE config cannot be deleted", severity: "invariant" },
  { id: "INV2", title: "One ACTIVE config per workspace", severity: "invariant" },
  { id: "E1", title: "Config immutability (end-to-end)", severity: "executive" },
  { id: "E2", title: "Workspace isolation (end-to-end)", severity: "executive" },
  { id: "E3", title: "Runtime progression (end-to-end)", severity: "executive" },
];

const BY_ID = new Map(CHECKS.map((c) => [c.id, c]));

export function checkById(id: string): Check | undefined {
  return BY_ID.get(id);
}

/**
 * The check a test file belongs to: its folder's prefix before the first underscore, upper-cased.
 * `db/tests/inv1_active_delete/x.test.sql` -> INV1. Undefined when the folder names no check.
 */
export function checkForFile(path: string): Check | undefined {
  const folder = basename(dirname(path));
  const prefix = folder.split("_")[0] ?? "";
  return BY_ID.get(prefix.toUpperCase());
}

/** True for the Section 0 files, which run first because the others rely on what they detect. */
export function isSection0(path: string): boolean {
  return checkForFile(path)?.id === "S0";
}
