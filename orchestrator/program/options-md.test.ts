// One source for the option text: docs/options.md's block is what the CLI generates, --help shows
// the timeout defaults and the duration format, and says that no command means verify.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "../apply/sql-files.js";
import { buildProgram } from "./cli.js";
import { END, optionsMarkdown, readBlock, START } from "./options-md.js";

function helpOf(...path: string[]): string {
  let cmd = buildProgram();
  for (const name of path) {
    const sub = cmd.commands.find((c) => c.name() === name);
    if (!sub) throw new Error(`no command ${name}`);
    cmd = sub;
  }
  return cmd.helpInformation();
}

describe("docs/options.md options block", () => {
  it("equals the text generated from the CLI (run `npm run docs:options` after changing an option)", () => {
    const page = readFileSync(join(ROOT, "docs", "options.md"), "utf8");
    const block = readBlock(page);
    expect(
      block,
      `docs/options.md needs the markers ${START} and ${END} around the options list; fill it with \`npm run docs:options\``,
    ).toBeDefined();
    expect(block).toBe(optionsMarkdown(buildProgram()));
  });

  it("lists every command that does something, with every option of it", () => {
    const md = optionsMarkdown(buildProgram());
    const commands = ["verify", "migrate", "mutate", "rehearse", "cluster up", "cluster down"];
    for (const c of commands) expect(md).toContain(`gonogo ${c}`);
    expect(md).toMatch(/`--tcp` \| listen on 127\.0\.0\.1/); // cluster up --tcp
    expect(md.match(/--lock-timeout <duration>/g)).toHaveLength(4); // verify, migrate, mutate, rehearse
    expect(md).toContain("`--tap-version <n>`");
  });
});

describe("--help", () => {
  it("gives the timeout defaults (3s/60s/60s) and the duration format", () => {
    for (const cmd of ["verify", "migrate"]) {
      const text = helpOf(cmd).replace(/\s+/g, " ");
      expect(text).toMatch(/--lock-timeout <duration> .*default 3s/);
      expect(text).toMatch(/--statement-timeout <duration> .*default 60s/);
      expect(text).toMatch(/--idle-timeout <duration> .*default 60s/);
      expect(text).toContain("500ms, 3s, 2min, 1h");
    }
  });

  it("says that gonogo with no command runs verify", () => {
    const program = buildProgram();
    let out = "";
    program.configureOutput({ writeOut: (s) => (out += s) });
    program.outputHelp();
    expect(out).toContain("With no command, gonogo runs verify");
  });

  it("cluster up says what happens when a cluster is already up", () => {
    expect(helpOf("cluster", "up").replace(/\s+/g, " ")).toMatch(
      /Refused while one is up.*gonogo cluster down/,
    );
  });
});
