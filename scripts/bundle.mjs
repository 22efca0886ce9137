// The CLI as one ES module plus lazily loaded chunks (one per command), after tsc has compiled
// dist/: node resolves, reads and compiles ~40 modules and their dependencies' files on every run
// otherwise, ~110 ms of a cached `gonogo verify` (bench/README.md, "Cold and warm verify").
// dist/orchestrator/cli.js is replaced by the bundle; the other compiled modules stay for the
// benchmarks and scripts that import them. `npm run build` runs this after tsc.
import { rmSync } from "node:fs";
import { build } from "esbuild";

rmSync("dist/orchestrator/chunks", { recursive: true, force: true });
await build({
  // entry.ts becomes dist/orchestrator/cli.js, the program's path (Makefile, ./gonogo, npm's bin)
  entryPoints: [{ in: "orchestrator/program/entry.ts", out: "cli" }],
  outdir: "dist/orchestrator",
  chunkNames: "chunks/[name]-[hash]",
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  sourcemap: "linked",
  allowOverwrite: true,
  logLevel: "warning",
  // node-postgres asks whether it runs in a Cloudflare worker: with no `navigator` (Node 20) it
  // builds a fetch Response, which loads node's undici (~15 ms). Nothing else here reads navigator.
  define: { navigator: JSON.stringify({ userAgent: "Node.js" }) },
  // node-postgres and tap-parser's yaml are CommonJS: their require() calls need one in an ES module
  banner: {
    js: "import { createRequire as __gonogoRequire } from 'node:module'; const require = __gonogoRequire(import.meta.url);",
  },
});
