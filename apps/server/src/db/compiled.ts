import type { Compilable, CompiledQuery, Kysely } from 'kysely';
import type { DB } from './schema.ts';

/** Where each value goes among a compiled query's parameters (a value may be bound more than once). */
interface Kept<R> {
  query: CompiledQuery<R>;
  slots: number[][];
}

/**
 * A hot query built and compiled by Kysely once per shape, then run with other values: for the few
 * statements every request runs, where building and compiling the query costs more than running it.
 * `build` gets a marker in place of each value and is called only for a shape not seen yet, so `shape`
 * must name everything else the query depends on (e.g. the caller's data scope, the number of ids).
 * Every value must end up a bound parameter (not in the SQL text); that is checked at the first build.
 * Past `maxShapes` the oldest shape goes.
 */
export function compiledOnce<R>(
  maxShapes = 1000,
): (
  db: Kysely<DB>,
  shape: string,
  values: readonly unknown[],
  build: (marks: string[]) => Compilable<R>,
) => Promise<R[]> {
  const kept = new Map<string, Kept<R>>();
  return async (db, shape, values, build) => {
    let k = kept.get(shape);
    if (!k) {
      const marks = values.map((_, i) => `\u0000compiled-once-${i}\u0000`);
      const query = build(marks).compile();
      const slots = marks.map((m) => query.parameters.flatMap((p, index) => (p === m ? [index] : [])));
      if (slots.some((s) => s.length === 0) || marks.some((m) => query.sql.includes(m)))
        throw new Error(`compiledOnce(${shape}): every value must be a bound parameter`);
      k = { query, slots };
      kept.set(shape, k);
      if (kept.size > maxShapes) kept.delete(kept.keys().next().value as string);
    }
    const parameters = [...k.query.parameters];
    k.slots.forEach((indexes, i) => {
      for (const index of indexes) parameters[index] = values[i];
    });
    return (await db.executeQuery<R>({ ...k.query, parameters })).rows;
  };
}
