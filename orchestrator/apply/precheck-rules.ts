// Pure: the data pre-check of migration 20251229010228. Every constraint, unique index and NOT NULL
// the migration adds over rows that may already exist has a rule here: the SQL that returns the
// offending rows (as the baseline stands, before anything is applied), the unit it counts and the
// fix a DBA applies. The catalog test (test/integration/migration/precheck.test.ts) proves every
// such guarantee of the migrated schema has a rule. Running them is precheck-run.ts's job.

/** What the rules' SQL may depend on in the pre-migration schema. */
export interface PrecheckContext {
  /** `table.column` pairs present in schema public. */
  columns: ReadonlySet<string>;
  /** Relations present in schema public (a partly migrated database may already hold new tables). */
  relations: ReadonlySet<string>;
  /** Tables whose `id` alone is already unique (then `(x, id)` is unique too). */
  idUnique: ReadonlySet<string>;
  /** workflow_instances' status column: `status` or `workflow_status`. */
  instanceStatus: string;
  /** workflow_stages' status column: `status` or `stage_status`. */
  stageStatus: string;
}

export interface PrecheckRule {
  /** The constraint or unique index it guards (or `table.column NOT NULL`), as the catalog names it. */
  guards: string;
  table: string;
  /** What the migration requires of the existing rows. */
  requirement: string;
  /** What one offending row is (the count's unit). */
  unit: string;
  /**
   * The query returning the offending rows as (workspace text, key text), or null when no existing
   * row can violate it (the migration adds the column empty, or the key is already unique).
   */
  sql(ctx: PrecheckContext): string | null;
  /** The fix, given the workspace codes of the samples. */
  fix(workspaces: readonly string[]): string;
}

export const WORKFLOW_STATUSES = ["IN_PROGRESS", "COMPLETED", "REJECTED", "CANCELLED"] as const;
export const STAGE_STATUSES = ["PENDING", "IN_PROGRESS", "APPROVED", "REJECTED", "SKIPPED"] as const;
export const CONFIG_STATUSES = ["DRAFT", "ACTIVE", "SUPERSEDED"] as const;

const list = (values: readonly string[]) => values.map((v) => `'${v}'`).join(", ");
const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;
const has = (ctx: PrecheckContext, tableColumn: string) => ctx.columns.has(tableColumn);
const ws = (codes: readonly string[]) =>
  codes.length === 0 ? "" : ` of workspace${codes.length > 1 ? "s" : ""} ${codes.join(", ")}`;

/** Stage rows' workspace after the migration's backfill (the instance's, unless already set). */
function stageWorkspace(ctx: PrecheckContext): string {
  return has(ctx, "workflow_stages.workspace_id")
    ? "coalesce(s.workspace_id, i.workspace_id)"
    : "i.workspace_id";
}

/** `(workspace_id, id)` duplicates: impossible when id alone is unique. */
function workspaceIdDuplicates(table: string, workspace: string, from: string, alias: string) {
  return (ctx: PrecheckContext) =>
    ctx.idUnique.has(table)
      ? null
      : `select w.code as workspace, ${alias}.id::text || ' (' || count(*) || ' rows)' as key
         from ${from} left join public.workspaces w on w.id = ${workspace}
         group by ${workspace}, ${alias}.id, w.code having count(*) > 1`;
}

