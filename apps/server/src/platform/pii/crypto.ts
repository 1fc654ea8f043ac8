import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Personal data at rest: AES-256-GCM for the value, HMAC-SHA256 (a key derived from the same master)
 * for an exact-match search hash. The master key comes from WENMING_SECRET_KEY or a key file that is
 * generated once in the data directory (mode 0600) and never committed.
 */
export class PiiCipher {
  readonly #encKey: Buffer;
  readonly #hashKey: Buffer;

  constructor(master: Buffer) {
    if (master.length !== 32) throw new Error('the PII master key must be 32 bytes');
    this.#encKey = Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), 'wenming pii encryption', 32));
    this.#hashKey = Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), 'wenming pii search hash', 32));
  }

  encrypt(plain: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.#encKey, iv);
    const ct = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return `v1:${Buffer.concat([iv, cipher.getAuthTag(), ct]).toString('base64')}`;
  }

  decrypt(stored: string): string {
    if (!stored.startsWith('v1:')) throw new Error('unknown PII ciphertext version');
    const raw = Buffer.from(stored.slice(3), 'base64');
    const decipher = createDecipheriv('aes-256-gcm', this.#encKey, raw.subarray(0, 12));
    decipher.setAuthTag(raw.subarray(12, 28));
    return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
  }

  /** Deterministic keyed hash for lookups (e.g. "find the user with this phone"). */
  hash(value: string): string {
    return createHmac('sha256', this.#hashKey).update(value).digest('hex');
  }
}

export function loadOrCreateMasterKey(dataDir: string, fromEnv: Buffer | undefined): Buffer {
  if (fromEnv) return fromEnv;
  const file = path.join(dataDir, 'secret.key');
  if (existsSync(file)) {
    const key = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
    if (key.length !== 32) throw new Error(`${file} does not hold a 32-byte base64 key`);
    return key;
  }
  mkdirSync(dataDir, { recursive: true });
  const key = randomBytes(32);
  writeFileSync(file, `${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  chmodSync(file, 0o600);
  return key;
}
