import pg from "pg";
import { describe, expect, it } from "vitest";
import {
  APPLICATION_NAME,
  BadArgument,
  clientConfig,
  DEFAULT_SESSION,
  databaseUrlFrom,
  parseDuration,
  redact,
  sessionSettings,
  splitPassword,
  targetFromUrl,
  urlForDatabase,
} from "./connection.js";

describe("parseDuration", () => {
  it.each([
    ["3s", 3000],
    ["500ms", 500],
    ["2min", 120_000],
    ["1h", 3_600_000],
    ["250", 250],
    ["1.5s", 1500],
  ])("%s = %d ms", (text, ms) => expect(parseDuration(text)).toBe(ms));
  it("rejects nonsense", () => expect(() => parseDuration("soon")).toThrow(BadArgument));
});

describe("sessionSettings", () => {
  it("defaults: lock 3s, statement 60s, idle in transaction 60s, retry budget 30s", () => {
    expect(sessionSettings({}, {})).toEqual(DEFAULT_SESSION);
    expect(DEFAULT_SESSION).toEqual({
      lockTimeoutMs: 3000,
      statementTimeoutMs: 60000,
      idleInTransactionTimeoutMs: 60000,
      retryBudgetMs: 30000,
    });
  });
  it("flags beat GONOGO_* variables", () => {
    const s = sessionSettings(
      { lockTimeout: "1s" },
      { GONOGO_LOCK_TIMEOUT: "9s", GONOGO_STATEMENT_TIMEOUT: "2min", GONOGO_RETRY_BUDGET: "2min" },
    );
    expect(s).toEqual({
      lockTimeoutMs: 1000,
      statementTimeoutMs: 120000,
      idleInTransactionTimeoutMs: 60000,
      retryBudgetMs: 120000,
    });
  });
  it("every connection carries application_name and the three timeouts", () => {
    const c = clientConfig({ connectionString: "postgresql://u@h/d" }, DEFAULT_SESSION);
    expect(c).toMatchObject({
      application_name: APPLICATION_NAME,
      lock_timeout: 3000,
      statement_timeout: 60000,
      idle_in_transaction_session_timeout: 60000,
    });
  });
});

describe("targets", () => {
  it("shows host:port/database and never the password", () => {
    const t = targetFromUrl("postgresql://app:s3cr%40t@db.example.com:6543/apms?sslmode=require", {});
    expect(t.display).toBe("db.example.com:6543/apms");
    expect(t.user).toBe("app");
    expect(t.secrets).toEqual(["s3cr@t"]);
    expect(`${t.display} ${t.host} ${t.user} ${t.database}`).not.toContain("s3cr");
  });
  it("fills missing parts from PG* variables like libpq", () => {
    const t = targetFromUrl("postgresql:///", {
      PGHOST: "pg.internal",
      PGPORT: "5433",
      PGDATABASE: "stage",
      PGUSER: "me",
    });
    expect(t.display).toBe("pg.internal:5433/stage");
  });
  it("unix sockets via ?host=", () => {
    expect(targetFromUrl("postgresql://postgres@/gonogo?host=%2Ftmp%2Fx&port=5432", {}).display).toBe(
      "[/tmp/x]:5432/gonogo",
    );
  });
  it("IPv6 is shown as node-pg connects to it; host lists, which node-pg cannot use, are refused", () => {
    expect(targetFromUrl("postgresql://u@[::1]:5433/d", {}).display).toBe("::1:5433/d");
    expect(() => targetFromUrl("postgresql://u@h1:5432,h2:5433/d", {})).toThrow(BadArgument);
    expect(() => targetFromUrl("postgresql://u@h1,h2/d", {})).toThrow(/several hosts/);
  });
  it("parses as node-pg does: the shown target is the connected one", () => {
    const url = "postgresql://app@db.example.com:6543/apms?host=ignored.example";
    const t = targetFromUrl(url, {});
    const conn = new pg.Client(clientConfig(t.config, DEFAULT_SESSION)) as unknown as {
      host: string;
      port: number;
      database: string;
    };
    expect(t.display).toBe(`${conn.host}:${conn.port}/${conn.database}`);
  });
  it("rejects what is not a postgres URL", () => {
    expect(() => targetFromUrl("mysql://x", {})).toThrow(BadArgument);
  });
  it("DATABASE_URL is used when no flag is given; blank means none", () => {
    expect(databaseUrlFrom(undefined, { DATABASE_URL: "postgresql://h/d" })).toBe("postgresql://h/d");
    expect(databaseUrlFrom("postgresql://f/d", { DATABASE_URL: "postgresql://h/d" })).toBe(
      "postgresql://f/d",
    );
    expect(databaseUrlFrom(undefined, { DATABASE_URL: " " })).toBeUndefined();
  });
});

describe("redact", () => {
  it("scrubs URL passwords, password= parameters and known secrets", () => {
    expect(redact("postgresql://u:hunter2@h/d and postgres://x:y@z")).toBe(
      "postgresql://u:***@h/d and postgres://x:***@z",
    );
    expect(redact("postgresql://u@h/d?password=hunter2&sslmode=require")).toBe(
      "postgresql://u@h/d?password=***&sslmode=require",
    );
    expect(redact("auth failed with hunter2", ["hunter2"])).toBe("auth failed with ***");
  });
});

describe("urlForDatabase", () => {
  it("points the same URL at another database, dropping dbname=", () => {
    expect(urlForDatabase("postgresql://u:p@h:5433/apms?sslmode=require&dbname=x", "gonogo_m_1")).toBe(
      "postgresql://u:p@h:5433/gonogo_m_1?sslmode=require",
    );
    expect(
      targetFromUrl(urlForDatabase("postgresql://u@/apms?host=%2Ftmp%2Fs&port=5432", "c")).database,
    ).toBe("c");
    expect(targetFromUrl(urlForDatabase("postgres://u@h", "c")).host).toBe("h");
  });
});

describe("splitPassword: child processes get the password in PGPASSWORD, not in argv", () => {
  it.each([
    ["postgresql://u:s%40cret@db.example:5432/app", "postgresql://u@db.example:5432/app", "s@cret"],
    ["postgres://u:pa:ss@h/d?sslmode=require", "postgres://u@h/d?sslmode=require", "pa:ss"],
    ["postgresql://u@h/d?password=x&sslmode=require", "postgresql://u@h/d?sslmode=require", "x"],
    ["postgresql://u@h/d?sslmode=require&password=x", "postgresql://u@h/d?sslmode=require", "x"],
    ["postgresql:///d?host=/tmp&password=p%26q&port=5", "postgresql:///d?host=/tmp&port=5", "p&q"],
  ])("%s", (url, stripped, password) => {
    expect(splitPassword(url)).toEqual({ url: stripped, password });
  });

  it.each(["postgresql://h:5432/d", "postgresql://u@h:5432/d", "postgresql:///d?host=/tmp"])(
    "no password: %s unchanged",
    (url) => {
      expect(splitPassword(url)).toEqual({ url });
    },
  );
});
