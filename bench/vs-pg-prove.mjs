// Against pg_prove: the same db/tests files on the same migrated database (fixture-only), gonogo
// (`verify --database-url URL --jobs N`: parse, score, reports included) vs `pg_prove -r db/tests`
// (from the repository root, so .proverc applies), interleaved, wall clock of each process.
import { exec, gonogo, median, pgEnv } from "./lib.mjs";

export async function run(ctx) {
  const { results, log, runs } = ctx;
  const database = "bench_vs_pg_prove";
  await ctx.createMigrated(database);
  const url = ctx.url(database);
  const env = pgEnv(ctx.cluster, database);
  const samples = { g1: [], p1: [], g2: [], p2: [] };
  const notes = new Set();
  const go = async (jobs) => {
    const r = await gonogo(["verify", "--database-url", url, "--jobs", String(jobs), "--format", "json"]);
    notes.add(`gonogo ${r.decision}`);
    return r.wallMs;
  };
  const prove = async (jobs) => {
    const args = ["-d", database, "-r", "db/tests"];
    if (jobs > 1) args.unshift("-j", String(jobs));
    const r = await exec("pg_prove", args, { env });
    notes.add(`pg_prove ${r.code === 0 ? "PASS" : `exit ${r.code}`}`);
    return r.wallMs;
  };
  // warm both paths once (page cache, catalog caches), untimed
  await go(1);
  await prove(1);
  for (let i = 0; i < runs; i++) {
    // alternate who goes first in each pair
    const pairs = [
      [() => go(1), () => prove(1), "g1", "p1"],
      [() => go(2), () => prove(2), "g2", "p2"],
    ];
    for (const [a, b, ka, kb] of pairs) {
      if (i % 2 === 0) {
        samples[ka].push(await a());
        samples[kb].push(await b());
      } else {
        samples[kb].push(await b());
        samples[ka].push(await a());
      }
    }
  }
  const m = Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, median(v)]));
  log(
    `vs-pg-prove: ${Object.entries(samples)
      .map(([k, v]) => `${k} ${v.map(Math.round).join(",")}`)
      .join("; ")} ms`,
  );
  const note = [...notes].join(", ");
  results.add({ bench: "vs pg_prove", metric: "gonogo verify --jobs 1", value: m.g1, unit: "ms", note });
  results.add({ bench: "vs pg_prove", metric: "pg_prove -r db/tests", value: m.p1, unit: "ms" });
  results.add({
    bench: "vs pg_prove",
    metric: "1 job: pg_prove / gonogo",
    value: m.p1 / m.g1,
    unit: "x",
    target: ">= 2x",
    pass: m.p1 / m.g1 >= 2,
  });
  results.add({ bench: "vs pg_prove", metric: "gonogo verify --jobs 2", value: m.g2, unit: "ms" });
  results.add({ bench: "vs pg_prove", metric: "pg_prove -j 2 -r db/tests", value: m.p2, unit: "ms" });
  results.add({
    bench: "vs pg_prove",
    metric: "2 jobs: pg_prove / gonogo",
    value: m.p2 / m.g2,
    unit: "x",
    target: "> 1x",
    pass: m.p2 / m.g2 > 1,
  });
  await ctx.dropDatabase(database);
}
