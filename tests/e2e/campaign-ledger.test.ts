// The campaign ledger loop of issue #4: the office imports seed 001 and activates it; the 市卫生健康局
// liaison files a report with a photo on the phone for activity 11 (文明健康 有你有我); the office returns it
// with a reason; the liaison resubmits; the office accepts; the cell turns green on the battle map.
// The tests run in order, each continuing where the previous one stopped.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { makeJpeg } from '../helpers/images.ts';
import { browserSuite, consoleLogin, expectText, screenshot } from './harness.ts';

const PASSWORD = 'Wenming@2026';
const SEED = readFileSync(
  path.join(
    import.meta.dirname,
    '../../apps/server/src/modules/campaigns/plan/fixtures/001_785ff53e928aa9e6.txt',
  ),
  'utf8',
);
const NAME = '双争活动台账（浏览器测试）';
const SUMMARY = '在人民公园开展健康知识宣传3场，发放宣传册800份。';
const REASON = '缺少活动现场照片说明，请补充。';

const suite = browserSuite();
let campaignId = '';
let reportId = '';

async function h5StaffLogin(page: Page, username: string): Promise<void> {
  await page.goto(`${suite.server.url}/h5/staff-login`);
  await page.getByTestId('h5-staff-username').fill(username);
  await page.getByTestId('h5-staff-password').fill(PASSWORD);
  await page.getByTestId('h5-staff-login').click();
  await page.getByTestId('h5-user-card').waitFor();
}

/** The report's summary box (antd-mobile's auto-sized TextArea keeps a hidden twin for measuring). */
const summaryBox = (page: Page) => page.locator('[data-testid="h5-report-summary"] textarea').first();

/** GET an API path with the page's session. */
function api<T>(page: Page, url: string): Promise<T> {
  return page.evaluate(async (u) => {
    const res = await fetch(u);
    if (!res.ok) throw new Error(`${u}: ${res.status}`);
    return res.json();
  }, url) as Promise<T>;
}

async function reportState(page: Page): Promise<string> {
  const r = await api<{ state: string }>(page, `/api/ledger/reports/${reportId}`);
  return r.state;
}

