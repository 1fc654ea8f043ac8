// 挂图作战: the office imports seed 001 (moved so that it runs now) and activates it; then the battle map
// shows its activities × units, a colour filter keeps only the cells of that colour, a cell opens a drawer
// with its tasks and reasons, the rankings and the (schematic) township map render; the leader opens the
// cockpit. Screenshots at 1366 px in Chinese and English.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { rebasePlanText } from '../../apps/server/src/seed/rebase.ts';
import { browserSuite, consoleLogin, expectText, screenshot } from './harness.ts';

const PASSWORD = 'Wenming@2026';
const FIXTURES = path.join(import.meta.dirname, '../../apps/server/src/modules/campaigns/plan/fixtures');
const SEED = readFileSync(path.join(FIXTURES, '001_785ff53e928aa9e6.txt'), 'utf8');

const suite = browserSuite();
const WAIT = { timeout: 15_000 };

/** The smallest screen the console is meant for. */
const SMALL = { width: 1366, height: 768 };
let campaignId = '';

/** Signs in over HTTP as the office and returns a caller with its cookie and CSRF token. */
async function officeApi(base: string) {
  const login = await fetch(`${base}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'office_admin', password: PASSWORD }),
  });
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0];
  const { csrfToken } = (await login.json()) as { csrfToken: string };
  return async (url: string, body: unknown) => {
    const res = await fetch(`${base}${url}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrfToken },
      body: JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`${url}: ${res.status} ${await res.text()}`);
    return (await res.json()) as { id: string };
  };
}

/** Moves the mouse away and waits for tooltips to go, before a screenshot. */
async function settle(page: Page): Promise<void> {
  await page.mouse.move(0, 700);
  await expect.poll(() => page.locator('.ant-tooltip:visible, .ant-message-notice').count(), WAIT).toBe(0);
}

beforeAll(async () => {
  // The plan's first month two months before this one: some deadlines past, some ahead.
  const now = new Date();
  const months = (now.getUTCFullYear() - 2022) * 12 + (now.getUTCMonth() + 1 - 9) - 2;
  const text = rebasePlanText(SEED, months);
  const post = await officeApi(suite.server.url);
  const year = Number(/(\d{4})年\d{1,2}月\d{1,2}日/.exec(text)?.[1] ?? now.getUTCFullYear());
  campaignId = (await post('/api/campaigns', { name: '挂图作战演示活动', year, text })).id;
  await post(`/api/campaigns/${campaignId}/activate`, {});
});

