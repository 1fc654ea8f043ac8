// Campaign tasks: the office admin imports seed 001, activates it (tasks and instances are created),
// edits a task's target in the 任务 tab, sends a deployment from the 部署 tab and looks at the 设置 tab;
// then the same pages in English.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { browserSuite, consoleLogin, expectText, screenshot } from './harness.ts';

const PASSWORD = 'Wenming@2026';
const FIXTURES = path.join(import.meta.dirname, '../../apps/server/src/modules/campaigns/plan/fixtures');
const SEED = readFileSync(path.join(FIXTURES, '001_785ff53e928aa9e6.txt'), 'utf8');
const NAME = '文明城市创建任务演练';

const suite = browserSuite();

async function settle(page: Page): Promise<void> {
  await page.mouse.move(0, 400);
  await expect
    .poll(() => page.locator('.ant-tooltip:visible, .ant-message-notice, .ant-popover:visible').count(), {
      timeout: 10_000,
    })
    .toBe(0);
}

let campaignUrl = '';

/** The n-th task's row of the task table (one row per task, document order). */
const taskRow = (page: Page, n: number) =>
  page
    .getByTestId('task-table')
    .locator('tbody tr')
    .filter({ has: page.getByTestId('task-row') })
    .nth(n);

describe('campaign tasks: activate, edit a target, deploy', () => {
  it('the office admin activates the imported plan, edits a task’s target and sends a deployment', async () => {
    await suite.run('campaign-tasks', {}, async (page) => {
      await consoleLogin(page, suite.server.url, 'office_admin', PASSWORD);
      await page.goto(`${suite.server.url}/campaigns/import`);
      await page.getByTestId('campaign-import-text').fill(SEED);
      await page.getByTestId('campaign-import-preview').click();
      await expectText(page.getByTestId('campaign-import-activity-count'), '18 项活动');
      await page.getByTestId('campaign-save-name').fill(NAME);
      await page.getByTestId('campaign-save').click();
      await page.waitForURL((u) => /^\/campaigns\/[0-9a-f-]{36}$/.test(u.pathname));
      campaignUrl = page.url();
      await expectText(page.getByTestId('campaign-status'), '草稿');

      await page.getByTestId('campaign-activate').click();
      await page.getByTestId('campaign-activate-ok').click();
      await expectText(page.getByTestId('campaign-status'), '进行中');
      await expect.poll(() => page.getByTestId('campaign-activate').count(), { timeout: 20_000 }).toBe(0);

      await page.getByTestId('campaign-tab-tasks').click();
      await expect.poll(() => page.getByTestId('task-activity').count(), { timeout: 20_000 }).toBe(18);
      // activity 2: 3 条 党史学习教育主题学习参观线路 for each of its 42 units
      const row = taskRow(page, 1);
      await expectText(row.getByTestId('task-targets-text'), '3条');
      await expectText(row.getByTestId('task-instances'), '42');
      await settle(page);
      await screenshot(page, 'campaign-tasks-zh');

      await row.locator('[data-testid^="task-edit-"]').click();
      await page.getByTestId('task-target-quantity').first().fill('5');
      await page.getByTestId('task-save').click();
      await expectText(taskRow(page, 1).getByTestId('task-targets-text'), '5条');

      await taskRow(page, 1).locator('[data-testid^="task-edit-"]').click();
      await page.getByTestId('task-target-quantity').first().fill('2.5');
      await page.getByTestId('task-save').click();
      await expectText(page.getByTestId('task-target').first(), '以“条”计的数量应为整数');
      await settle(page);
      await screenshot(page, 'campaign-task-drawer-zh');
      await page.keyboard.press('Escape');
      await expectText(taskRow(page, 1).getByTestId('task-targets-text'), '5条');

      await page.getByTestId('campaign-tab-deployments').click();
      await page.getByTestId('deployment-new').click();
      await page.getByTestId('deployment-title').fill('关于全面开展“双争”活动的部署通知');
      await page.getByTestId('deployment-body').fill('请各责任单位对照任务清单抓好落实，并于三日内签收。');
      await page.getByTestId('deployment-send').click();
      await expect.poll(() => page.getByTestId('deployment-link').count(), { timeout: 20_000 }).toBe(1);
      await expectText(page.getByTestId('deployment-counts'), '已签收 0/');
      await settle(page);
      await screenshot(page, 'campaign-deployments-zh');

      await page.getByTestId('campaign-tab-settings').click();
      await page.getByTestId('settings-preset').click();
      await page.locator('.ant-select-item-option').filter({ hasText: '商丘式' }).click();
      await page.getByTestId('settings-save').click();
      await expectText(page.locator('.ant-descriptions'), '商丘式');
      await settle(page);
      await screenshot(page, 'campaign-settings-zh');
    });
  });

  it('in English: the same tabs, read back', async () => {
    await suite.run('campaign-tasks-en', {}, async (page) => {
      await page.context().addCookies([{ name: 'lang', value: 'en-US', url: suite.server.url }]);
      await consoleLogin(page, suite.server.url, 'office_admin', PASSWORD);
      await page.goto(`${campaignUrl}?tab=tasks`);
      await expect.poll(() => page.getByTestId('task-activity').count(), { timeout: 20_000 }).toBe(18);
      await expectText(taskRow(page, 1).getByTestId('task-targets-text'), '5条');
      await settle(page);
      await screenshot(page, 'campaign-tasks-en');
      await page.getByTestId('campaign-tab-settings').click();
      await expectText(page.getByTestId('campaign-settings'), 'Shangqiu');
      await settle(page);
      await screenshot(page, 'campaign-settings-en');
      await page.getByTestId('campaign-tab-deployments').click();
      await expectText(page.getByTestId('deployment-counts'), 'Acknowledged 0/');
      await settle(page);
      await screenshot(page, 'campaign-deployments-en');
    });
  });
});
