import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { hashPassword, isStrongPassword, temporaryPassword, verifyPassword } from './password.ts';

describe('passwords', () => {
  it('needs 8+ characters and 3 of the 4 classes', () => {
    expect(isStrongPassword('Abcdefg1')).toBe(true);
    expect(isStrongPassword('abcdef1!')).toBe(true);
    expect(isStrongPassword('Abc1!')).toBe(false);
    expect(isStrongPassword('abcdefgh1')).toBe(false);
    expect(isStrongPassword('ABCDEFGH')).toBe(false);
    expect(isStrongPassword(`Aa1!${'x'.repeat(200)}`)).toBe(false);
  });

  it('makes temporary passwords that pass the rule', () => {
    for (let i = 0; i < 50; i++) expect(isStrongPassword(temporaryPassword(randomBytes))).toBe(true);
  });

  it('hashes with argon2id and verifies', async () => {
    const h = await hashPassword('Wenming@2026');
    expect(h).toMatch(/^\$argon2id\$/);
    expect(await verifyPassword(h, 'Wenming@2026')).toBe(true);
    expect(await verifyPassword(h, 'wenming@2026')).toBe(false);
    expect(await verifyPassword('not-a-hash', 'x')).toBe(false);
  });
});
