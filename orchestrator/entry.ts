#!/usr/bin/env node
// The program (bundled as dist/orchestrator/cli.js): a plain `gonogo verify` starts its cached
// cluster first (early-start.ts), then the command line loads and runs (cli.ts).
import { startEarly } from "./early-start.js";

startEarly(process.argv.slice(2));
const { runAsProgram } = await import("./cli.js");
await runAsProgram();
