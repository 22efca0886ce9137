// Prints the README's option reference generated from the CLI (`--write`: rewrites README.md
// between <!-- options:start --> and <!-- options:end -->). Run: npx tsx scripts/options-md.ts
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { buildProgram } from "../orchestrator/cli.js";
import { optionsMarkdown, writeBlock } from "../orchestrator/options-md.js";
import { ROOT } from "../orchestrator/sql-files.js";

const text = optionsMarkdown(buildProgram());
if (process.argv.includes("--write")) {
  const readme = join(ROOT, "README.md");
  writeFileSync(readme, writeBlock(readFileSync(readme, "utf8"), text));
} else process.stdout.write(text);
