import { type Expression, type RawBuilder, sql } from 'kysely';

/** LIKE with the wildcards in user input escaped; the ESCAPE clause works the same on both engines. */
function like(column: Expression<string | null>, pattern: string): RawBuilder<boolean> {
  return sql<boolean>`${column} like ${pattern} escape '!'`;
}

const escapeLike = (s: string) => s.replace(/[!%_]/g, (c) => `!${c}`);

export const containsText = (column: Expression<string | null>, text: string) =>
  like(column, `%${escapeLike(text)}%`);
export const startsWithText = (column: Expression<string | null>, text: string) =>
  like(column, `${escapeLike(text)}%`);