/** A new foreign key on a column the baseline may already have: non-null values with no target row. */
function referenceRule(opts: {
  guards: string;
  table: string;
  columns: string[];
  target: string;
  targetColumns: string[];
  requirement: string;
  fix: (codes: readonly string[]) => string;
}): PrecheckRule {
  return {
    guards: opts.guards,
    table: opts.table,
    requirement: opts.requirement,
    unit: opts.table === "config_versions" ? "version" : "instance",
    sql(ctx) {
      const added = opts.columns.filter((c) => c !== "workspace_id");
      if (!added.every((c) => has(ctx, `${opts.table}.${c}`))) return null;
      const notNull = opts.columns.map((c) => `x.${c} is not null`).join(" and ");
      const target = ctx.relations.has(opts.target)
        ? ` and not exists (select from public.${opts.target} t where ${opts.columns
            .map((c, k) => `t.${opts.targetColumns[k]} = x.${c}`)
            .join(" and ")})`
        : "";
      return `select w.code as workspace, x.id::text || ' -> ' || ${opts.columns
        .filter((c) => c !== "workspace_id")
        .map((c) => `x.${c}::text`)
        .join(" || ', ' || ")} as key
        from public.${opts.table} x left join public.workspaces w on w.id = x.workspace_id
        where ${notNull}${target}`;
    },
    fix: opts.fix,
  };
}

const INSTANCE_JOIN =
  "public.workflow_stages s left join public.workflow_instances i on i.id = s.workflow_instance_id";

