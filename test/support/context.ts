// The application's session for tests that play it: a key read from the database and a context
// signed with it in Node (orchestrator/context-token.ts), as the application does.
import type pg from "pg";
import { type ContextKey, signContext } from "../../orchestrator/context-token.js";

export { type ContextKey, signContext };

/** A key of the database, read by a role that may (the owner): the dev fixtures' `dev` by default. */
export async function readContextKey(c: pg.ClientBase, id = "dev"): Promise<ContextKey> {
  const { rows } = await c.query<{ secret: Buffer }>(
    "select secret from apms_private.context_keys where id = $1",
    [id],
  );
  if (!rows[0]) throw new Error(`no context key ${id} in apms_private.context_keys`);
  return { id, secret: rows[0].secret };
}

/** Sets a signed context on a client for the rest of its session (or, with local, its transaction). */
export async function actAs(
  c: pg.Client,
  key: ContextKey,
  workspaceId: string,
  userId: string,
  local = false,
): Promise<void> {
  const pid = (c as unknown as { processID: number }).processID;
  await c.query("select set_config('app.context', $1, $2)", [
    signContext(key, pid, workspaceId, userId),
    local,
  ]);
}
