// The application's side of the request context (docs/security.md): a token signed in Node with a
// key of apms_private.context_keys, for one backend, as the application signs it. The tests that
// play the application sign with it, so the documented recipe is the one they prove.
import { createHmac } from "node:crypto";
import type pg from "pg";

export interface ContextKey {
  id: string;
  secret: Buffer;
}

/** A v1 token for backend `pid`, acting for `workspaceId` as `userId`, valid `ttlSeconds`. */
export function signContext(
  key: ContextKey,
  pid: number,
  workspaceId: string,
  userId: string,
  ttlSeconds = 300,
): string {
  const expires = Math.floor(Date.now() / 1000) + ttlSeconds;
  const signed = `v1.${key.id}.${pid}.${expires}.${workspaceId}.${userId}`;
  const mac = createHmac("sha256", key.secret).update(signed).digest("hex");
  return `v1.${key.id}.${pid}.${expires}.${workspaceId}.${mac}.${userId}`;
}

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