/** Every rule, in the order the migration adds what it guards. */
export const PRECHECK_RULES: readonly PrecheckRule[] = [
  {
    guards: "workspaces_code_key",
    table: "workspaces",
    requirement: "workspace codes are unique",
    unit: "code",
    sql: () =>
      `select x.code as workspace, string_agg(x.id::text, ', ' order by x.id::text) as key
       from public.workspaces x where x.code is not null group by x.code having count(*) > 1`,
    fix: (codes) => `give each workspace its own code${ws(codes)} (rename or merge the duplicates)`,
  },
  {
    guards: "config_versions_status_check",
    table: "config_versions",
    requirement: `config_versions.status is one of ${CONFIG_STATUSES.join(", ")}`,
    unit: "version",
    sql: () =>
      `select w.code as workspace, x.id::text || ' status=' || x.status as key
       from public.config_versions x left join public.workspaces w on w.id = x.workspace_id
       where x.status not in (${list(CONFIG_STATUSES)})`,
    fix: (codes) =>
      `set these versions' status${ws(codes)} to ${CONFIG_STATUSES.join(", ")} (map the legacy values)`,
  },
  {
    guards: "config_versions_workspace_id_id_key",
    table: "config_versions",
    requirement: "(workspace_id, id) is unique in config_versions",
    unit: "duplicated key",
    sql: workspaceIdDuplicates("config_versions", "x.workspace_id", "public.config_versions x", "x"),
    fix: (codes) => `remove the duplicated config_versions rows${ws(codes)}`,
  },
  {
    guards: "config_versions_one_active_per_workspace",
    table: "config_versions",
    requirement: "at most one ACTIVE config version per workspace",
    unit: "workspace",
    sql: () =>
      `select w.code as workspace, string_agg(x.id::text, ', ' order by x.id::text) as key
       from public.config_versions x left join public.workspaces w on w.id = x.workspace_id
       where x.status = 'ACTIVE' group by x.workspace_id, w.code having count(*) > 1`,
    fix: (codes) => `supersede all but one ACTIVE version${ws(codes)}`,
  },
  referenceRule({
    guards: "config_versions_created_by_fkey",
    table: "config_versions",
    columns: ["created_by"],
    target: "users",
    targetColumns: ["id"],
    requirement: "config_versions.created_by names an existing user",
    fix: (codes) => `set created_by to null or to an existing user on these versions${ws(codes)}`,
  }),
  referenceRule({
    guards: "config_versions_activated_by_fkey",
    table: "config_versions",
    columns: ["activated_by"],
    target: "users",
    targetColumns: ["id"],
    requirement: "config_versions.activated_by names an existing user",
    fix: (codes) => `set activated_by to null or to an existing user on these versions${ws(codes)}`,
  }),
  {
    guards: "workflow_instances_workspace_id_id_key",
    table: "workflow_instances",
    requirement: "(workspace_id, id) is unique in workflow_instances",
    unit: "duplicated key",
    sql: workspaceIdDuplicates("workflow_instances", "x.workspace_id", "public.workflow_instances x", "x"),
    fix: (codes) => `remove the duplicated workflow_instances rows${ws(codes)}`,
  },
  {
    guards: "workflow_instances_status_check",
    table: "workflow_instances",
    requirement: `workflow_instances' status is one of ${WORKFLOW_STATUSES.join(", ")}`,
    unit: "instance",
    sql: (ctx) =>
      `select w.code as workspace, x.id::text || ' ${ctx.instanceStatus}=' || x.${ident(ctx.instanceStatus)} as key
       from public.workflow_instances x left join public.workspaces w on w.id = x.workspace_id
       where x.${ident(ctx.instanceStatus)} not in (${list(WORKFLOW_STATUSES)})`,
    fix: (codes) =>
      `set these instances' status${ws(codes)} to ${WORKFLOW_STATUSES.join(", ")} (map the legacy values)`,
  },
  {
    guards: "workflow_instances_config_version_fkey",
    table: "workflow_instances",
    requirement: "each instance's config version belongs to the instance's workspace",
    unit: "instance",
    sql: () =>
      `select w.code as workspace, x.id::text || ' -> version ' || x.config_version_id::text
         || coalesce(' of ' || ow.code, ' (missing)') as key
       from public.workflow_instances x
       left join public.workspaces w on w.id = x.workspace_id
       left join public.config_versions cv on cv.id = x.config_version_id
       left join public.workspaces ow on ow.id = cv.workspace_id
       where x.workspace_id is not null and x.config_version_id is not null
         and not exists (select from public.config_versions t
                         where t.workspace_id = x.workspace_id and t.id = x.config_version_id)`,
    fix: (codes) =>
      `point these instances${ws(codes)} at a config version of their own workspace (or delete them)`,
  },
  referenceRule({
    guards: "workflow_instances_workflow_template_fkey",
    table: "workflow_instances",
    columns: ["workspace_id", "config_version_id", "workflow_template_id"],
    target: "master_workflow_templates",
    targetColumns: ["workspace_id", "config_version_id", "id"],
    requirement: "workflow_instances.workflow_template_id names a template of the instance's version",
    fix: (codes) => `set workflow_template_id to null on these instances${ws(codes)}`,
  }),
  referenceRule({
    guards: "workflow_instances_site_fkey",
    table: "workflow_instances",
    columns: ["workspace_id", "config_version_id", "site_id"],
    target: "master_sites",
    targetColumns: ["workspace_id", "config_version_id", "id"],
    requirement: "workflow_instances.site_id names a site of the instance's version",
    fix: (codes) => `set site_id to null on these instances${ws(codes)}`,
  }),
  referenceRule({
    guards: "workflow_instances_started_by_fkey",
    table: "workflow_instances",
    columns: ["started_by"],
    target: "users",
    targetColumns: ["id"],
    requirement: "workflow_instances.started_by names an existing user",
    fix: (codes) => `set started_by to null or to an existing user on these instances${ws(codes)}`,
  }),
  referenceRule({
    guards: "workflow_instances_started_by_member_fkey",
    table: "workflow_instances",
    columns: ["workspace_id", "started_by"],
    target: "workspace_members",
    targetColumns: ["workspace_id", "user_id"],
    requirement: "workflow_instances.started_by is a member of the instance's workspace",
    fix: (codes) => `set started_by to null on these instances${ws(codes)}, or add the users as members`,
  }),
  {
    guards: "workflow_stages.workspace_id NOT NULL",
    table: "workflow_stages",
    requirement: "every stage gets a workspace from its instance (the backfill before NOT NULL)",
    unit: "stage",
    sql: (ctx) =>
      `select null::text as workspace, s.id::text || ' -> missing instance ' || s.workflow_instance_id::text as key
       from ${INSTANCE_JOIN}
       where i.id is null${has(ctx, "workflow_stages.workspace_id") ? " and s.workspace_id is null" : ""}`,
    fix: () => "delete these orphaned stages (their instance no longer exists) or restore the instances",
  },
  {
    guards: "workflow_stages_workspace_id_id_key",
    table: "workflow_stages",
    requirement: "(workspace_id, id) is unique in workflow_stages",
    unit: "duplicated key",
    sql: (ctx) => workspaceIdDuplicates("workflow_stages", stageWorkspace(ctx), INSTANCE_JOIN, "s")(ctx),
    fix: (codes) => `remove the duplicated workflow_stages rows${ws(codes)}`,
  },
  {
    guards: "workflow_stages_instance_order_key",
    table: "workflow_stages",
    requirement: "(workflow_instance_id, stage_order) is unique",
    unit: "instance",
    sql: (ctx) =>
      has(ctx, "workflow_stages.stage_order")
        ? `select w.code as workspace, s.workflow_instance_id::text || ' stage_order=' || s.stage_order
             || ': ' || string_agg(s.id::text, ', ' order by s.id::text) as key
           from ${INSTANCE_JOIN} left join public.workspaces w on w.id = ${stageWorkspace(ctx)}
           where s.stage_order is not null
           group by s.workflow_instance_id, s.stage_order, w.code having count(*) > 1`
        : null,
    fix: (codes) => `renumber stage_order within these instances${ws(codes)} so no two stages share one`,
  },
  {
    guards: "workflow_stages_stage_order_check",
    table: "workflow_stages",
    requirement: "stage_order > 0",
    unit: "stage",
    sql: (ctx) =>
      has(ctx, "workflow_stages.stage_order")
        ? `select w.code as workspace, s.id::text || ' stage_order=' || s.stage_order as key
           from ${INSTANCE_JOIN} left join public.workspaces w on w.id = ${stageWorkspace(ctx)}
           where s.stage_order <= 0`
        : null,
    fix: (codes) => `renumber these stages${ws(codes)} from 1`,
  },
  {
    guards: "workflow_stages_status_check",
    table: "workflow_stages",
    requirement: `workflow_stages' status is one of ${STAGE_STATUSES.join(", ")}`,
    unit: "stage",
    sql: (ctx) =>
      `select w.code as workspace, s.id::text || ' ${ctx.stageStatus}=' || s.${ident(ctx.stageStatus)} as key
       from ${INSTANCE_JOIN} left join public.workspaces w on w.id = ${stageWorkspace(ctx)}
       where s.${ident(ctx.stageStatus)} not in (${list(STAGE_STATUSES)})`,
    fix: (codes) =>
      `set these stages' status${ws(codes)} to ${STAGE_STATUSES.join(", ")} (map the legacy values)`,
  },
  {
    guards: "workflow_stages_workspace_id_fkey",
    table: "workflow_stages",
    requirement: "each stage's workspace exists",
    unit: "stage",
    sql: (ctx) =>
      `select null::text as workspace, s.id::text || ' -> workspace ' || ${stageWorkspace(ctx)}::text as key
       from ${INSTANCE_JOIN}
       where ${stageWorkspace(ctx)} is not null
         and not exists (select from public.workspaces t where t.id = ${stageWorkspace(ctx)})`,
    fix: () => "delete these stages or restore their workspaces",
  },
  {
    guards: "workflow_stages_instance_fkey",
    table: "workflow_stages",
    requirement: "each stage belongs to its instance's workspace",
    unit: "stage",
    sql: (ctx) =>
      has(ctx, "workflow_stages.workspace_id")
        ? `select w.code as workspace, s.id::text || ' -> instance ' || s.workflow_instance_id::text as key
           from ${INSTANCE_JOIN} left join public.workspaces w on w.id = s.workspace_id
           where s.workspace_id is not null and i.id is not null and i.workspace_id <> s.workspace_id`
        : null,
    fix: (codes) => `set workspace_id on these stages${ws(codes)} to their instance's workspace`,
  },
  {
    guards: "workflow_stages_stage_template_fkey",
    table: "workflow_stages",
    requirement: "workflow_stages.stage_template_id names a stage template of the stage's workspace",
    unit: "stage",
    sql: (ctx) =>
      has(ctx, "workflow_stages.stage_template_id")
        ? `select null::text as workspace, s.id::text || ' -> stage template ' || s.stage_template_id::text as key
           from ${INSTANCE_JOIN}
           where s.stage_template_id is not null${
             ctx.relations.has("master_stage_templates")
               ? ` and not exists (select from public.master_stage_templates t
                   where t.workspace_id = ${stageWorkspace(ctx)} and t.id = s.stage_template_id)`
               : ""
           }`
        : null,
    fix: () => "set stage_template_id to null on these stages",
  },
];

