import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { type Browser, type BrowserContext, chromium, type Locator, type Page } from 'playwright-core';
import { afterAll, beforeAll, expect } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');
export const SCREENSHOTS = path.join(ROOT, 'test-results', 'e2e');

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

export interface RunningServer {
  url: string;
  dataDir: string;
  /** The latest one-time code the development SMS sender "sent" to this phone. */
  smsCode(phone: string): string;
  stop(): Promise<void>;
}

/** Starts the real server (built web app, demo seed, SQLite in a temp dir) on a free loopback port. */
export async function startServer(env: Record<string, string> = {}): Promise<RunningServer> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'wenming-e2e-'));
  const port = await freePort();
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', path.join(ROOT, 'apps/server/src/main.ts')],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        PORT: String(port),
        HOST: '127.0.0.1',
        WENMING_DATA_DIR: dataDir,
        LOG_LEVEL: 'warn',
        // The demo campaign's reports and notifications would change what other tests count; the
        // demo-campaign browser test turns it on.
        WENMING_SEED_DEMO_CAMPAIGN: 'false',
        WENMING_SEED_DEMO_CASES: 'false',
        ...env,
      },
      stdio: ['ignore', 'inherit', 'inherit'],
    },
  );
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
    try {
      const res = await fetch(`${url}/api/health`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error('server did not become healthy within 60 s');
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url,
    dataDir,
    smsCode(phone: string) {
      const lines = readFileSync(path.join(dataDir, 'sms-outbox.jsonl'), 'utf8').trim().split('\n');
      for (const line of lines.reverse()) {
        const m = JSON.parse(line) as { to: string; text: string };
        const code = m.to === phone ? m.text.match(/(\d{6})/)?.[1] : undefined;
        if (code) return code;
      }
      throw new Error(`no SMS to ${phone}`);
    },
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await new Promise((r) => child.once('exit', r));
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-sync',
    ],
  });
}

export async function newPage(
  browser: Browser,
  opts: { mobile?: boolean } = {},
): Promise<{ context: BrowserContext; page: Page }> {
  // Reduced motion: the console then draws no zoom/slide animations, so a click never lands on a
  // dialog that is still moving (its target slid away between pointer down and up).
  const context = await browser.newContext(
    opts.mobile
      ? { viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true, locale: 'zh-CN' }
      : { viewport: { width: 1366, height: 800 }, locale: 'zh-CN', reducedMotion: 'reduce' },
  );
  const page = await context.newPage();
  return { context, page };
}

/** Saves a full-page screenshot under test-results/e2e/ (kept as a CI artefact on failure). */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const file = path.join(SCREENSHOTS, `${name.replace(/[^\w.-]+/g, '_')}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/** For a test's catch block: saves `<name>-failure.png`, never throwing (the test's own error is what matters). */
export async function failureScreenshot(page: Page | undefined, name: string): Promise<void> {
  if (!page || page.isClosed()) return;
  try {
    await screenshot(page, `${name}-failure`);
  } catch (e) {
    console.error(`could not save the failure screenshot ${name}: ${String(e)}`);
  }
}

/** Signs in on the admin console's login page (no TOTP) and waits until the login page is left. */
export async function consoleLogin(
  page: Page,
  baseUrl: string,
  username: string,
  password: string,
): Promise<void> {
  await page.goto(`${baseUrl}/login`);
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
  await page.waitForURL((u) => !u.pathname.startsWith('/login'));
}

/**
 * Records what went wrong in a page (uncaught errors, console errors, failed or 4xx/5xx requests), for a failing
 * test to print next to its screenshot. `report()` returns the lines recorded since the last call.
 */
export function watchPage(page: Page): { report(): string } {
  let lines: string[] = [];
  const at = () => new Date().toISOString().slice(11, 23);
  page.on('pageerror', (e) => lines.push(`${at()} pageerror: ${e.message}`));
  // signed out, every page load asks /api/auth/me and gets a 401: expected, so not worth reporting
  const signedOut = (url: string, status: number) => status === 401 && url.endsWith('/api/auth/me');
  page.on('console', (m) => {
    if (m.type() !== 'error') return;
    if (m.text().includes('401') && signedOut(m.location().url, 401)) return;
    lines.push(`${at()} console.error: ${m.text()}`);
  });
  page.on('requestfailed', (r) =>
    lines.push(`${at()} request failed: ${r.method()} ${r.url()} ${r.failure()?.errorText}`),
  );
  page.on('response', (r) => {
    if (r.status() < 400 || signedOut(r.url(), r.status())) return;
    const line = `${at()} HTTP ${r.status()}: ${r.request().method()} ${r.url()}`;
    // API errors carry { error: { code, message } }: worth a look when a test fails
    r.json()
      .then((b: { error?: { code?: string; message?: string } }) =>
        lines.push(`${line} ${b.error?.code ?? ''} ${b.error?.message ?? ''}`),
      )
      .catch(() => lines.push(line));
  });
  return {
    report() {
      const out = lines.join('\n');
      lines = [];
      return out;
    },
  };
}

/** Cancels the open dialog (取消) and waits until no dialog is shown. */
export async function cancelDialog(page: Page): Promise<void> {
  await page
    .locator('.ant-modal:visible')
    .getByRole('button', { name: /取\s*消/ })
    .click();
  await expect.poll(() => page.locator('.ant-modal:visible').count(), { timeout: 10_000 }).toBe(0);
}

/** Waits until the locator's text contains `text` (bounded, no fixed sleeps). */
export async function expectText(loc: Locator, text: string, timeout = 15_000): Promise<void> {
  await expect.poll(async () => (await loc.textContent()) ?? '', { timeout }).toContain(text);
}

export interface BrowserSuite {
  readonly server: RunningServer;
  readonly browser: Browser;
  /**
   * Runs `body` in a fresh browser context (its own cookies and language); on failure the page is
   * screenshotted and what it recorded (errors, failed API calls) is printed before the error is rethrown.
   */
  run(name: string, opts: { mobile?: boolean }, body: (page: Page) => Promise<void>): Promise<void>;
}

/** One server and one browser for a test file, started in beforeAll and stopped in afterAll. */
export function browserSuite(env: Record<string, string> = {}): BrowserSuite {
  let server: RunningServer | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    [server, browser] = await Promise.all([startServer(env), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });
  const need = <T>(v: T | undefined): T => {
    if (!v) throw new Error('the browser suite has not started');
    return v;
  };
  return {
    get server() {
      return need(server);
    },
    get browser() {
      return need(browser);
    },
    async run(name, opts, body) {
      const { context, page } = await newPage(need(browser), opts);
      page.setDefaultTimeout(15_000);
      page.setDefaultNavigationTimeout(30_000);
      const diag = watchPage(page);
      try {
        await body(page);
      } catch (e) {
        await failureScreenshot(page, name);
        console.error(`${name} failed at ${page.url()}; the page recorded:\n${diag.report()}`);
        throw e;
      } finally {
        await context.close().catch(() => undefined);
      }
    },
  };
}
