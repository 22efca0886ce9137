// The attacks of issue 22 would have caught the schema as it was: on a migrated database with the
// old weaknesses put back (test/fixtures/weaknesses/before-issue-22.sql, a copy of the old grants,
// indexes and functions), the suite says NO-GO and every file that plays one of the attacks fails.
// The same files pass on the intact schema (breakages.test.ts: "the intact database ... gets GO").
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ROOT } from "../../../orchestrator/apply/sql-files.js";
import { createDatabase, type TestDatabase } from "../../support/db.js";
import { gonogo } from "../../support/gonogo.js";

const ATTACK_FILES = [
  "c5_workspace_isolation/app_role_changes_nothing_directly.test.sql",
  "c5_workspace_isolation/app_role_reads_only_its_workspace.test.sql",
  "c5_workspace_isolation/explain_counts_nothing_of_another_workspace.test.sql",
  "c5_workspace_isolation/one_session_cannot_hold_up_the_others.test.sql",
  "c5_workspace_isolation/workspace_id_is_not_a_key.test.sql",
  "c6_runtime_workflow/approvals_follow_the_rules_whatever_the_session_sends.test.sql",
  "e1_config_immutability/freeze_holds_whatever_the_session_sets.test.sql",
  "e2_workspace_isolation/other_workspaces_neither_shown_nor_described.test.sql",
  "i3_audit_trail/approval_names_one_actor.test.sql",
];

describe.each(["uuid", "text"])("the schema before issue 22 (baseline %s)", (baseline) => {
  let db: TestDatabase;
  afterAll(async () => {
    await db?.drop();
  });

  it("gets NO-GO, every attack file failing", async () => {
    db = await createDatabase({ baseline });
    const c = await db.connect();
    await c.query("set client_min_messages = warning");
    await c.query(readFileSync(join(ROOT, "test/fixtures/weaknesses/before-issue-22.sql"), "utf8"));
    await c.end();
    const r = await gonogo(["verify", "--database-url", db.url, "--format", "json"]);
    expect(r.verdict?.decision, r.stderr).toBe("NO-GO");
    const failing = new Set(r.verdict?.checks.flatMap((ch) => ch.failures.map((f) => f.file)));
    for (const file of ATTACK_FILES) expect([...failing], file).toContain(`db/tests/${file}`);
  });
});
