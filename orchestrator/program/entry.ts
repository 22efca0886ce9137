#!/usr/bin/env node
// The program (bundled as dist/orchestrator/cli.js): a plain `gonogo verify` starts its cached
// cluster first (early-start.ts), then the command line loads and runs (cli.ts).
import { startEarly } from "./early-start.js";

try {
  startEarly(process.argv.slice(2));
} catch {
  // only a head start: the command line starts the cluster itself and reports what goes wrong
}
const { runAsProgram } = await import("./cli.js");
await runAsProgram();
