// Pure: what psql would do with a test file, made explicit so the runner can send it as one
// simple-query string. A small lexer finds statements and psql meta-commands outside quotes,
// comments and dollar quotes; `\i`/`\ir` are inlined (with a map back to file:line), `\if
// :{?name}` / `\elif` / `\else` / `\endif` keep or drop their branch by whether the psql variable is
// defined (by the caller or a `\set`), `\set`, `\unset`, `\pset` are otherwise ignored, and any
// other meta-command is an error for that file.
import { dirname, join, relative, resolve } from "node:path";

export interface Statement {
  /** Offset of the statement's first character (after leading blanks and comments). */
  start: number;
  /** Offset just past its terminating semicolon (or the end of the text). */
  end: number;
  /** First words, lower-cased and single-spaced: `rollback to savepoint`, `begin`, `select`. */
  head: string;
  /** Ended by psql's `\gexec` (not `;`): each value of its result is run as a statement. */
  gexec?: boolean;
}

export interface MetaCommand {
  start: number;
  /** Offset of the end of the line (the newline itself is not part of the command). */
  end: number;
  command: string;
  arg: string;
}

export interface Lexed {
  statements: Statement[];
  metas: MetaCommand[];
}

const IDENT = /[A-Za-z0-9_$\u0080-\uffff]/;

/** Statements and meta-commands of a psql script. Unterminated quotes run to the end. */
export function lexPsql(text: string): Lexed {
  const statements: Statement[] = [];
  const metas: MetaCommand[] = [];
  let i = 0;
  let stmtStart = -1;
  const n = text.length;
  const endStatement = (end: number) => {
    if (stmtStart >= 0) statements.push({ start: stmtStart, end, head: headOf(text, stmtStart, end) });
    stmtStart = -1;
  };
  while (i < n) {
    const ch = text[i] as string;
    const next = text[i + 1];
    if (ch === "-" && next === "-") {
      const nl = text.indexOf("\n", i);
      i = nl < 0 ? n : nl;
      continue;
    }
    if (ch === "/" && next === "*") {
      let depth = 1;
      i += 2;
      while (i < n && depth > 0) {
        if (text[i] === "/" && text[i + 1] === "*") {
          depth++;
          i += 2;
        } else if (text[i] === "*" && text[i + 1] === "/") {
          depth--;
          i += 2;
        } else i++;
      }
      continue;
    }
    if (ch === "\\") {
      // psql meta-command: runs to the end of the line.
      const nl = text.indexOf("\n", i);
      const end = nl < 0 ? n : nl;
      const line = text.slice(i + 1, end).trim();
      const m = /^(\S+)\s*(.*)$/.exec(line);
      const command = m?.[1] ?? "";
      if (command === "gexec" && stmtStart >= 0) {
        statements.push({ start: stmtStart, end: i, head: headOf(text, stmtStart, i), gexec: true });
        stmtStart = -1;
      }
      metas.push({ start: i, end, command, arg: (m?.[2] ?? "").trim() });
      i = end;
      continue;
    }
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    if (ch === ";") {
      if (stmtStart >= 0) endStatement(i + 1);
      i++;
      continue;
    }
    if (stmtStart < 0) stmtStart = i;
    if (ch === "'") {
      const escapes = i > 0 && /[eE]/.test(text[i - 1] ?? "") && !IDENT.test(text[i - 2] ?? "");
      i++;
      while (i < n) {
        if (escapes && text[i] === "\\") i += 2;
        else if (text[i] === "'" && text[i + 1] === "'") i += 2;
        else if (text[i] === "'") break;
        else i++;
      }
      i++;
      continue;
    }
    if (ch === '"') {
      i++;
      while (i < n) {
        if (text[i] === '"' && text[i + 1] === '"') i += 2;
        else if (text[i] === '"') break;
        else i++;
      }
      i++;
      continue;
    }
    if (ch === "$" && !IDENT.test(text[i - 1] ?? "")) {
      const m = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(text.slice(i, i + 64));
      if (m) {
        const tag = m[0];
        const close = text.indexOf(tag, i + tag.length);
        i = close < 0 ? n : close + tag.length;
        continue;
      }
    }
    i++;
  }
  endStatement(n);
  return { statements, metas };
}

