import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { PiiCipher } from './crypto.ts';
import { maskIdCard, maskPhone, normalizeContactNumber, normalizeIdCard, normalizePhone } from './mask.ts';

describe('personal data', () => {
  it('masks phones and ID numbers as the spec shows', () => {
    expect(maskPhone('13800138000')).toBe('138****8000');
    expect(maskIdCard('110105194912310021')).toBe('110105********0021');
  });

  it('accepts mainland mobile numbers with or without +86 and spaces, nothing else', () => {
    expect(normalizePhone('+86 138-0013-8000')).toBe('13800138000');
    expect(normalizePhone('8613800138000')).toBe('13800138000');
    expect(normalizePhone('12800138000')).toBeNull();
    expect(normalizePhone('1380013800')).toBeNull();
  });

  it('takes a mobile number or a landline with its area code (and an extension) as a contact number', () => {
    expect(normalizeContactNumber('138 0013 8000')).toBe('13800138000');
    expect(normalizeContactNumber('0316-7221234')).toBe('0316-7221234');
    expect(normalizeContactNumber('(0316)7221234')).toBe('0316-7221234');
    expect(normalizeContactNumber('01088886666')).toBe('010-88886666');
    expect(normalizeContactNumber('010-88886666转123')).toBe('010-88886666-123');
    expect(normalizeContactNumber('+86 316 7221234')).toBe('0316-7221234');
    expect(maskPhone('0316-7221234')).toBe('031*****1234');
    // no area code, a local number starting 0 or 1, too short or too long, letters
    expect(normalizeContactNumber('7221234')).toBeNull();
    expect(normalizeContactNumber('0316-1221234')).toBeNull();
    expect(normalizeContactNumber('0316-72212')).toBeNull();
    expect(normalizeContactNumber('0316-722123456')).toBeNull();
    expect(normalizeContactNumber('0316-72212ab')).toBeNull();
    expect(normalizeContactNumber('12345')).toBeNull();
    expect(normalizeContactNumber('0012345678')).toBeNull();
  });

  it('checks the ID number’s birth date and MOD 11-2 check digit', () => {
    expect(normalizeIdCard('11010519491231002x')).toBe('11010519491231002X');
    expect(normalizeIdCard('110105194912310021')).toBeNull(); // wrong check digit
    expect(normalizeIdCard('110105194902300028')).toBeNull(); // 30 February
    expect(normalizeIdCard('1101051949123100')).toBeNull();
  });

  it('encrypts with a fresh IV each time, decrypts, detects tampering, and hashes deterministically', () => {
    const c = new PiiCipher(randomBytes(32));
    const a = c.encrypt('13800138000');
    const b = c.encrypt('13800138000');
    expect(a).not.toBe(b);
    expect(c.decrypt(a)).toBe('13800138000');
    const raw = Buffer.from(a.slice(3), 'base64');
    raw[raw.length - 1] ^= 1;
    expect(() => c.decrypt(`v1:${raw.toString('base64')}`)).toThrow();
    expect(c.hash('13800138000')).toBe(c.hash('13800138000'));
    expect(new PiiCipher(randomBytes(32)).hash('13800138000')).not.toBe(c.hash('13800138000'));
  });
});
