// Pure: JUnit XML for CI dashboards: one <testsuite> per test file, one <testcase> per assertion;
// failures carry pgTAP's diagnostics; a SQL error is an <error>, a short plan, bail out, SKIP or
// TODO standing in for evidence is an extra failing case named `(file) ...`.
import type { FileResult } from "../suite/tap-results.js";
import type { VerdictReport } from "./json.js";

export function xmlEscape(s: string): string {
  return (
    s
      // biome-ignore lint/suspicious/noControlCharactersInRegex: XML 1.0 forbids them even escaped
      .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, "")
      .replace(/&/g, "&amp;")
      .replace(/</g, "&lt;")
      .replace(/>/g, "&gt;")
      .replace(/"/g, "&quot;")
      .replace(/'/g, "&apos;")
  );
}

const attrs = (o: Record<string, string | number>) =>
  Object.entries(o)
    .map(([k, v]) => ` ${k}="${xmlEscape(String(v))}"`)
    .join("");

const secs = (ms: number) => (ms / 1000).toFixed(3);

type Kind = "pass" | "failure" | "error" | "skipped";
interface Case {
  name: string;
  kind: Kind;
  message: string;
  type: string;
  body: string;
}

/** Every testcase of one file, in order: its assertions, then file-level problems. */
export function casesOf(f: FileResult): Case[] {
  const cases: Case[] = f.assertions.map((a) => {
    const name = `${a.id} - ${a.description}`;
    if (a.skip !== false) return { name, kind: "skipped", message: `SKIP ${a.skip}`, type: "", body: "" };
    if (a.todo !== false) return { name, kind: "skipped", message: `TODO ${a.todo}`, type: "", body: "" };
    if (!a.ok)
      return { name, kind: "failure", message: a.description, type: "pgtap.assertion", body: a.diagnostics };
    return { name, kind: "pass", message: "", type: "", body: "" };
  });
  let errorShown = false;
  for (const p of f.failures.filter((x) => x.test === null)) {
    const isError: boolean = !!f.error && !errorShown;
    errorShown ||= isError;
    cases.push({
      name: `(file) ${p.description}`,
      kind: isError ? "error" : "failure",
      message: p.description,
      type: isError ? "sql.error" : "tap.file",
      body: p.diagnostics,
    });
  }
  return cases;
}

function suite(f: FileResult, checkTitle: string | undefined): string {
  const classname = `${f.check ?? "UNMAPPED"}.${f.path.replace(/\.test\.sql$/, "").replace(/[/\\]/g, ".")}`;
  const cases = casesOf(f);
  const count = (k: Kind) => cases.filter((c) => c.kind === k).length;
  const lines = [
    `  <testsuite${attrs({
      name: f.path,
      tests: cases.length,
      failures: count("failure"),
      errors: count("error"),
      skipped: count("skipped"),
      time: secs(f.durationMs),
    })}>`,
    `    <properties><property${attrs({ name: "check", value: f.check ?? "" })}/><property${attrs({
      name: "checkTitle",
      value: checkTitle ?? "",
    })}/></properties>`,
  ];
  for (const c of cases) {
    const open = `    <testcase${attrs({ classname, name: c.name, time: "0" })}`;
    if (c.kind === "pass") lines.push(`${open}/>`);
    else if (c.kind === "skipped")
      lines.push(`${open}><skipped${attrs({ message: c.message })}/></testcase>`);
    else {
      lines.push(
        `${open}><${c.kind}${attrs({ message: c.message, type: c.type })}>${xmlEscape(c.body)}</${c.kind}></testcase>`,
      );
    }
  }
  lines.push("  </testsuite>");
  return lines.join("\n");
}

export function renderJunit(report: VerdictReport, files: readonly FileResult[]): string {
  const title = new Map(report.checks.map((c) => [c.id, c.title]));
  const all = files.flatMap(casesOf);
  const count = (k: Kind) => all.filter((c) => c.kind === k).length;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites${attrs({
      name: `gonogo ${report.migration}: ${report.decision} ${report.score.passed}/${report.score.total}`,
      tests: all.length,
      failures: count("failure"),
      errors: count("error"),
      skipped: count("skipped"),
      time: secs(report.timings.runMs ?? 0),
    })}>`,
    ...files.map((f) => suite(f, f.check ? title.get(f.check) : undefined)),
    "</testsuites>",
    "",
  ].join("\n");
}
