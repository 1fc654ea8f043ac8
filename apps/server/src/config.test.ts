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

  it('sends group-robot messages nowhere unless told to, and checks the extra robot hosts', () => {
    expect(loadConfig({})).toMatchObject({ notifyMode: 'dev', webhookHosts: [] });
    const live = loadConfig({
      WENMING_NOTIFY_MODE: 'live',
      WENMING_WEBHOOK_HOSTS: ' Relay.Example.cn, 127.0.0.1 ',
    });
    expect(live).toMatchObject({ notifyMode: 'live', webhookHosts: ['relay.example.cn', '127.0.0.1'] });
    try {
      loadConfig({ WENMING_NOTIFY_MODE: 'on', WENMING_WEBHOOK_HOSTS: 'ok.cn,https://bad.cn/x' });
      expect.unreachable();
    } catch (e) {
      const p = (e as ConfigError).problems.join('\n');
      expect(p).toContain('WENMING_NOTIFY_MODE must be one of dev, live (got "on")');
      expect(p).toContain(
        'WENMING_WEBHOOK_HOSTS must be comma-separated host names (got "https://bad.cn/x")',
      );
    }
  });

  it('accepts a hex secret key', () => {
    expect(loadConfig({ WENMING_SECRET_KEY: 'ab'.repeat(32) }).secretKey?.length).toBe(32);
  });
});
