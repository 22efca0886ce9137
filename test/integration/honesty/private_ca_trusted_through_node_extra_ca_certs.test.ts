// NODE_EXTRA_CA_CERTS keeps its meaning although make and ./gonogo hand it to gonogo as
// GONOGO_EXTRA_CA_CERTS (node would parse it at every start-up): a staging server whose
// certificate a private CA signed is trusted through it over sslmode=verify-full, and refused
// without it. The server here is a local cluster with ssl = on and a certificate for localhost.
import { execFileSync } from "node:child_process";
import { chownSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT } from "../../../orchestrator/apply/sql-files.js";
import {
  type Cluster,
  clusterConnection,
  serverOwner,
  startCluster,
  stopCluster,
} from "../../../orchestrator/cluster/server.js";
import { gonogo } from "../../support/gonogo.js";

let dir: string;
let cluster: Cluster;
let url: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "gonogo-tls-"));
  const ssl = (...args: string[]) => execFileSync("openssl", args, { cwd: dir, stdio: "ignore" });
  ssl(
    "req",
    "-x509",
    "-newkey",
    "rsa:2048",
    "-nodes",
    "-days",
    "2",
    "-subj",
    "/CN=gonogo test CA",
    "-keyout",
    "ca.key",
    "-out",
    "ca.pem",
  );
  ssl(
    "req",
    "-newkey",
    "rsa:2048",
    "-nodes",
    "-subj",
    "/CN=localhost",
    "-keyout",
    "server.key",
    "-out",
    "server.csr",
  );
  execFileSync("sh", ["-c", "printf 'subjectAltName=DNS:localhost\\n' > san.ext"], { cwd: dir });
  ssl(
    "x509",
    "-req",
    "-in",
    "server.csr",
    "-CA",
    "ca.pem",
    "-CAkey",
    "ca.key",
    "-CAcreateserial",
    "-days",
    "2",
    "-extfile",
    "san.ext",
    "-out",
    "server.pem",
  );
  const owner = serverOwner();
  if (owner) for (const f of ["", "server.key", "server.pem"]) chownSync(join(dir, f), owner.uid, owner.gid);
  cluster = await startCluster({
    tcp: true,
    settings: {
      ssl: "on",
      ssl_cert_file: `'${join(dir, "server.pem")}'`,
      ssl_key_file: `'${join(dir, "server.key")}'`,
    },
  });
  const admin = new pg.Client(clusterConnection(cluster, "postgres"));
  await admin.connect();
  await admin.query("create database tls_target");
  await admin.end();
  url = `postgresql://postgres@localhost:${cluster.port}/tls_target?sslmode=verify-full`;
}, 120_000);

afterAll(async () => {
  if (cluster) await stopCluster(cluster);
  rmSync(dir, { recursive: true, force: true });
});

// The target is an empty database: a connection that got through is refused as not migrated.
const connected = /not migrated|no public\.config_versions/;

describe("a private CA named in NODE_EXTRA_CA_CERTS", () => {
  it("is trusted when handed over as GONOGO_EXTRA_CA_CERTS (what make and ./gonogo do)", async () => {
    const r = await gonogo(["verify", "--database-url", url], {
      env: { NODE_EXTRA_CA_CERTS: undefined, GONOGO_EXTRA_CA_CERTS: join(dir, "ca.pem") },
    });
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(connected);
  });

  it("is trusted when node reads it itself", async () => {
    const r = await gonogo(["verify", "--database-url", url], {
      env: { NODE_EXTRA_CA_CERTS: join(dir, "ca.pem"), GONOGO_EXTRA_CA_CERTS: undefined },
    });
    expect(r.stderr).toMatch(connected);
  });

  it("without it, the server's certificate is refused", async () => {
    const r = await gonogo(["verify", "--database-url", url], {
      env: { NODE_EXTRA_CA_CERTS: undefined, GONOGO_EXTRA_CA_CERTS: undefined },
    });
    expect(r.code).toBe(3);
    expect(r.stderr).not.toMatch(connected);
    expect(r.stderr).toMatch(/certificate/i);
  });

  it("./gonogo and make hand NODE_EXTRA_CA_CERTS over: node no longer parses it at start-up", async () => {
    const r = await execa(join(ROOT, "gonogo"), ["verify", "--database-url", url], {
      reject: false,
      env: {
        NODE_EXTRA_CA_CERTS: join(dir, "ca.pem"),
        GONOGO_EXTRA_CA_CERTS: undefined,
        DATABASE_URL: undefined,
      },
      stdin: "ignore",
    });
    expect(r.stderr).toMatch(connected);
    // the environment the CLI's process starts with, by a stand-in for node
    const printenv = join(dir, "printenv.sh");
    execFileSync("sh", ["-c", `printf '#!/bin/sh\\nenv\\n' > ${printenv} && chmod +x ${printenv}`]);
    const env = {
      NODE_EXTRA_CA_CERTS: join(dir, "ca.pem"),
      GONOGO_EXTRA_CA_CERTS: undefined,
      NODE: printenv,
    };
    for (const [cmd, args] of [
      [join(ROOT, "gonogo"), ["verify"]],
      ["make", ["-s", "--no-print-directory", "-C", ROOT, "verify"]],
    ] as const) {
      const seen = await execa(cmd, [...args], { env, reject: false, stdin: "ignore" });
      expect(String(seen.stdout), cmd).toContain(`GONOGO_EXTRA_CA_CERTS=${join(dir, "ca.pem")}`);
      expect(String(seen.stdout), cmd).not.toMatch(/^NODE_EXTRA_CA_CERTS=/m);
    }
  });
});
