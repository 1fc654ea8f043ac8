/**
 * A bounded map that forgets the least recently used entries first. Each entry has a weight (1 by
 * default; e.g. the number of rows a cached list holds), and both the number of entries and their
 * total weight are capped.
 */
export class Lru<K, V> {
  readonly #entries = new Map<K, { value: V; weight: number }>();
  #weight = 0;

  constructor(
    readonly maxEntries: number,
    readonly maxWeight: number = maxEntries,
  ) {}

  get(key: K): V | undefined {
    const e = this.#entries.get(key);
    if (!e) return undefined;
    // Map keeps insertion order: re-inserting makes this the most recently used entry.
    this.#entries.delete(key);
    this.#entries.set(key, e);
    return e.value;
  }

  /** Stores the value unless it alone weighs more than the whole cache may. */
  set(key: K, value: V, weight = 1): void {
    this.delete(key);
    if (weight > this.maxWeight) return;
    this.#entries.set(key, { value, weight });
    this.#weight += weight;
    for (const [oldest, e] of this.#entries) {
      if (this.#entries.size <= this.maxEntries && this.#weight <= this.maxWeight) break;
      this.#entries.delete(oldest);
      this.#weight -= e.weight;
    }
  }

  delete(key: K): void {
    const e = this.#entries.get(key);
    if (!e) return;
    this.#entries.delete(key);
    this.#weight -= e.weight;
  }

  clear(): void {
    this.#entries.clear();
    this.#weight = 0;
  }
}
