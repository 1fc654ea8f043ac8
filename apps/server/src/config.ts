import path from 'node:path';

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | undefined;
  /** 32-byte key from WENMING_SECRET_KEY (hex or base64); undefined means "use or create data/secret.key". */
  secretKey: Buffer | undefined;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  sessionIdleMinutes: number;
  sessionMaxHours: number;
  /** 'auto' sets Secure on the cookie when the request came over HTTPS (X-Forwarded-Proto with trustProxy). */
  secureCookies: 'auto' | 'always' | 'never';
  trustProxy: boolean;
  webDir: string;
  seedDemo: boolean;
  /** With the demo, also the demo campaign (seed 001 moved to now, with reports). */
  seedDemoCampaign: boolean;
  /** With the demo: routing rules and a dozen citizen cases in every state (issue #5). */
  seedDemoCases: boolean;
  /** 'dev' logs group-robot messages to data/notify-outbox.jsonl; 'live' posts them to WeCom/DingTalk. */
  notifyMode: 'dev' | 'live';
  /** Hosts allowed in group-robot URLs besides qyapi.weixin.qq.com and oapi.dingtalk.com (http or https). */
  webhookHosts: string[];
  /** Citizen reports allowed per window (0: no limit), counted from the cases already filed. */
  caseLimits: { perPhone10Min: number; perPhoneDay: number; perIpHour: number };
  /** The jurisdiction a reported position must lie in (degrees, WGS-84); null: any position. */
  caseArea: CaseArea | null;
}

export interface CaseArea {
  south: number;
  west: number;
  north: number;
  east: number;
}

/** Bazhou (霸州市) with a margin of about 2 km: its approximate extent, as the demo's township map frames it. */
export const BAZHOU_AREA: CaseArea = { south: 38.93, west: 116.13, north: 39.3, east: 116.8 };

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
  }
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** Reads and validates the environment; every bad value is reported, not just the first. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const problems: string[] = [];
  const int = (name: string, def: number, min: number, max: number): number => {
    const raw = env[name];
    if (raw === undefined || raw === '') return def;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min || n > max) {
      problems.push(`${name} must be a whole number from ${min} to ${max} (got "${raw}")`);
      return def;
    }
    return n;
  };
  const oneOf = <T extends string>(name: string, allowed: readonly T[], def: T): T => {
    const raw = env[name];
    if (raw === undefined || raw === '') return def;
    if (!(allowed as readonly string[]).includes(raw)) {
      problems.push(`${name} must be one of ${allowed.join(', ')} (got "${raw}")`);
      return def;
    }
    return raw as T;
  };
  const flag = (name: string, def: boolean): boolean => {
    const raw = env[name];
    if (raw === undefined || raw === '') return def;
    if (['1', 'true', 'yes'].includes(raw)) return true;
    if (['0', 'false', 'no'].includes(raw)) return false;
    problems.push(`${name} must be true or false (got "${raw}")`);
    return def;
  };

  const databaseUrl = env.DATABASE_URL || undefined;
  if (databaseUrl && !/^postgres(ql)?:\/\/.+/.test(databaseUrl)) {
    problems.push(`DATABASE_URL must start with postgres:// or postgresql:// (got "${databaseUrl}")`);
  }

  let secretKey: Buffer | undefined;
  const rawKey = env.WENMING_SECRET_KEY;
  if (rawKey) {
    secretKey = /^[0-9a-fA-F]{64}$/.test(rawKey) ? Buffer.from(rawKey, 'hex') : Buffer.from(rawKey, 'base64');
    if (secretKey.length !== 32) {
      problems.push('WENMING_SECRET_KEY must be 32 bytes, as 64 hex characters or base64');
      secretKey = undefined;
    }
  }

  const webhookHosts = (env.WENMING_WEBHOOK_HOSTS ?? '')
    .split(',')
    .map((h) => h.trim().toLowerCase())
    .filter((h) => h !== '');
  for (const h of webhookHosts) {
    if (!/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/.test(h)) {
      problems.push(`WENMING_WEBHOOK_HOSTS must be comma-separated host names (got "${h}")`);
    }
  }

  let caseArea: CaseArea | null = BAZHOU_AREA;
  const rawArea = env.WENMING_CASE_AREA?.trim();
  if (rawArea === 'off') caseArea = null;
  else if (rawArea) {
    const [south, west, north, east] = rawArea.split(',').map((v) => Number(v.trim()));
    const box = { south, west, north, east };
    const ok =
      rawArea.split(',').length === 4 &&
      Object.values(box).every((v) => Number.isFinite(v)) &&
      south >= -90 &&
      north <= 90 &&
      west >= -180 &&
      east <= 180 &&
      south < north &&
      west < east;
    if (ok) caseArea = box;
    else
      problems.push(
        `WENMING_CASE_AREA must be "south,west,north,east" in degrees (south < north, west < east) or off (got "${rawArea}")`,
      );
  }

  const root = path.resolve(import.meta.dirname, '../../..');
  const config: Config = {
    port: int('PORT', 3000, 0, 65535),
    host: env.HOST || '0.0.0.0',
    dataDir: path.resolve(env.WENMING_DATA_DIR || './data'),
    databaseUrl,
    secretKey,
    logLevel: oneOf('LOG_LEVEL', LOG_LEVELS, 'info'),
    sessionIdleMinutes: int('WENMING_SESSION_IDLE_MINUTES', 30, 1, 24 * 60),
    sessionMaxHours: int('WENMING_SESSION_MAX_HOURS', 12, 1, 24 * 30),
    secureCookies: oneOf('WENMING_SECURE_COOKIES', ['auto', 'always', 'never'] as const, 'auto'),
    trustProxy: flag('WENMING_TRUST_PROXY', false),
    webDir: path.resolve(env.WENMING_WEB_DIR || path.join(root, 'dist/web')),
    seedDemo: flag('WENMING_SEED_DEMO', true),
    seedDemoCampaign: flag('WENMING_SEED_DEMO_CAMPAIGN', true),
    seedDemoCases: flag('WENMING_SEED_DEMO_CASES', true),
    notifyMode: oneOf('WENMING_NOTIFY_MODE', ['dev', 'live'] as const, 'dev'),
    webhookHosts,
    caseLimits: {
      perPhone10Min: int('WENMING_CASE_LIMIT_PHONE_10MIN', 5, 0, 100_000),
      perPhoneDay: int('WENMING_CASE_LIMIT_PHONE_DAY', 20, 0, 100_000),
      perIpHour: int('WENMING_CASE_LIMIT_IP_HOUR', 30, 0, 100_000),
    },
    caseArea,
  };
  if (problems.length) throw new ConfigError(problems);
  return config;
}
