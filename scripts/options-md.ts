// Prints the option reference generated from the CLI (`--write`: rewrites docs/options.md
// between <!-- options:start --> and <!-- options:end -->). Run: npx tsx scripts/options-md.ts
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "../orchestrator/apply/sql-files.js";
import { buildProgram } from "../orchestrator/program/cli.js";
import { optionsMarkdown, writeBlock } from "../orchestrator/program/options-md.js";

const text = optionsMarkdown(buildProgram());
if (process.argv.includes("--write")) {
  const page = join(ROOT, "docs", "options.md");
  writeFileSync(page, writeBlock(readFileSync(page, "utf8"), text));
} else process.stdout.write(text);
