// Pure: the application's side of the request context (docs/security.md), a v1 token signed with a
// key of apms_private.context_keys for one backend. gonogo itself never acts as the application;
// the tests and benchmarks that play it sign with this, so the documented recipe is the proven one.
import { createHmac } from "node:crypto";

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
