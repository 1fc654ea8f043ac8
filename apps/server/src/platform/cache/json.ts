const BODIES = Symbol('wenming.jsonBodies');

/** A reply body made once: the serializer's text, and its UTF-8 bytes (what goes on the wire). */
export interface ReusableBody {
  text: string;
  bytes: Buffer;
}

interface WithBodies {
  [BODIES]: Map<string, ReusableBody>;
}

/**
 * Marks a value that is sent many times unchanged (a cached answer): the HTTP edge serialises it once
 * per route and status, with the route's own response serializer, and sends those bytes again after.
 * So the bytes are exactly those of an uncached reply, without serialising or encoding them again.
 * The value must not change after this call (cached values are frozen).
 */
export function withReusableJson<T extends object>(value: T): T {
  Object.defineProperty(value, BODIES, { value: new Map<string, ReusableBody>(), enumerable: false });
  return value;
}

/** The bodies already made for a marked value (key: method, route and status), or undefined. */
export function reusableJsonOf(value: unknown): Map<string, ReusableBody> | undefined {
  return typeof value === 'object' && value !== null && BODIES in value
    ? (value as WithBodies)[BODIES]
    : undefined;
}
