import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { buildApp } from '../../apps/server/src/app.ts';
import { runCli } from '../../apps/server/src/cli.ts';
import { loadConfig } from '../../apps/server/src/config.ts';
import { createContext } from '../../apps/server/src/platform/bootstrap.ts';
import type { AppContext, Clock } from '../../apps/server/src/platform/context.ts';
import { createLogger } from '../../apps/server/src/platform/log.ts';
import type { SmsSender } from '../../apps/server/src/platform/sms/sms.ts';
import { DEMO_PASSWORD, seedDemo } from '../../apps/server/src/seed/demo.ts';
import { createTestDatabase, type TestDatabase, type TestEngine } from './db.ts';

/** A clock the test moves by hand (lockouts, idle timeouts, code expiry). */
export class TestClock implements Clock {
  constructor(public current = new Date('2026-03-02T02:00:00.000Z')) {}
  now(): Date {
    return new Date(this.current);
  }
  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
}

/** Keeps the SMS messages a test sends, so it can read the code like a phone would. */
export class CapturingSms implements SmsSender {
  readonly name = 'test-capture';
  readonly sent: { phone: string; text: string }[] = [];
  async send(phone: string, text: string): Promise<void> {
    this.sent.push({ phone, text });
  }
  lastCode(phone: string): string {
    const m = [...this.sent]
      .reverse()
      .find((s) => s.phone === phone)
      ?.text.match(/(\d{6})/);
    if (!m) throw new Error(`no code sent to ${phone}`);
    return m[1];
  }
}

export interface TestApp {
  app: FastifyInstance;
  ctx: AppContext;
  clock: TestClock;
  sms: CapturingSms;
  db: TestDatabase;
  close(): Promise<void>;
}

export async function makeTestApp(
  opts: { seed?: boolean; engine?: TestEngine; env?: Record<string, string> } = {},
): Promise<TestApp> {
  const db = await createTestDatabase(opts.engine);
  const config = loadConfig({ WENMING_DATA_DIR: db.dataDir, LOG_LEVEL: 'silent', ...opts.env });
  const clock = new TestClock();
  const sms = new CapturingSms();
  const ctx = await createContext(config, createLogger('silent'), { database: db.database, clock, sms });
  if (opts.seed !== false) await seedDemo(ctx);
  const app = await buildApp({ ctx, serveWeb: false });
  await app.ready();
  return {
    app,
    ctx,
    clock,
    sms,
    db,
    async close() {
      await app.close();
      await db.drop();
    },
  };
}

/** A signed-in HTTP client: carries the session cookie and the CSRF token like the web app does. */
export class Client {
  cookie: string | undefined;
  csrf: string | undefined;
  lang: string | undefined;
  constructor(readonly app: FastifyInstance) {}

  async request(
    method: InjectOptions['method'],
    url: string,
    payload?: unknown,
    headers: Record<string, string> = {},
  ) {
    const h: Record<string, string> = { ...headers };
    if (this.cookie) h.cookie = this.cookie;
    if (this.csrf && method !== 'GET' && !('x-csrf-token' in h)) h['x-csrf-token'] = this.csrf;
    if (this.lang) h['accept-language'] = this.lang;
    const res = await this.app.inject({
      method,
      url,
      payload: payload as InjectOptions['payload'],
      headers: h,
    });
    const set = res.cookies.find((c) => c.name === 'wm_session');
    if (set) this.cookie = set.value ? `wm_session=${set.value}` : undefined;
    return res;
  }
  get(url: string) {
    return this.request('GET', url);
  }
  post(url: string, body?: unknown) {
    return this.request('POST', url, body ?? {});
  }
  patch(url: string, body: unknown) {
    return this.request('PATCH', url, body);
  }
  put(url: string, body: unknown) {
    return this.request('PUT', url, body);
  }
  delete(url: string) {
    return this.request('DELETE', url);
  }

  async login(username: string, password = DEMO_PASSWORD): Promise<LightMyRequestResponse> {
    const res = await this.post('/api/auth/login', { username, password });
    if (res.statusCode === 200) this.csrf = res.json().csrfToken;
    return res;
  }
}

export async function signedIn(
  app: FastifyInstance,
  username: string,
  password = DEMO_PASSWORD,
): Promise<Client> {
  const c = new Client(app);
  const res = await c.login(username, password);
  if (res.statusCode !== 200) throw new Error(`login ${username} failed: ${res.statusCode} ${res.body}`);
  return c;
}

export async function unitId(t: TestApp, name: string): Promise<string> {
  const row = await t.ctx.database.db
    .selectFrom('org_units')
    .select('id')
    .where('name', '=', name)
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function auditCount(t: TestApp): Promise<number> {
  const r = await t.ctx.database.db
    .selectFrom('audit_log')
    .select((eb) => eb.fn.countAll().as('n'))
    .executeTakeFirst();
  return Number(r?.n ?? 0);
}

/** Runs the `wenming` CLI against this test's database, capturing what it prints. */
export async function runCliOn(t: TestApp, args: string[]): Promise<{ code: number; out: string }> {
  const saved = { ...process.env };
  process.env.WENMING_DATA_DIR = t.db.dataDir;
  if (t.ctx.database.engine === 'postgres') process.env.DATABASE_URL = t.ctx.database.location;
  else delete process.env.DATABASE_URL;
  const lines: string[] = [];
  const [log, error] = [console.log, console.error];
  console.log = (m: string) => lines.push(m);
  console.error = (m: string) => lines.push(m);
  try {
    return { code: await runCli(args), out: lines.join('\n') };
  } finally {
    [console.log, console.error] = [log, error];
    process.env = saved;
  }
}
