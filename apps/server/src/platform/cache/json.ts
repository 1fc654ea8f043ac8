const TEXTS = Symbol('wenming.jsonTexts');

interface WithTexts {
  [TEXTS]: Map<string, string>;
}

/**
 * Marks a value that is sent many times unchanged (a cached answer): the HTTP edge serialises it once
 * per route and status, with the route's own response serializer, and sends that text again after.
 * So the bytes are exactly those of an uncached reply. The value must not change after this call
 * (cached values are frozen).
 */
export function withReusableJson<T extends object>(value: T): T {
  Object.defineProperty(value, TEXTS, { value: new Map<string, string>(), enumerable: false });
  return value;
}

/** The texts already made for a marked value (key: method, route and status), or undefined. */
export function reusableJsonOf(value: unknown): Map<string, string> | undefined {
  return typeof value === 'object' && value !== null && TEXTS in value
    ? (value as WithTexts)[TEXTS]
    : undefined;
}
