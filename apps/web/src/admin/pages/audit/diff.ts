export interface DiffRow {
  path: string;
  before: string | undefined;
  after: string | undefined;
  changed: boolean;
}

/** Flatten JSON into `a.b[0].c` → JSON text of the leaf; empty objects/arrays are leaves. */
export function flatten(value: unknown, prefix = '', out = new Map<string, string>()): Map<string, string> {
  if (value !== null && typeof value === 'object') {
    const entries = Array.isArray(value)
      ? value.map((v, i) => [`${prefix}[${i}]`, v] as const)
      : Object.entries(value as Record<string, unknown>).map(
          ([k, v]) => [prefix ? `${prefix}.${k}` : k, v] as const,
        );
    if (entries.length === 0) {
      out.set(prefix || '(root)', JSON.stringify(value));
      return out;
    }
    for (const [k, v] of entries) flatten(v, k, out);
    return out;
  }
  if (value !== undefined) out.set(prefix || '(root)', JSON.stringify(value));
  return out;
}

/** Field-by-field comparison of two JSON values, in first-seen key order. */
export function diffJson(before: unknown, after: unknown): DiffRow[] {
  const a = before === null || before === undefined ? new Map<string, string>() : flatten(before);
  const b = after === null || after === undefined ? new Map<string, string>() : flatten(after);
  const keys = [...new Set([...a.keys(), ...b.keys()])];
  return keys.map((path) => ({
    path,
    before: a.get(path),
    after: b.get(path),
    changed: a.get(path) !== b.get(path),
  }));
}