function headOf(text: string, start: number, end: number): string {
  const words = /^[A-Za-z_]+(?:\s+[A-Za-z_]+){0,2}/.exec(text.slice(start, Math.min(end, start + 80)));
  return (words?.[0] ?? "").toLowerCase().replace(/\s+/g, " ");
}

export interface Origin {
  file: string;
  line: number;
}

export interface Script {
  /** Path of the test file, relative to the root, as shown to users. */
  path: string;
  /** The text to send: includes inlined, ignored meta-commands blanked. */
  text: string;
  /** For each line of `text` (index = line - 1), the file and line it came from. */
  lines: Origin[];
  /** Unsupported meta-commands or unreadable includes: the file fails without running. */
  errors: string[];
}

export interface ExpandOptions {
  /** Root for displayed paths and for `\i` (psql resolves it from its working directory). */
  root: string;
  readFile: (absPath: string) => string;
  /** psql variables defined before the file runs (`psql -v name=...`), for `\if :{?name}`. */
  variables?: ReadonlySet<string>;
}

const IGNORED = new Set(["pset"]);
const INCLUDE = new Set(["i", "include"]);
const INCLUDE_RELATIVE = new Set(["ir", "include_relative"]);
const SUPPORTED = "\\i, \\ir, \\if/\\elif/\\else/\\endif on :{?name}, \\set, \\unset, \\pset";

/** psql's boolean spellings, and `:{?name}` (is the variable defined). Undefined: not supported. */
function condition(arg: string, defined: ReadonlySet<string>): boolean | undefined {
  const t = arg.trim();
  const m = /^:\{\?([A-Za-z0-9_]+)\}$/.exec(t);
  if (m) return defined.has(m[1] as string);
  if (/^(true|on|yes|1)$/i.test(t)) return true;
  if (/^(false|off|no|0)$/i.test(t)) return false;
  return undefined;
}

/** One `\if` being read: whether its current branch runs, and whether an earlier one did. */
interface Branch {
  active: boolean;
  taken: boolean;
  seenElse: boolean;
  at: string;
}

/** Expand a test file the way psql -f would read it. */
export function expandScript(absPath: string, opts: ExpandOptions): Script {
  const out: string[] = [];
  const lines: Origin[] = [];
  const errors: string[] = [];
  const display = (p: string) => relative(opts.root, p);
  // Append text that starts at file:line, keeping the line map in step.
  const append = (s: string, file: string, line: number) => {
    if (lines.length === 0) lines.push({ file, line });
    const parts = s.split("\n");
    out.push(s);
    for (let k = 1; k < parts.length; k++) lines.push({ file, line: line + k });
  };
  const defined = new Set(opts.variables ?? []);
  const visit = (abs: string, stack: string[]) => {
    const file = display(abs);
    let text: string;
    try {
      text = opts.readFile(abs);
    } catch (e) {
      errors.push(`cannot read ${file}: ${(e as Error).message}`);
      return;
    }
    const { metas } = lexPsql(text);
    // psql keeps \if blocks within one file; a dropped branch keeps only its newlines (line map)
    const branches: Branch[] = [];
    const running = () => branches.every((b) => b.active);
    let pos = 0;
    let line = 1;
    for (const m of metas) {
      const before = text.slice(pos, m.start);
      append(running() ? before : before.replace(/[^\n]/g, ""), file, line);
      line += countNewlines(before);
      const at = `${file}:${line}`;
      pos = m.end;
      const top = branches.at(-1);
      if (m.command === "if" || m.command === "elif") {
        const value = condition(m.arg, defined);
        if (value === undefined)
          errors.push(`${at}: \\${m.command} ${m.arg} is not supported (only :{?name} or true/false)`);
        if (m.command === "if") {
          const on = running() && value === true;
          branches.push({ active: on, taken: on, seenElse: false, at });
        } else if (!top || top.seenElse) errors.push(`${at}: \\elif without a matching \\if`);
        else {
          top.active = !top.taken && value === true;
          top.taken ||= top.active;
        }
        continue;
      }
      if (m.command === "else") {
        if (!top || top.seenElse) errors.push(`${at}: \\else without a matching \\if`);
        else Object.assign(top, { active: !top.taken, taken: true, seenElse: true });
        continue;
      }
      if (m.command === "endif") {
        if (!branches.pop()) errors.push(`${at}: \\endif without a matching \\if`);
        continue;
      }
      if (!running()) continue;
      if (m.command === "set") {
        const name = /^\S+/.exec(m.arg)?.[0];
        if (name) defined.add(name);
      } else if (m.command === "unset") defined.delete(m.arg.trim());
      else if (INCLUDE.has(m.command) || INCLUDE_RELATIVE.has(m.command)) {
        const target = unquote(m.arg);
        const base = INCLUDE_RELATIVE.has(m.command) ? dirname(abs) : opts.root;
        const inc = resolve(base, target);
        if (!target) errors.push(`${at}: \\${m.command} needs a file name`);
        else if (stack.includes(inc)) errors.push(`${at}: \\${m.command} ${target} includes itself`);
        else visit(inc, [...stack, inc]);
      } else if (!IGNORED.has(m.command)) {
        errors.push(`${at}: psql meta-command \\${m.command} is not supported (only ${SUPPORTED})`);
      }
    }
    const rest = text.slice(pos);
    append(running() ? rest : rest.replace(/[^\n]/g, ""), file, line);
    for (const b of branches) errors.push(`${b.at}: \\if without \\endif in the same file`);
  };
  visit(absPath, [absPath]);
  return { path: display(absPath), text: out.join(""), lines, errors };
}

