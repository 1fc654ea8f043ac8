import { type RawBuilder, sql } from 'kysely';
import { pathRange } from '../../db/paths.ts';
import type { Scope } from './types.ts';

/**
 * The one SQL form of a data scope: a condition on a unit's materialised path and id columns
 * (e.g. 'org_units.path'/'org_units.id', or the unit joined to a user as 'o.path'/'o.id').
 * Rows with no unit (a NULL path or id) are visible to scope "all" only.
 */
export function unitInScope(scope: Scope, pathColumn: string, idColumn: string): RawBuilder<boolean> {
  switch (scope.kind) {
    case 'all':
      return sql<boolean>`1 = 1`;
    case 'subtree': {
      const [lo, hi] = pathRange(scope.path);
      return sql<boolean>`(${sql.ref(pathColumn)} >= ${lo} and ${sql.ref(pathColumn)} < ${hi})`;
    }
    case 'own':
      return sql<boolean>`${sql.ref(idColumn)} = ${scope.unitId}`;
    case 'none':
      return sql<boolean>`1 = 0`;
  }
}
