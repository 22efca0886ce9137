import { describe, expect, it } from "vitest";
import { MIGRATION_TABLES } from "../migration.js";
import { explain } from "../program/errors.js";
import { targetFromUrl } from "./connection.js";
import { assertUsable, type Preflight } from "./refusals.js";

const target = targetFromUrl("postgresql://app:pw@staging.example.com/apms", {});
const healthy: Preflight = {
  serverVersion: "16.4",
  major: 16,
  pgtapInstalled: false,
  pgtapAvailable: true,
  migrated: true,
  missingTables: [],
  missingPrivileges: [],
  superuser: true,
  tempOk: true,
  appRoleOk: true,
  role: "app",
  readOnly: false,
  inRecovery: false,
};
const refusal = (p: Partial<Preflight>, migrate = false) => {
  try {
    assertUsable({ ...healthy, ...p }, target, migrate);
    return undefined;
  } catch (e) {
    return explain(e);
  }
};

describe("assertUsable: what a staging database must offer before the suite runs", () => {
  it("a migrated primary with pgTAP available is fine (pgTAP gets created inside each rolled-back file)", () => {
    expect(refusal({})).toBeUndefined();
  });

  it("no pgTAP extension files: exit 3 naming the package for the server's major", () => {
    const x = refusal({ pgtapAvailable: false });
    expect(x?.exitCode).toBe(3);
    expect(x?.reason).toMatch(/pgTAP is not available on staging\.example\.com:5432\/apms/);
    expect(x?.fix).toMatch(/postgresql-16-pgtap/);
  });

  it("a standby or a read-only default is refused", () => {
    expect(refusal({ inRecovery: true })?.reason).toMatch(/read-only standby/);
    expect(refusal({ readOnly: true })?.reason).toMatch(/default_transaction_read_only/);
  });

  it("not migrated: refused unless --migrate", () => {
    expect(refusal({ migrated: false, missingTables: ["audit_logs"] })?.reason).toMatch(
      /only partly migrated/,
    );
    const none = refusal({ migrated: false, missingTables: [...MIGRATION_TABLES] });
    expect(none?.reason).toMatch(/is not migrated: 11 of the migration's 11 tables missing/);
    expect(none?.fix).toMatch(/gonogo migrate|--migrate/);
    expect(refusal({ migrated: false, missingTables: [...MIGRATION_TABLES] }, true)).toBeUndefined();
  });

  it("a role without the privileges the suite needs is refused before anything runs", () => {
    const x = refusal({ superuser: false, pgtapInstalled: true, missingPrivileges: ["users: INSERT"] });
    expect(x?.reason).toMatch(/role app lacks privileges/);
    expect(refusal({ superuser: false, pgtapInstalled: false })?.reason).toMatch(/cannot create pgTAP/);
    expect(refusal({ superuser: false, pgtapInstalled: true })).toBeUndefined();
  });
});