function countNewlines(s: string): number {
  let c = 0;
  for (let i = s.indexOf("\n"); i >= 0; i = s.indexOf("\n", i + 1)) c++;
  return c;
}

function unquote(s: string): string {
  const t = s.trim();
  if (t.length >= 2 && (t[0] === "'" || t[0] === '"') && t.at(-1) === t[0]) return t.slice(1, -1);
  return t;
}

/** 1-based line and column of a 1-based character offset (Postgres' error `position`). */
export function positionToLine(text: string, position: number): { line: number; column: number } {
  const before = text.slice(0, Math.max(0, position - 1));
  const nl = before.lastIndexOf("\n");
  return { line: countNewlines(before) + 1, column: before.length - nl };
}

/** Map an error position in the sent text back to the file, line and column it came from. */
export function locate(script: Script, position: number): { file: string; line: number; column: number } {
  const { line, column } = positionToLine(script.text, position);
  const origin = script.lines[line - 1] ?? { file: script.path, line };
  return { file: origin.file, line: origin.line, column };
}

const TX_CONTROL = /^(begin|start transaction|commit|end|abort|rollback|prepare transaction)\b/;

export interface Shaped {
  /** `begin ... rollback`: the body to run inside a transaction the runner opens and rolls back. */
  transactional: boolean;
  /** Text to send: for a transactional file, its own begin and final rollback are blanked out. */
  text: string;
  /** Why the file is not transactional (it commits, or does not start with begin / end with rollback). */
  reason?: string;
}

/**
 * Recognise the suite's shape `begin; ... rollback;` so the runner can own the transaction
 * (and create pgTAP inside it on a staging database). Blanking keeps every offset, so error
 * positions still point at the right line and column.
 */
export function shapeTransaction(text: string): Shaped {
  const { statements } = lexPsql(text);
  const first = statements[0];
  const last = statements.at(-1);
  if (!first || !last || statements.length < 2)
    return { transactional: false, text, reason: "no statements" };
  const firstOk = /^(begin|start transaction)\b/.test(first.head);
  const lastOk = /^rollback\b/.test(last.head) && !/^rollback (to|prepared)\b/.test(last.head);
  if (!firstOk || !lastOk) {
    return {
      transactional: false,
      text,
      reason: "the file must start with begin and end with rollback",
    };
  }
  for (const s of statements.slice(1, -1)) {
    if (TX_CONTROL.test(s.head) && !/^rollback to\b/.test(s.head)) {
      return { transactional: false, text, reason: `it runs '${s.head}' inside its transaction` };
    }
  }
  const blank = (s: string, from: number, to: number) =>
    s.slice(0, from) + s.slice(from, to).replace(/[^\n]/g, " ") + s.slice(to);
  return { transactional: true, text: blank(blank(text, last.start, last.end), first.start, first.end) };
}

/** Convenience for callers holding a path relative to the root. */
export function scriptPath(root: string, path: string): string {
  return join(root, path);
}
