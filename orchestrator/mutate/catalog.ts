// Pure: the catalog objects `gonogo mutate` reasons about, and the diff that finds what the
// migration and db/functions added to a baseline (everything in the prepared database that the
// baseline-only database lacks, or holds with other attributes).

/**
 * One catalog object. `kind` is what the snapshot query found (foreign_key, check, unique, index,
 * trigger, policy, rls, function, extension, role, table_grant, ... or anything else it met);
 * `table` is the table it belongs to, when it belongs to one.
 */
export interface CatalogObject {
  kind: string;
  name: string;
  table?: string;
  attrs: Record<string, unknown>;
}

export type Snapshot = readonly CatalogObject[];

/** Identity of an object across two databases: kind, table and name (not its oid). */
export function objectKey(o: CatalogObject): string {
  return `${o.kind}:${o.table ?? ""}:${o.name}`;
}

/** Attributes in a stable order, so two equal objects compare equal as text. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(",")}}`;
  }
  return JSON.stringify(value ?? null);
}

/** Objects of `prepared` that `baseline` lacks or holds with different attributes, in key order. */
export function addedObjects(baseline: Snapshot, prepared: Snapshot): CatalogObject[] {
  const before = new Map(baseline.map((o) => [objectKey(o), canonical(o.attrs)]));
  return prepared
    .filter((o) => before.get(objectKey(o)) !== canonical(o.attrs))
    .sort((a, b) => objectKey(a).localeCompare(objectKey(b)));
}