describe('campaign ledger: report on the phone, returned, resubmitted, accepted, green on the battle map', () => {
  it('the office imports seed 001 and activates it', async () => {
    await suite.run('ledger-import', {}, async (page) => {
      await consoleLogin(page, suite.server.url, 'office_admin', PASSWORD);
      await page.goto(`${suite.server.url}/campaigns/import`);
      await page.getByTestId('campaign-import-text').fill(SEED);
      await page.getByTestId('campaign-import-preview').click();
      await expectText(page.getByTestId('campaign-import-activity-count'), '18 项活动');
      await page.getByTestId('campaign-save-name').fill(NAME);
      await page.getByTestId('campaign-save').click();
      await expectText(page.getByTestId('campaign-status'), '草稿');
      campaignId = new URL(page.url()).pathname.split('/').pop() ?? '';
      expect(campaignId).toMatch(/^[0-9a-f-]{36}$/);
      await page.getByTestId('campaign-activate').click();
      await page.getByTestId('campaign-activate-ok').click();
      await expectText(page.getByTestId('campaign-status'), '进行中');
    });
  });

  it('the liaison files a report with a photo on the phone', async () => {
    await suite.run('ledger-h5-report', { mobile: true }, async (page) => {
      await h5StaffLogin(page, 'liaison');
      const tasks = await api<{
        items: { id: string; campaign: { id: string }; activity: { numeral: string } }[];
      }>(page, `/api/ledger/my-tasks?campaignId=${campaignId}`);
      const task = tasks.items.find((i) => i.activity.numeral === '11.');
      expect(task).toBeDefined();
      const instanceId = task?.id ?? '';

      await page.getByTestId('h5-feature-tasks').click();
      await page.getByTestId('h5-ledger-tasks').waitFor();
      await expectText(page.getByTestId(`h5-task-${instanceId}`), '文明健康 有你有我');
      await page.getByTestId(`h5-task-report-${instanceId}`).click();
      await summaryBox(page).fill(SUMMARY);
      const photo = await makeJpeg({ width: 800, height: 600, color: '#3a7', pattern: 7 });
      const uploaded = page.waitForResponse(
        (r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/api/files',
      );
      await page
        .getByTestId('evidence-picker')
        .locator('input[type=file]')
        .setInputFiles({ name: '健康宣传.jpg', mimeType: 'image/jpeg', buffer: photo });
      expect((await uploaded).status()).toBe(201);
      await expect
        .poll(() =>
          page
            .locator('[data-testid="evidence-picker"] img')
            .evaluateAll(
              (imgs) => imgs.length === 1 && imgs.every((i) => (i as HTMLImageElement).naturalWidth > 0),
            ),
        )
        .toBe(true);
      await screenshot(page, 'ledger-h5-report-form-zh');
      await page.getByTestId('h5-report-submit').click();
      await page.getByTestId('h5-ledger-reports').waitFor();
      const mine = await api<{ items: { id: string; state: string; summary: string }[] }>(
        page,
        `/api/ledger/reports?campaignId=${campaignId}`,
      );
      const r = mine.items.find((i) => i.summary === SUMMARY);
      expect(r?.state).toBe('submitted');
      reportId = r?.id ?? '';
      await expectText(page.getByTestId(`h5-report-state-${reportId}`), '待审核');
      await screenshot(page, 'ledger-h5-reports-zh');
    });
  });

  it('the office returns it with a reason', async () => {
    await suite.run('ledger-return', {}, async (page) => {
      await consoleLogin(page, suite.server.url, 'office_admin', PASSWORD);
      await page.goto(`${suite.server.url}/ledger/${reportId}`);
      await expectText(page.getByTestId('ledger-summary'), SUMMARY);
      // The photo is shown as its thumbnail, and it has loaded.
      await expect
        .poll(() =>
          page
            .locator('img[src*="/api/files/"]')
            .evaluateAll(
              (imgs) => imgs.length > 0 && imgs.every((i) => (i as HTMLImageElement).naturalWidth > 0),
            ),
        )
        .toBe(true);
      await page.getByTestId('ledger-action-return').click();
      // The reason is required: the form says so before anything is sent.
      await page.getByTestId('ledger-action-confirm').click();
      await expectText(page.locator('.ant-modal-content'), '请');
      await page.getByTestId('ledger-action-note').fill(REASON);
      await page.getByTestId('ledger-action-confirm').click();
      await expectText(page.getByTestId('ledger-return-reason'), REASON);
      expect(await reportState(page)).toBe('returned');
      await screenshot(page, 'ledger-console-returned-zh');
    });
  });

  it('the liaison sees the reason on the phone and resubmits', async () => {
    await suite.run('ledger-h5-resubmit', { mobile: true }, async (page) => {
      await h5StaffLogin(page, 'liaison');
      await page.goto(`${suite.server.url}/h5/ledger?tab=reports`);
      await expectText(page.getByTestId(`h5-report-reason-${reportId}`), REASON);
      await page.getByTestId(`h5-report-${reportId}`).click();
      await expectText(page.getByTestId('h5-report-return-reason'), REASON);
      await summaryBox(page).fill(`${SUMMARY}已补充现场照片说明。`);
      await page.getByTestId('h5-report-submit').click();
      await page.getByTestId('h5-ledger-reports').waitFor();
      await expect.poll(() => reportState(page)).toBe('submitted');
    });
  });

  it('the office accepts and the cell turns green on the battle map', async () => {
    await suite.run('ledger-accept', {}, async (page) => {
      await consoleLogin(page, suite.server.url, 'office_admin', PASSWORD);
      await page.goto(`${suite.server.url}/ledger/${reportId}`);
      await page.getByTestId('ledger-action-accept').click();
      await expect.poll(() => reportState(page)).toBe('accepted');

      const map = await api<{
        activities: { id: string; numeral: string }[];
        units: { id: string; name: string }[];
        cells: { activityId: string; unitId: string; color: string }[];
      }>(page, `/api/campaigns/${campaignId}/battlemap`);
      const activity = map.activities.find((a) => a.numeral === '11.');
      const unit = map.units.find((u) => u.name === '市卫生健康局');
      expect(activity && unit).toBeTruthy();
      await page.goto(`${suite.server.url}/battlemap?campaign=${campaignId}`);
      const cell = page.getByTestId(`bm-cell-${activity?.id}-${unit?.id}`);
      await expect.poll(() => cell.getAttribute('data-color')).toBe('green');
      // Every other cell of activity 11 has no accepted report yet: none of them is green.
      const others = await page
        .locator(`[data-testid^="bm-cell-${activity?.id}-"]`)
        .evaluateAll((els) => els.map((e) => e.getAttribute('data-color')));
      expect(others.filter((c) => c === 'green')).toHaveLength(1);
      await screenshot(page, 'ledger-battlemap-green-zh');
      // The cell's drawer keeps the instance's colour history: red when created (2022 is long past), green now.
      await cell.click();
      await page.getByTestId('bm-drawer').waitFor();
      await page.getByTestId('bm-instance-history').locator('.ant-collapse-header').click();
      const history = page.getByTestId('bm-instance-history');
      await expectText(history, '绿：已于');
      await expectText(history, '红：截止2022-12-31');
      await screenshot(page, 'ledger-battlemap-history-zh');
    });
  });
});
