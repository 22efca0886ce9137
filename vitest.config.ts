// Two projects: unit tests (pure, no database) beside the code, integration tests against a real
// local PostgreSQL cluster that test/support/global-setup.ts starts once per run.
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: "unit",
          include: ["orchestrator/**/*.test.ts"],
          // Projects with different maxWorkers need distinct group orders: unit first.
          sequence: { groupOrder: 0 },
        },
      },
      {
        test: {
          name: "integration",
          include: ["test/integration/**/*.test.ts"],
          globalSetup: ["test/support/global-setup.ts"],
          testTimeout: 120_000,
          hookTimeout: 180_000,
          // Two cores: each file gets its own database cloned from the migrated template.
          maxWorkers: 2,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
