import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

describe('configuration', () => {
  it('has working defaults', () => {
    const c = loadConfig({});
    expect(c.port).toBe(3000);
    expect(c.databaseUrl).toBeUndefined();
    expect(c.sessionIdleMinutes).toBe(30);
  });

  it('reports every bad value with a clear message', () => {
    try {
      loadConfig({ PORT: 'abc', DATABASE_URL: 'mysql://x', LOG_LEVEL: 'loud', WENMING_SECRET_KEY: 'short' });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      const p = (e as ConfigError).problems.join('\n');
      expect(p).toContain('PORT must be a whole number');
      expect(p).toContain('DATABASE_URL must start with postgres://');
      expect(p).toContain('LOG_LEVEL must be one of');
      expect(p).toContain('WENMING_SECRET_KEY must be 32 bytes');
    }
  });

  it('accepts a hex secret key', () => {
    expect(loadConfig({ WENMING_SECRET_KEY: 'ab'.repeat(32) }).secretKey?.length).toBe(32);
  });
});
