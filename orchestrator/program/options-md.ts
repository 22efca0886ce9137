// Pure: the option reference (docs/options.md), generated from the commander program itself, so
// --help and the page cannot drift (options-md.test.ts compares the page's block with this text;
// `npm run docs:options` rewrites the block between the markers).
import type { Command, Option } from "commander";

export const START = "<!-- options:start -->";
export const END = "<!-- options:end -->";

const cell = (s: string) => s.replace(/([|*])/g, "\\$1").replace(/\s*\n\s*/g, " ");

/** Commands that do something (leaves), with their full name: `verify`, `cluster up`. */
function leaves(cmd: Command, prefix: string[] = []): Array<{ name: string; cmd: Command }> {
  const subs = cmd.commands.filter((c) => c.name() !== "help");
  if (subs.length === 0) return [{ name: prefix.join(" "), cmd }];
  return subs.flatMap((c) => leaves(c, [...prefix, c.name()]));
}

function isHelpOrVersion(o: Option): boolean {
  return o.long === "--help" || o.long === "--version";
}

/** Markdown: per command its usage, its description, and a table of its options. */
export function optionsMarkdown(program: Command): string {
  const out: string[] = [];
  for (const { name, cmd } of leaves(program)) {
    const help = cmd.createHelp();
    const options = help.visibleOptions(cmd).filter((o) => !isHelpOrVersion(o));
    out.push(`#### \`${program.name()} ${name}${options.length > 0 ? " [options]" : ""}\``, "");
    out.push(cell(help.commandDescription(cmd)), "");
    if (options.length === 0) continue;
    out.push("| option | meaning |", "|---|---|");
    for (const o of options) out.push(`| \`${help.optionTerm(o)}\` | ${cell(help.optionDescription(o))} |`);
    out.push("");
  }
  return `${out.join("\n").trimEnd()}\n`;
}

/** The text between the markers, or undefined when a marker is missing. */
export function readBlock(markdown: string): string | undefined {
  const a = markdown.indexOf(START);
  const b = markdown.indexOf(END);
  if (a < 0 || b < a) return undefined;
  return `${markdown.slice(a + START.length, b).trim()}\n`;
}

/** markdown with the block between the markers replaced by `block`. */
export function writeBlock(markdown: string, block: string): string {
  const a = markdown.indexOf(START);
  const b = markdown.indexOf(END);
  if (a < 0 || b < a) throw new Error(`no ${START} ... ${END} markers`);
  return `${markdown.slice(0, a + START.length)}\n${block.trim()}\n${markdown.slice(b)}`;
}
