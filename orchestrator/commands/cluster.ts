// `gonogo cluster up|down`: their options, then the engine, clusterUp() / clusterDown() in
// cluster/kept.ts (a cluster prepared as verify prepares it, kept running until `down`).
import type { Command } from "commander";
import { DEFAULT_BASELINE } from "../apply/sql-files.js";
import type { ExplainContext } from "../program/errors.js";
import { cacheDirFrom, cacheOptions } from "../program/options.js";

export function clusterCommand(program: Command, context: ExplainContext): void {
  const cluster = program
    .command("cluster")
    .description("a local cluster that outlives one run")
    .hook("preSubcommand", (_, sub) => {
      context.command = `cluster ${sub.name()}`;
    });
  cacheOptions(
    cluster
      .command("up")
      .description(
        "start a cluster prepared as verify prepares it; prints DATABASE_URL on the last line. Refused while one is up: it names that cluster's URL; stop it first with `gonogo cluster down`",
      )
      .option("--baseline <name>", "pre-existing schema to load (uuid, text)", DEFAULT_BASELINE)
      .option("--tcp", "listen on 127.0.0.1 as well as the unix socket"),
  ).action(async (o) => {
    const { clusterUp } = await import("../cluster/kept.js");
    await clusterUp({ baseline: o.baseline, tcp: o.tcp, cacheDir: cacheDirFrom(o) });
  });
  cluster
    .command("down")
    .description("stop and remove the cluster started by `cluster up` (or `verify --keep`)")
    .action(async () => {
      const { clusterDown } = await import("../cluster/kept.js");
      await clusterDown();
    });
}
