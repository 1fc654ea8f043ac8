import type { Database } from '../../db/index.ts';
import { Lru } from './lru.ts';
import type { Versions } from './versions.ts';

/**
 * Answers kept in process memory, each tagged with the cache versions it depends on, as read before
 * it was computed: an entry is served only while those versions are unchanged, so any write it
 * depends on (in any process) makes it stale at once. Bounded: least recently used entries go first.
 */
export class VersionedCache<V> {
  readonly #lru: Lru<string, { tag: number[]; value: V }>;
  hits = 0;
  misses = 0;

  constructor(
    readonly dependsOn: readonly (keyof Versions)[],
    maxEntries: number,
    maxWeight = maxEntries,
  ) {
    this.#lru = new Lru(maxEntries, maxWeight);
  }

  /** The value cached under these versions; a stale entry is dropped. */
  get(key: string, versions: Versions): V | undefined {
    const e = this.#lru.get(key);
    if (e && this.dependsOn.every((name, i) => e.tag[i] === versions[name])) {
      this.hits++;
      return e.value;
    }
    if (e) this.#lru.delete(key);
    this.misses++;
    return undefined;
  }

  set(key: string, versions: Versions, value: V, weight = 1): void {
    this.#lru.set(key, { tag: this.dependsOn.map((name) => versions[name]), value }, weight);
  }

  clear(): void {
    this.#lru.clear();
  }
}

/** One instance per opened database (two databases in one process, as in tests, never share). */
export function perDatabase<T>(make: (database: Database) => T): (database: Database) => T {
  const made = new WeakMap<Database, T>();
  return (database) => {
    let v = made.get(database);
    if (v === undefined) {
      v = make(database);
      made.set(database, v);
    }
    return v;
  };
}
