// A check that cannot fail proves nothing: on a migrated database with one guarantee removed, the
// files of the check that guards it must fail, while on the intact database they pass.
import { describe, expect, it } from "vitest";
import { createDatabase } from "../../support/db.js";
import { explain, filesOf, runFiles } from "./pgtap.js";

interface Breakage {
  guarantee: string;
  check: string;
  sql: string;
}

const breakages: Breakage[] = [
  {
    guarantee: "partial unique index (one ACTIVE per workspace)",
    check: "inv2",
    sql: "drop index public.config_versions_one_active_per_workspace",
  },
  {
    guarantee: "delete guard on ACTIVE config versions",
    check: "inv1",
    sql: "drop trigger trg_100_guard_config_version on public.config_versions",
  },
  {
    guarantee: "lifecycle guard (illegal transitions)",
    check: "c3",
    sql: "drop trigger trg_100_guard_config_version on public.config_versions",
  },
  {
    guarantee: "freeze-by-reference guard on workflow instances",
    check: "c4",
    sql: "drop trigger trg_100_guard_workflow_instance on public.workflow_instances",
  },
  {
    guarantee: "composite foreign key (site -> region inside the workspace)",
    check: "c5",
    sql: `alter table public.master_sites drop constraint master_sites_region_fkey;
          alter table public.master_sites add constraint master_sites_region_fkey
            foreign key (region_id) references public.master_regions (id)`,
  },
  {
    guarantee: "RLS policy on master_sites",
    check: "c5",
    sql: "drop policy workspace_isolation on public.master_sites",
  },
  {
    guarantee: "RLS enabled on workflow_instances",
    check: "e2",
    sql: "alter table public.workflow_instances disable row level security",
  },
  {
    guarantee: "audit trigger on workflow_approvals",
    check: "i3",
    sql: "drop trigger trg_900_audit on public.workflow_approvals",
  },
  {
    guarantee: "append-only trigger on audit_logs",
    check: "i3",
    sql: "drop trigger trg_100_refuse_change on public.audit_logs",
  },
  {
    guarantee: "audit trigger on workflow_approvals (end to end)",
    check: "e3",
    sql: "drop trigger trg_900_audit on public.workflow_approvals",
  },
  {
    guarantee: "CHECK constraint master_sites_latitude_check",
    check: "i2",
    sql: "alter table public.master_sites drop constraint master_sites_latitude_check",
  },
  {
    guarantee: "index idx_workflow_instances_site",
    check: "i1",
    sql: "drop index public.idx_workflow_instances_site",
  },
  {
    // still isolating, but through a per-row function call the planner cannot turn into an index scan
    guarantee: "index-friendly row-level security predicate",
    check: "i1",
    sql: `create function public.gonogo_row_visible(p_workspace_id uuid) returns boolean language plpgsql volatile
            as $$ begin return p_workspace_id = public.current_workspace_id(); end $$;
          drop policy workspace_isolation on public.workflow_instances;
          create policy workspace_isolation on public.workflow_instances
            using (public.gonogo_row_visible(workspace_id)) with check (public.gonogo_row_visible(workspace_id));
          grant execute on function public.gonogo_row_visible(uuid) to apms_app;`,
  },
  {
    guarantee: "frozen master rows of an ACTIVE config",
    check: "e1",
    sql: "drop trigger trg_100_guard_master_row on public.master_stage_templates",
  },
  {
    guarantee: "definer search_path with pg_temp last",
    check: "c5",
    sql: "alter function public.audit_row_change() set search_path = ''",
  },
  {
    guarantee: "no EXECUTE for PUBLIC on the audit trigger function",
    check: "i3",
    sql: "grant execute on function public.audit_row_change() to public",
  },
  {
    guarantee: "row-level security on users",
    check: "e2",
    sql: "alter table public.users disable row level security",
  },
  {
    guarantee: "config_version_id foreign key (type alignment)",
    check: "c2",
    sql: "alter table public.master_regions drop constraint master_regions_config_version_fkey",
  },
];

describe.each(["uuid", "text"])("baseline %s", (baseline) => {
  it.each(breakages)("without the $guarantee, $check fails", async ({ check, sql }) => {
    const files = filesOf(check);
    expect(files.length).toBeGreaterThan(0);
    const db = await createDatabase({ baseline, kind: "migrated" });
    try {
      const intact = await runFiles(db.url, files);
      expect(explain(intact), "intact database").toBe("");
      const c = await db.connect();
      await c.query(sql);
      const broken = await runFiles(db.url, files);
      const failing = broken.filter((r) => !r.passed).map((r) => r.file);
      expect(failing.length, `files of ${check} that failed after: ${sql}`).toBeGreaterThan(0);
    } finally {
      await db.drop();
    }
  });
});
