// What names the migration gonogo gates: its id (the folder under db/migrations, Prisma's name for
// it) and its sixteen tables by role, one list for the applier, the URL refusals, the integration
// tests and the benchmarks. The SQL that must name the tables too (the migration, the db/functions
// concern files, the trigger functions' own allow-lists, the suite's helper-functions.psql) is
// proven to agree with these lists by migration.test.ts.

/** The migration's id: its folder under db/migrations, and its name in Prisma's ledger. */
export const MIGRATION = "20251229010228_add_master_tables_final_v2";

/** The five tables every environment has before the migration. */
export const BASELINE_TABLES = [
  "workspaces",
  "users",
  "config_versions",
  "workflow_instances",
  "workflow_stages",
] as const;

/** The master tables loaded from the config workbook: each row belongs to one config version. */
export const MASTER_TABLES = [
  "master_regions",
  "master_sites",
  "master_workflow_templates",
  "master_stage_templates",
  "master_approval_rules",
  "master_checklist_items",
  "master_document_types",
] as const;

/** The eleven tables the migration adds. */
export const MIGRATION_TABLES = [
  "workspace_members",
  ...MASTER_TABLES,
  "workflow_approvals",
  "workflow_stage_documents",
  "audit_logs",
] as const;

/** All sixteen. */
export const ALL_TABLES = [...BASELINE_TABLES, ...MIGRATION_TABLES] as const;

/** Tables whose every row belongs to one workspace (workspace_id + row-level security). */
export const WORKSPACE_SCOPED_TABLES = ALL_TABLES.filter((t) => t !== "workspaces" && t !== "users");

/** Tables whose every insert, update and delete lands in audit_logs. */
export const AUDITED_TABLES = WORKSPACE_SCOPED_TABLES.filter((t) => t !== "audit_logs");

/** Tables under the workspace_isolation policy: the workspace-scoped ones, and workspaces by its id. */
export const WORKSPACE_POLICY_TABLES = ["workspaces", ...WORKSPACE_SCOPED_TABLES];

/** Tables with row-level security enabled: all sixteen (users: no policy, so no row for apms_app). */
export const RLS_TABLES = ALL_TABLES;

/**
 * Tables the application role reads directly, under RLS: the workspace-scoped ones but the
 * memberships (their index on user_id is led by no workspace); users, workspaces and
 * workspace_members it reads through functions (docs/security.md).
 */
export const APP_READ_TABLES = WORKSPACE_SCOPED_TABLES.filter((t) => t !== "workspace_members");

/** Tables the application role appends rows to: a DRAFT config version, its master rows, documents. */
export const APP_INSERT_TABLES = ["config_versions", ...MASTER_TABLES, "workflow_stage_documents"] as const;
