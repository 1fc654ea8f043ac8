// Campaigns: the office admin imports seed 001 by pasting it, checks the side-by-side preview (18 activities,
// clicking one highlights its source lines), saves it and opens the campaign. Then in English: a GB18030
// .txt upload, and a plan with an unknown unit (flagged, saving disabled until it is mapped).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { browserSuite, consoleLogin, expectText, screenshot } from './harness.ts';

const PASSWORD = 'Wenming@2026';
const FIXTURES = path.join(import.meta.dirname, '../../apps/server/src/modules/campaigns/plan/fixtures');
const SEED = readFileSync(path.join(FIXTURES, '001_785ff53e928aa9e6.txt'), 'utf8');
const UNKNOWN_PLAN =
  '2024年活动方案\n一、重点任务\n1.开展“清朗网络”行动。责任单位：市委宣传部、市网络信息中心\n';

const suite = browserSuite();

/** Moves the mouse away and waits for tooltips and messages to go, before a screenshot. */
async function settle(page: Page): Promise<void> {
  await page.mouse.move(0, 400);
  await expect
    .poll(() => page.locator('.ant-tooltip:visible, .ant-message-notice').count(), { timeout: 10_000 })
    .toBe(0);
}

describe('campaigns: import a plan, check it side by side, save it', () => {
  it('the office admin pastes seed 001, sees 18 activities, saves it and opens the campaign', async () => {
    await suite.run('campaigns-import', {}, async (page) => {
      await consoleLogin(page, suite.server.url, 'office_admin', PASSWORD);
      await page.locator('a[href="/campaigns"]').first().click();
      await page.waitForURL((u) => u.pathname === '/campaigns');
      await expectText(page.locator('.ant-page-header-heading-title'), '创建活动');
      await page.getByTestId('campaign-import').click();
      await page.waitForURL((u) => u.pathname === '/campaigns/import');

      await page.getByTestId('campaign-import-text').fill(SEED);
      await page.getByTestId('campaign-import-preview').click();
      await expectText(page.getByTestId('campaign-import-activity-count'), '18 项活动');
      await expect.poll(() => page.getByTestId('parsed-activity').count()).toBe(18);
      expect(await page.getByTestId('campaign-unresolved').count()).toBe(0);

      const first = page.getByTestId('parsed-activity').first();
      const name = (await first.locator('strong').textContent()) ?? '';
      await first.click();
      const selected = page.getByTestId('source-line-selected');
      await expect.poll(() => selected.count()).toBeGreaterThan(0);
      await expectText(selected.first(), name.replace(/^\S+\s/, '').slice(0, 6));
      await settle(page);
      await screenshot(page, 'campaigns-import-preview-zh');
      // The attachment's leadership group and four working groups, for checking (nothing is created).
      const roles = page.getByTestId('campaign-roles');
      await expectText(roles, '霸州市“双争”活动领导小组');
      expect(await page.getByTestId('campaign-role-group').count()).toBe(5);
      await roles.scrollIntoViewIfNeeded();
      await screenshot(page, 'campaigns-import-roles-zh');

      await page.getByTestId('campaign-save-name').fill('霸州市创建全国文明城市活动');
      await page.getByTestId('campaign-save').click();
      await page.waitForURL((u) => /^\/campaigns\/[0-9a-f-]{36}$/.test(u.pathname));
      await expectText(page.getByTestId('campaign-activity-count'), '18');
      await expectText(page.getByTestId('campaign-status'), '草稿');
      expect(await page.getByTestId('campaign-activity').count()).toBe(18);
      await expectText(page.getByTestId('campaign-section').first(), '市委宣传部');
      await settle(page);
      await screenshot(page, 'campaigns-detail-zh');

      await page.locator('a[href="/campaigns"]').first().click();
      await expectText(page.getByTestId('campaign-table'), '霸州市创建全国文明城市活动');
      await screenshot(page, 'campaigns-list-zh');
    });
  });

  it('in English: a GB18030 upload previews the same; an unknown unit is flagged and blocks saving', async () => {
    await suite.run('campaigns-import-en', {}, async (page) => {
      await page.context().addCookies([{ name: 'lang', value: 'en-US', url: suite.server.url }]);
      await consoleLogin(page, suite.server.url, 'office_admin', PASSWORD);
      await page.goto(`${suite.server.url}/campaigns/import`);
      await page
        .locator('input[type="file"]')
        .setInputFiles(path.join(FIXTURES, '001_785ff53e928aa9e6.gb18030.txt'));
      await expectText(page.getByTestId('campaign-import-activity-count'), 'Activities: 18');
      await page.getByTestId('parsed-activity').nth(8).click();
      await expect.poll(() => page.getByTestId('source-line-selected').count()).toBeGreaterThan(0);
      await settle(page);
      await screenshot(page, 'campaigns-import-preview-en');

      await page.getByTestId('campaign-import-back').click();
      await page.getByTestId('campaign-import-text').fill(UNKNOWN_PLAN);
      await page.getByTestId('campaign-import-preview').click();
      await expectText(page.getByTestId('campaign-unresolved'), '市网络信息中心');
      await expect.poll(() => page.getByTestId('parsed-unit-unresolved').count()).toBe(1);
      expect(await page.getByTestId('campaign-save').isDisabled()).toBe(true);
      await settle(page);
      await screenshot(page, 'campaigns-import-unresolved-en');

      await page.goto(`${suite.server.url}/campaigns`);
      await expectText(page.getByTestId('campaign-table'), '霸州市创建全国文明城市活动');
      // the demo campaign (active) is listed too: open the draft saved above
      const link = page.locator('[data-testid^="campaign-link-"]', { hasText: '霸州市创建全国文明城市活动' });
      await link.click();
      await expectText(page.getByTestId('campaign-status'), 'Draft');
      await settle(page);
      await screenshot(page, 'campaigns-detail-en');
    });
  });
});