describe('battle map: matrix, colour filter, cell drawer, rankings, township map, cockpit', () => {
  it('the office reads the matrix, filters by a colour, opens a cell, then the rankings and the map', async () => {
    await suite.run('battlemap-zh', {}, async (page) => {
      await page.setViewportSize(SMALL);
      await consoleLogin(page, suite.server.url, 'office_admin', PASSWORD);
      await page.locator('a[href="/battlemap"]').first().click();
      await page.waitForURL((u) => u.pathname === '/battlemap' && u.searchParams.has('campaign'));
      await page.goto(`${suite.server.url}/battlemap?campaign=${campaignId}`);
      await expect.poll(() => page.getByTestId('bm-row').count(), WAIT).toBe(18);
      expect(await page.getByTestId('bm-unit').count()).toBeGreaterThan(40);
      await expectText(page.getByTestId('bm-legend'), '红');
      await settle(page);
      await screenshot(page, 'battlemap-matrix-zh');

      // The worst colour present: filter by it, every cell left has that colour.
      const colours = await page
        .locator('[data-testid^="bm-cell-"]')
        .evaluateAll((els) => els.map((e) => e.getAttribute('data-color')));
      const pick = ['red', 'orange', 'yellow', 'blue', 'green'].find((c) => colours.includes(c)) as string;
      await page.getByTestId(`bm-legend-${pick}`).click();
      await page.waitForURL((u) => u.searchParams.get('color') === pick);
      await expect
        .poll(
          async () =>
            (
              await page
                .locator('[data-testid^="bm-cell-"]')
                .evaluateAll((els) => els.map((e) => e.getAttribute('data-color')))
            ).every((c) => c === pick),
          WAIT,
        )
        .toBe(true);
      const cell = page.locator('[data-testid^="bm-cell-"]').first();
      await cell.hover();
      await expect.poll(() => page.locator('.ant-tooltip:visible').count(), WAIT).toBeGreaterThan(0);
      await screenshot(page, 'battlemap-filtered-tooltip-zh');
      await cell.click();
      await expect.poll(() => page.getByTestId('bm-instance').count(), WAIT).toBeGreaterThan(0);
      await expectText(page.getByTestId('bm-instance-reason').first(), '：');
      await screenshot(page, 'battlemap-drawer-zh');
      await page.keyboard.press('Escape');

      await page.getByTestId('bm-tab-rankings').click();
      await page.waitForURL((u) => u.pathname === '/battlemap/rankings');
      await expect.poll(() => page.getByTestId('bm-rank-unit').count(), WAIT).toBeGreaterThan(10);
      await settle(page);
      await screenshot(page, 'battlemap-rankings-zh');

      await page.getByTestId('bm-tab-map').click();
      await page.waitForURL((u) => u.pathname === '/battlemap/map');
      await expectText(page.getByTestId('bm-schematic'), '示意图');
      await expect
        .poll(() => page.locator('[data-testid="bm-township-map"] canvas').count(), WAIT)
        .toBeGreaterThan(0);
      await settle(page);
      await screenshot(page, 'battlemap-map-zh');

      // A click on a township opens its column of the matrix (the frame's centre is always some township).
      const canvas = page.locator('[data-testid="bm-township-map"] canvas').first();
      const box = await canvas.boundingBox();
      if (!box) throw new Error('the map has no canvas');
      await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
      await page.waitForURL(
        (u) => u.pathname === '/battlemap' && (u.searchParams.get('scope') ?? '').startsWith('u:'),
      );
      await expect.poll(() => page.getByTestId('bm-unit').count(), WAIT).toBe(1);
    });
  });

  it('the leader opens the cockpit (read-only) in Chinese', async () => {
    await suite.run('cockpit-zh', {}, async (page) => {
      await page.setViewportSize(SMALL);
      await consoleLogin(page, suite.server.url, 'leader', PASSWORD);
      await page.locator('a[href="/cockpit"]').first().click();
      await page.goto(`${suite.server.url}/cockpit?campaign=${campaignId}`);
      await expect.poll(() => page.getByTestId('cockpit-distribution').count(), WAIT).toBe(1);
      await expectText(page.getByTestId('cockpit-supervision'), '督办单');
      await expect
        .poll(() => page.locator('[data-testid="bm-township-map"] canvas').count(), WAIT)
        .toBeGreaterThan(0);
      await expect
        .poll(() => page.locator('[data-testid="cockpit-top"] [data-testid="bm-rank-unit"]').count(), WAIT)
        .toBe(5);
      await settle(page);
      await screenshot(page, 'battlemap-cockpit-zh');
    });
  });

  it('a unit liaison sees its own unit’s column only', async () => {
    await suite.run('battlemap-liaison', {}, async (page) => {
      await page.setViewportSize(SMALL);
      await consoleLogin(page, suite.server.url, 'liaison', PASSWORD);
      await page.goto(`${suite.server.url}/battlemap?campaign=${campaignId}`);
      await expect.poll(() => page.getByTestId('bm-unit').count(), WAIT).toBe(1);
      await expectText(page.getByTestId('bm-unit').first(), '市卫');
      expect(await page.getByTestId('bm-row').count()).toBeGreaterThan(0);
      await settle(page);
      await screenshot(page, 'battlemap-liaison-zh');
    });
  });

  it('in English: the matrix, the rankings, the map and the cockpit', async () => {
    await suite.run('battlemap-en', {}, async (page) => {
      await page.setViewportSize(SMALL);
      await page.context().addCookies([{ name: 'lang', value: 'en-US', url: suite.server.url }]);
      await consoleLogin(page, suite.server.url, 'leader', PASSWORD);
      await page.goto(`${suite.server.url}/battlemap?campaign=${campaignId}`);
      await expect.poll(() => page.getByTestId('bm-row').count(), WAIT).toBe(18);
      await expectText(page.getByTestId('bm-legend'), 'Red');
      await settle(page);
      await screenshot(page, 'battlemap-matrix-en');
      await page.locator('[data-testid^="bm-cell-"]').first().click();
      await expect.poll(() => page.getByTestId('bm-instance').count(), WAIT).toBeGreaterThan(0);
      await screenshot(page, 'battlemap-drawer-en');
      await page.keyboard.press('Escape');
      await page.goto(`${suite.server.url}/battlemap/rankings?campaign=${campaignId}`);
      await expect.poll(() => page.getByTestId('bm-rank-unit').count(), WAIT).toBeGreaterThan(10);
      await settle(page);
      await screenshot(page, 'battlemap-rankings-en');
      await page.goto(`${suite.server.url}/battlemap/map?campaign=${campaignId}`);
      await expectText(page.getByTestId('bm-schematic'), 'Schematic');
      await expect
        .poll(() => page.locator('[data-testid="bm-township-map"] canvas').count(), WAIT)
        .toBeGreaterThan(0);
      await settle(page);
      await screenshot(page, 'battlemap-map-en');
      await page.goto(`${suite.server.url}/cockpit?campaign=${campaignId}`);
      await expect.poll(() => page.getByTestId('cockpit-distribution').count(), WAIT).toBe(1);
      await expect
        .poll(() => page.locator('[data-testid="bm-township-map"] canvas').count(), WAIT)
        .toBeGreaterThan(0);
      await settle(page);
      await screenshot(page, 'battlemap-cockpit-en');
    });
  });
});
