// SQL style lint: one case style (lowercase keywords) in db/, outside strings and comments.
// Run by `npm run lint`; prints file:line for each offence and exits 1 if any.
import { readdirSync, readFileSync, statSync } from "node:fs";
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

let offences = 0;
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