/** The most sample keys a report shows per rule. */
export const SAMPLE_LIMIT = 10;

export interface PrecheckSample {
  workspace: string | null;
  key: string;
}

export interface PrecheckResult {
  guards: string;
  table: string;
  requirement: string;
  unit: string;
  /** False when no existing row can violate it (column added empty, key already unique). */
  applicable: boolean;
  count: number;
  samples: PrecheckSample[];
  fix: string;
  durationMs: number;
}

/** Wrap a rule's query: the total count and at most SAMPLE_LIMIT rows, in one statement. */
export function countingQuery(sql: string): string {
  return `select count(*) over () as total, q.workspace, q.key from (${sql}) q order by q.workspace nulls last, q.key limit ${SAMPLE_LIMIT}`;
}

/** The fix for a failing rule, naming the sampled workspaces, then what to do next. */
export function fixFor(rule: PrecheckRule, samples: readonly PrecheckSample[]): string {
  const codes = [...new Set(samples.map((s) => s.workspace).filter((c): c is string => !!c))];
  return `${rule.fix(codes)}, then apply again`;
}

export const failing = (results: readonly PrecheckResult[]) => results.filter((r) => r.count > 0);

function sampleText(r: PrecheckResult): string {
  const keys = r.samples.map((s) => (s.workspace ? `${s.workspace}: ${s.key}` : s.key)).join("; ");
  return `${keys}${r.count > r.samples.length ? "; ..." : ""}`;
}

