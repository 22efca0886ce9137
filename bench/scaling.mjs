// Parallel scaling: `verify --database-url URL --jobs 1` vs `--jobs 2` on the same database,
// interleaved. The target is on the suite phase (verdict.json timings); the wall clock of the
// whole process (node start, connect, reports) is shown beside it.
import { gonogo, median } from "./lib.mjs";

export async function run(ctx) {
  const { results, log, runs } = ctx;
  const database = "bench_scaling";
  await ctx.createMigrated(database);
  const url = ctx.url(database);
  const wall = { 1: [], 2: [] };
  const suite = { 1: [], 2: [] };
  const verify = async (jobs) => {
    const r = await gonogo(["verify", "--database-url", url, "--jobs", String(jobs), "--format", "json"]);
    wall[jobs].push(r.wallMs);
    if (r.timings.run !== undefined) suite[jobs].push(r.timings.run);
  };
  await verify(2); // warm-up, discarded
  wall[2].length = 0;
  suite[2].length = 0;
  for (let i = 0; i < runs; i++) {
    for (const jobs of i % 2 === 0 ? [1, 2] : [2, 1]) await verify(jobs);
  }
  log(
    `scaling: wall j1 ${wall[1].map(Math.round).join(",")} j2 ${wall[2].map(Math.round).join(",")} ms; suite j1 ${suite[1].map(Math.round).join(",")} j2 ${suite[2].map(Math.round).join(",")} ms`,
  );
  const haveSuite = suite[1].length > 0 && suite[2].length > 0;
  const s1 = haveSuite ? median(suite[1]) : median(wall[1]);
  const s2 = haveSuite ? median(suite[2]) : median(wall[2]);
  const what = haveSuite ? "suite phase" : "wall";
  results.add({ bench: "parallel scaling", metric: `${what}, --jobs 1`, value: s1, unit: "ms" });
  results.add({ bench: "parallel scaling", metric: `${what}, --jobs 2`, value: s2, unit: "ms" });
  results.add({
    bench: "parallel scaling",
    metric: `${what} speed-up --jobs 2 vs 1`,
    value: s1 / s2,
    unit: "x",
    target: ">= 1.6x",
    pass: s1 / s2 >= 1.6,
  });
  if (haveSuite) {
    results.add({
      bench: "parallel scaling",
      metric: "wall speed-up --jobs 2 vs 1 (whole process)",
      value: median(wall[1]) / median(wall[2]),
      unit: "x",
    });
  }
  await ctx.dropDatabase(database);
}
