/**
 * Subtree filters on materialised paths ('/root/child/self/'), as a range instead of LIKE 'prefix%':
 * a range uses the path index on both engines (SQLite's LIKE is case-insensitive and cannot), and it is
 * exact because paths hold only [0-9a-f-/], all sorting below '~'. On PostgreSQL the column is
 * COLLATE "C" so the comparison is bytewise.
 */
export function pathRange(prefix: string): [lo: string, hi: string] {
  return [prefix, `${prefix}~`];
}