/** One line per failing rule: `rule: count unit(s) (samples); fix: ...`. */
export function formatFailures(results: readonly PrecheckResult[]): string[] {
  return failing(results).map(
    (r) => `${r.guards}: ${r.count} ${r.unit}${r.count === 1 ? "" : "s"} (${sampleText(r)}); fix: ${r.fix}`,
  );
}

/** The refusal as one line: what was found (rule, count, samples) and every fix. */
export function refusal(results: readonly PrecheckResult[]): { reason: string; fix: string } {
  const bad = failing(results);
  const found = bad.map(
    (r) => `${r.guards}: ${r.count} ${r.unit}${r.count === 1 ? "" : "s"} (${sampleText(r)})`,
  );
  return {
    reason: `data pre-check: existing rows violate what the migration adds, nothing was applied: ${found.join(" | ")}`,
    fix: bad.map((r) => r.fix).join("; "),
  };
}

/** A plain-text table of every rule's outcome (rehearse's console when the migration was not applied). */
export function renderPrecheck(results: readonly PrecheckResult[]): string {
  const lines = ["Data pre-check (every constraint the migration adds over existing rows):"];
  for (const r of results) {
    const state = !r.applicable ? "n/a " : r.count === 0 ? "ok  " : "FAIL";
    lines.push(`  ${state} ${r.guards}${r.applicable ? ` (${r.count})` : ""}`);
  }
  lines.push(
    "  (n/a: no existing row can violate it: the migration adds the column empty, or id is already unique)",
  );
  return `${lines.join("\n")}\n`;
}
