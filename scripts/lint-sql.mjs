// SQL lint for db/: one case style (lowercase keywords, outside strings and comments), and the
// function rules of docs/security.md for every function the migration and db/functions create:
// a SECURITY DEFINER function pins `search_path = pg_catalog, pg_temp` and schema-qualifies every
// relation it names; every function's file revokes EXECUTE from PUBLIC. (The suite asserts the same
// from the catalog: c5_workspace_isolation/functions_pinned_and_granted_by_need.test.sql.)
// Run by `npm run lint`; prints file:line for each offence and exits 1 if any.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";

const KEYWORDS = [
  "SELECT",
  "FROM",
  "WHERE",
  "INSERT",
  "INTO",
  "UPDATE",
  "DELETE",
  "CREATE",
  "TABLE",
  "ALTER",
  "DROP",
  "BEGIN",
  "COMMIT",
  "ROLLBACK",
  "RETURNS",
  "RETURN",
  "FUNCTION",
  "TRIGGER",
  "INDEX",
  "VALUES",
  "JOIN",
  "AND",
  "NOT",
  "NULL",
  "REFERENCES",
  "PRIMARY",
  "FOREIGN",
  "KEY",
  "CONSTRAINT",
  "UNIQUE",
  "CHECK",
  "DEFAULT",
  "LANGUAGE",
  "DECLARE",
  "END",
  "IF",
  "THEN",
  "ELSE",
  "RAISE",
  "EXCEPTION",
  "PERFORM",
  "EXECUTE",
  "ORDER",
  "GROUP",
  "LIMIT",
  "AS",
  "ON",
  "SET",
  "GRANT",
  "REVOKE",
  "POLICY",
  "USING",
];
const pattern = new RegExp(`\\b(${KEYWORDS.join("|")})\\b`);

function files(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return files(p);
    return /\.(sql|psql)$/.test(name) ? [p] : [];
  });
}

/** Blank out comments, string literals, quoted identifiers and dollar-quoted bodies' strings. */
function code(text) {
  return text
    .replace(/--[^\n]*/g, "")
    .replace(/\/\*[\s\S]*?\*\//g, (m) => m.replace(/[^\n]/g, " "))
    .replace(/'(?:[^']|'')*'/g, (m) => m.replace(/[^\n]/g, " "))
    .replace(/"(?:[^"]|"")*"/g, (m) => m.replace(/[^\n]/g, " "));
}

const SAFE_PATH = "pg_catalog, pg_temp";

/** Functions created by a file (pg_temp helpers aside): name, header clauses, body, line. */
function functionsOf(text) {
  const out = [];
  const create = /create\s+(?:or\s+replace\s+)?function\s+([a-z_][\w.]*)\s*\(/gi;
  for (let m = create.exec(text); m; m = create.exec(text)) {
    const name = m[1];
    if (name.startsWith("pg_temp.")) continue;
    const rest = text.slice(m.index);
    const as = /\bas\s+(\$[a-z_]*\$)/i.exec(rest);
    if (!as) continue;
    const tag = as[1];
    const bodyStart = as.index + as[0].length;
    const bodyEnd = rest.indexOf(tag, bodyStart);
    out.push({
      name,
      header: rest.slice(0, as.index),
      body: rest.slice(bodyStart, bodyEnd < 0 ? undefined : bodyEnd),
      line: text.slice(0, m.index).split("\n").length,
    });
  }
  return out;
}

/** Relations named without a schema after from/join/update/insert into/delete from in a body. */
function unqualifiedRelations(body) {
  const code = body.replace(/--[^\n]*/g, "").replace(/'(?:[^']|'')*'/g, "''");
  const names = [];
  // a name followed by `(` after from/join is a function call: pg_temp is never searched for those
  const ref = /\b(from|join|update|insert\s+into|delete\s+from)\s+([a-z_][a-z0-9_]*)\b(?!\s*\.)(\s*\()?/gi;
  for (const m of code.matchAll(ref)) {
    const call = m[3] !== undefined && /^(from|join)$/i.test(m[1]);
    if (call || ["only", "lateral"].includes(m[2].toLowerCase())) continue;
    names.push(m[2]);
  }
  return names;
}

function functionOffences(file, text) {
  const found = [];
  const noComments = text.replace(/--[^\n]*/g, "");
  for (const f of functionsOf(noComments)) {
    const header = f.header.replace(/\s+/g, " ").toLowerCase();
    const path =
      /set search_path = ([^;]*?)(?= as$| language| security| stable| immutable| volatile| parallel| set |$)/.exec(
        header,
      );
    if (/security definer/.test(header)) {
      if (!path || path[1].trim() !== SAFE_PATH) {
        found.push(
          `${file}:${f.line}: ${f.name} is SECURITY DEFINER: pin 'set search_path = ${SAFE_PATH}' (pg_temp last; an empty search_path still searches pg_temp first for types and tables)`,
        );
      }
      for (const rel of unqualifiedRelations(f.body)) {
        found.push(
          `${file}:${f.line}: ${f.name} is SECURITY DEFINER and names relation '${rel}' without its schema (pg_temp could supply it)`,
        );
      }
    }
    const revoke = new RegExp(
      `revoke\\s+execute\\s+on\\s+function\\s+${f.name.replace(".", "\\.")}\\s*\\([^;]*\\)\\s+from\\s+public\\s*;`,
      "i",
    );
    if (!revoke.test(noComments)) {
      found.push(
        `${file}:${f.line}: ${f.name}: its file must 'revoke execute on function ${f.name}(...) from public' (grant to apms_app only what the application calls)`,
      );
    }
  }
  return found;
}

let offences = 0;
for (const file of files(join("db", "migrations")).concat(files(join("db", "functions")))) {
  for (const offence of functionOffences(file, readFileSync(file, "utf8"))) {
    offences += 1;
    console.log(offence);
  }
}
// db/schema.sql is pg_dump output (its own case style), committed for review diffs only.
for (const file of files("db").filter((f) => f !== join("db", "schema.sql"))) {
  const lines = code(readFileSync(file, "utf8")).split("\n");
  lines.forEach((line, i) => {
    const m = line.match(pattern);
    if (m) {
      offences += 1;
      console.log(`${file}:${i + 1}: uppercase keyword '${m[1]}' (house style: lowercase SQL)`);
    }
  });
}
if (offences) {
  console.log(`${offences} SQL style offence(s)`);
  process.exit(1);
}
