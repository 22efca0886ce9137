// junit.xml (renderJunit), read back by a JUnit reader: one testsuite per file, one testcase per
// assertion, pgTAP's diagnostics in <failure>, a SQL error as <error>, XML escaping.
import { XMLParser } from "fast-xml-parser";
import { describe, expect, it } from "vitest";
import { goFiles, noGoFiles, sampleFiles, sampleReport } from "../../test/support/samples.js";
import { renderJunit } from "./junit.js";

const go = goFiles();
const noGo = noGoFiles();

describe("JUnit", () => {
  const xml = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: "",
    isArray: (n) => n === "testsuite" || n === "testcase",
  });

  it("is read back by a JUnit reader: one testsuite per file, one testcase per assertion", () => {
    const doc = xml.parse(renderJunit(sampleReport(go), go));
    const suites = doc.testsuites.testsuite;
    expect(suites).toHaveLength(15);
    expect(suites[0].name).toBe("db/tests/s0_sample/behaviour.test.sql");
    expect(suites[0].testcase).toHaveLength(2);
    expect(doc.testsuites.tests).toBe("30");
    expect(doc.testsuites.failures).toBe("0");
  });

  it("failures carry pgTAP's diagnostics; a SQL error is an <error>", () => {
    const doc = xml.parse(renderJunit(sampleReport(noGo), noGo));
    const byName = new Map(doc.testsuites.testsuite.map((s: { name: string }) => [s.name, s]));
    const c3 = byName.get("db/tests/c3_sample/behaviour.test.sql") as {
      failures: string;
      testcase: Array<{ name: string; failure?: { message: string; "#text": string } }>;
    };
    expect(c3.failures).toBe("1");
    const failed = c3.testcase.find((t) => t.failure);
    expect(failed?.name).toBe("2 - ACTIVE config cannot be deleted");
    expect(failed?.failure?.["#text"]).toContain("wanted: ZA001");
    const e2 = byName.get("db/tests/e2_sample/behaviour.test.sql") as {
      errors: string;
      testcase: Array<{ error?: { message: string; "#text": string } }>;
    };
    expect(e2.errors).toBe("1");
    expect(e2.testcase.find((t) => t.error)?.error?.["#text"]).toContain("SQLSTATE 42P01");
    expect(doc.testsuites.errors).toBe("1");
  });

  it("escapes what XML cannot hold", () => {
    const files = sampleFiles(["C1"]);
    const c1 = files.find((f) => f.check === "C1");
    if (c1?.assertions[1]) c1.assertions[1].diagnostics = `have: <a & "b">\u0001`;
    const text = renderJunit(sampleReport(files), files);
    expect(text).toContain("have: &lt;a &amp; &quot;b&quot;&gt;");
    expect(() => xml.parse(text)).not.toThrow();
  });
});
