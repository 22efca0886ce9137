// Activation race: S sessions x R rounds. Each round inserts S DRAFT versions of one workspace,
// then every session activates its own version at the same moment through
// public.activate_config_version. After every round exactly one version of the workspace may be
// ACTIVE (the other S-1 of the round SUPERSEDED), and no session may get an error.
import pg from "pg";

export async function run(ctx) {
  const { results, log, quick } = ctx;
  const sessions = quick ? 2 : 16;
  const rounds = quick ? 3 : 100;
  const database = "bench_activation_race";
  await ctx.createMigrated(database);
  const conn = ctx.connection(database);

  const admin = new pg.Client(conn);
  await admin.connect();
  const clients = [];
  let errors = 0;
  const errorSamples = [];
  let badRounds = 0;
  let activateMs = 0;
  try {
    // a workspace of its own, with a member to author the versions
    const ws = (
      await admin.query(
        `insert into public.workspaces (code, name) values ('BENCH-RACE', 'activation race') returning id`,
      )
    ).rows[0].id;
    for (let i = 0; i < sessions; i++) {
      const c = new pg.Client({ ...conn, application_name: `bench-race-${i}` });
      c.on("error", () => undefined);
      await c.connect();
      clients.push(c);
    }
    for (let round = 0; round < rounds; round++) {
      const { rows } = await admin.query(
        `insert into public.config_versions (workspace_id, status, source_file_name)
         select $1, 'DRAFT', 'race_' || $2::int || '_' || n || '.xlsx' from generate_series(1, $3::int) n
         returning id`,
        [ws, round, sessions],
      );
      const started = performance.now();
      const outcomes = await Promise.allSettled(
        clients.map((c, i) => c.query("select public.activate_config_version($1)", [rows[i].id])),
      );
      activateMs += performance.now() - started;
      for (const o of outcomes) {
        if (o.status === "rejected") {
          errors++;
          if (errorSamples.length < 3) errorSamples.push(`${o.reason.code ?? ""} ${o.reason.message}`);
        }
      }
      const check = await admin.query(
        `select count(*) filter (where status = 'ACTIVE')::int as active,
                count(*) filter (where status = 'SUPERSEDED' and id = any($2))::int as superseded_this_round
         from public.config_versions where workspace_id = $1`,
        [ws, rows.map((r) => r.id)],
      );
      const { active, superseded_this_round } = check.rows[0];
      if (active !== 1 || superseded_this_round !== sessions - 1) badRounds++;
    }
  } finally {
    await Promise.all(clients.map((c) => c.end().catch(() => undefined)));
    await admin.end();
  }
  const activations = sessions * rounds;
  const perSecond = activations / (activateMs / 1000);
  log(
    `activation-race: ${sessions} sessions x ${rounds} rounds, ${errors} errors, ${badRounds} bad rounds, ${perSecond.toFixed(0)}/s` +
      (errorSamples.length ? `; e.g. ${errorSamples.join(" | ")}` : ""),
  );
  results.add({
    bench: "activation race",
    metric: `${sessions} sessions x ${rounds} rounds: rounds not ending with exactly one ACTIVE`,
    value: badRounds,
    target: "0",
    pass: badRounds === 0,
  });
  results.add({
    bench: "activation race",
    metric: "errors",
    value: errors,
    target: "0",
    pass: errors === 0,
    note: errorSamples.join(" | "),
  });
  results.add({ bench: "activation race", metric: "activations per second", value: perSecond, unit: "/s" });
  await ctx.dropDatabase(database);
}
