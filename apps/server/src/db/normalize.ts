/**
 * The one place where engine differences in returned values are smoothed over.
 * - booleans: SQLite returns 0/1, PostgreSQL true/false;
 * - counts and bigints: PostgreSQL returns int8 as strings;
 * - JSON: stored as TEXT on both engines (byte-exact round trips keep the audit hash chain valid);
 * - timestamps: stored as UTC ISO-8601 TEXT on both engines.
 * Writes need no help: booleans are bound as 0/1 on SQLite by the BooleanToIntegerPlugin in db/index.ts.
 */

export function bool(v: unknown): boolean {
  return v === true || v === 1 || v === '1' || v === 't' || v === 'true';
}

export function int(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'string' && v !== '') return Number(v);
  return 0;
}

export function json<T = unknown>(v: unknown): T | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string') return JSON.parse(v) as T;
  return v as T;
}

export function toJsonText(v: unknown): string | null {
  return v === undefined || v === null ? null : JSON.stringify(v);
}

export function nowIso(d: Date = new Date()): string {
  return d.toISOString();
}
