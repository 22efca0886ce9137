// Pure: the SQL error that stopped a test file, and its one-line description. Apart from tap-results.ts
// (which parses TAP with tap-parser) so the reports can describe one without loading the parser.

export interface SqlErrorInfo {
  sqlstate?: string;
  message: string;
  /** Where in the test file (or an included file) the failing statement is. */
  file?: string;
  line?: number;
  column?: number;
  detail?: string;
  hint?: string;
  where?: string;
  /** The error's TABLE and SCHEMA fields, when the server set them. */
  table?: string;
  schema?: string;
}

/** One line describing a SQL error: `SQLSTATE 23505 at file:12:5: message`. */
export function describeSqlError(e: SqlErrorInfo): string {
  const at = e.file ? ` at ${e.file}${e.line ? `:${e.line}${e.column ? `:${e.column}` : ""}` : ""}` : "";
  return `${e.sqlstate ? `SQLSTATE ${e.sqlstate}` : "error"}${at}: ${e.message}`;
}
