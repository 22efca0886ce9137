// An application workload on the dev fixtures' workspace TEST-WS, as the application role apms_app
// does it: two writers that start site-acceptance workflows and approve their three stages through
// public.start_workflow_instance / public.decide_stage, a reader of the workspace's workflows and
// audit trail, a watcher that must never see a row of gonogo's (uncommitted) fixtures, and one
// session idle in transaction on config_versions. Every committed transaction's xid is recorded,
// so a test can tell the workload's rows from anything else.
import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import pg from "pg";
import { actAs, type ContextKey, readContextKey } from "./context.js";

export interface WorkloadReport {
  /** Errors any workload session got (none may come from a verify run). */
  errors: string[];
  /** xids (32-bit, as xmin shows them) of the workload's committed transactions. */
  xids: string[];
  started: number;
  approvals: number;
  reads: number;
  /** Rows of gonogo's fixtures the watcher saw (must stay 0: they are never committed). */
  suiteRowsSeen: number;
  /** The slowest statement or transaction of the writers and the reader, in ms. */
  worstMs: number;
}

export interface WorkloadOptions {
  /** The idle-in-transaction session commits once this resolves (default: after 2 s). */
  idleUntil?: () => Promise<unknown>;
}

const XID = "select (txid_current() % 4294967296)::text as xid";

export async function startWorkload(
  config: pg.ClientConfig,
  opts: WorkloadOptions = {},
): Promise<{ stop: () => Promise<WorkloadReport> }> {
  const report: WorkloadReport = {
    errors: [],
    xids: [],
    started: 0,
    approvals: 0,
    reads: 0,
    suiteRowsSeen: 0,
    worstMs: 0,
  };
  const clients: pg.Client[] = [];
  // the application's key and workspace, read once as the owner: the sessions sign their context
  const setup = new pg.Client(config);
  await setup.connect();
  let key: ContextKey;
  let workspaceId: string;
  try {
    key = await readContextKey(setup);
    workspaceId = (await setup.query("select id::text from public.workspaces where code = 'TEST-WS'")).rows[0]
      .id;
  } finally {
    await setup.end();
  }
  const open = async (name: string, asApp: boolean) => {
    const c = new pg.Client({ ...config, application_name: name });
    c.on("error", (e) => report.errors.push(`${name}: ${e.message}`));
    await c.connect();
    clients.push(c);
    if (asApp) {
      await actAs(c, key, workspaceId, "test-operator");
      await c.query("set role apms_app");
    }
    return c;
  };
  let running = true;
  const timed = async <T>(name: string, work: () => Promise<T>, measured = true): Promise<T | undefined> => {
    const t0 = performance.now();
    try {
      return await work();
    } catch (e) {
      report.errors.push(`${name}: ${(e as pg.DatabaseError).code ?? ""} ${(e as Error).message}`);
      return undefined;
    } finally {
      if (measured) report.worstMs = Math.max(report.worstMs, performance.now() - t0);
    }
  };
  /** One committed transaction of the application, its xid recorded. */
  const transaction = (c: pg.Client, name: string, work: () => Promise<void>, measured = true) =>
    timed(
      name,
      async () => {
        await c.query("begin");
        try {
          const { rows } = await c.query(XID);
          await work();
          await c.query("commit");
          report.xids.push(rows[0].xid);
        } catch (e) {
          await c.query("rollback").catch(() => undefined);
          throw e;
        }
      },
      measured,
    );

  const writer = async (i: number) => {
    const c = await open(`apms-app-writer-${i}`, true);
    const sites = ["JKT-001", "BKS-014", "BDG-007"];
    for (let n = 0; running; n++) {
      let instance: string | undefined;
      await transaction(c, `writer ${i} start`, async () => {
        const { rows } = await c.query(
          "select public.start_workflow_instance($2, 'SITE-ACCEPTANCE', $1, 'test-operator') as id",
          [sites[n % sites.length], workspaceId],
        );
        instance = rows[0].id;
      });
      if (instance === undefined) continue;
      report.started++;
      // INSTALLATION is approved by the vendor's PM, the two reviews by the operator
      for (const [order, approver] of [
        [1, "test-vendor-pm"],
        [2, "test-operator"],
        [3, "test-operator"],
      ] as const) {
        await sleep(10);
        await transaction(c, `writer ${i} approve`, async () => {
          // the approver is the user of this transaction's signed context (decide_stage checks it)
          await actAs(c, key, workspaceId, approver, true);
          await c.query(
            `select public.decide_stage(s.id, $3, 'APPROVED')
             from public.workflow_stages s where s.workflow_instance_id = $1 and s.stage_order = $2`,
            [instance, order, approver],
          );
          report.approvals++;
        });
      }
      await sleep(20);
    }
  };
  const reader = async () => {
    const c = await open("apms-app-reader", true);
    while (running) {
      await timed("reader", () =>
        c.query(`select i.id, s.stage_order, s.name, cv.source_file_name
                 from public.workflow_instances i
                 join public.workflow_stages s on s.workflow_instance_id = i.id
                 join public.config_versions cv on cv.id = i.config_version_id
                 order by i.created_at desc limit 20`),
      );
      await timed("reader", () => c.query("select count(*) from public.audit_logs"));
      report.reads += 2;
      await sleep(15);
    }
  };
  const watcher = async () => {
    const c = await open("apms-app-watcher", false);
    while (running) {
      const r = await timed("watcher", () =>
        c.query(`select (select count(*) from public.workspaces where code like 'GNT-%')
                      + (select count(*) from public.users where id like 'gn-user-%') as n`),
      );
      report.suiteRowsSeen += Number(r?.rows[0]?.n ?? 0);
      await sleep(25);
    }
  };
  const idle = async () => {
    const c = await open("apms-app-idle", true);
    await transaction(
      c,
      "idle in transaction",
      async () => {
        await c.query("select count(*) from public.config_versions");
        await (opts.idleUntil ? opts.idleUntil() : sleep(2000));
      },
      false,
    );
  };
  const sessions = [writer(1), writer(2), reader(), watcher(), idle()].map((p) =>
    p.catch((e) => {
      report.errors.push(`session: ${(e as Error).message}`);
    }),
  );
  return {
    async stop() {
      running = false;
      await Promise.all(sessions);
      await Promise.all(clients.map((c) => c.end().catch(() => undefined)));
      return report;
    },
  };
}
