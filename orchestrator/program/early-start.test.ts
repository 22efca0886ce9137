import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { plainVerifyOptions } from "./early-start.js";

describe("plainVerifyOptions: which calls start their cluster before the command line loads", () => {
  const env = { XDG_CACHE_HOME: "/cache" };

  it("`gonogo` and `gonogo verify` with nothing else: baseline uuid, the default cache", () => {
    for (const args of [[], ["verify"]]) {
      expect(plainVerifyOptions(args, env)).toEqual({ baseline: "uuid", cacheDir: join("/cache", "gonogo") });
    }
  });

  it("any option, another command, a DATABASE_URL or the cache turned off: none", () => {
    for (const args of [
      ["verify", "--baseline", "text"],
      ["verify", "--keep"],
      ["mutate"],
      ["--jobs", "2"],
      ["--help"],
    ]) {
      expect(plainVerifyOptions(args, env)).toBeUndefined();
    }
    expect(
      plainVerifyOptions(["verify"], { ...env, DATABASE_URL: "postgresql://app@staging/apms" }),
    ).toBeUndefined();
    expect(plainVerifyOptions(["verify"], { ...env, GONOGO_NO_CACHE: "1" })).toBeUndefined();
  });

  it("an empty DATABASE_URL is no URL, as verify itself reads it", () => {
    expect(plainVerifyOptions(["verify"], { ...env, DATABASE_URL: " " })).toBeDefined();
  });
});
