import { type Expression, type RawBuilder, sql } from 'kysely';

/**
 * Case-insensitive LIKE with the wildcards in user input escaped; lower() on both sides and the ESCAPE
 * clause make it behave the same on SQLite and PostgreSQL.
 */
function like(column: Expression<string | null>, pattern: string): RawBuilder<boolean> {
  return sql<boolean>`lower(${column}) like lower(${pattern}) escape '!'`;
}

const escapeLike = (s: string) => s.replace(/[!%_]/g, (c) => `!${c}`);

export const containsText = (column: Expression<string | null>, text: string) =>
  like(column, `%${escapeLike(text)}%`);
export const startsWithText = (column: Expression<string | null>, text: string) =>
  like(column, `${escapeLike(text)}%`);
