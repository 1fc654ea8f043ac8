// The 12345 import and the API keys on the console: the office uploads the invented export (a dry
// run starts at once), imports it, opens the mapping editor for a file whose headers do not match;
// creates an API key (shown once) and revokes it. zh-CN, then en-US. Screenshots at 1366 px.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { browserSuite, consoleLogin, expectText, screenshot } from './harness.ts';

const PASSWORD = 'Wenming@2026';
const FIXTURES = path.join(import.meta.dirname, '../fixtures/hotline');
const suite = browserSuite();

describe('12345 import and API keys (console)', () => {
  it('the office dry-runs and imports an export, and fixes the mapping for a foreign file', async () => {
    await suite.run('hotline-import', {}, async (page) => {
      await consoleLogin(page, suite.server.url, 'office_admin', PASSWORD);
      // the mapping opens once it has loaded (it once opened empty, and the values arriving then undid
      // the first choices); a change cancelled is gone at the next opening
      let release = () => {};
      const mappingHeld = new Promise<void>((resolve) => {
        release = resolve;
      });
      await page.route('**/api/case-imports/mapping', async (route) => {
        if (route.request().method() === 'GET') await mappingHeld;
        await route.continue();
      });
      await page.goto(`${suite.server.url}/cases/hotline-import`);
      await expect.poll(() => page.getByTestId('hotline-edit-mapping').isDisabled()).toBe(true);
      release();
      await page.getByTestId('hotline-edit-mapping').click();
      const drawer = page.locator('.ant-drawer-open');
      const contactName = drawer.getByTestId('hotline-column-contactName');
      await expectText(contactName, '联系人');
      await contactName.click();
      await page.locator('.ant-select-dropdown:visible').getByText('（文件中没有此列）').click();
      await expectText(contactName, '（文件中没有此列）');
      await drawer.getByRole('button', { name: /取\s*消/ }).click();
      await drawer.waitFor({ state: 'detached' });
      await page.getByTestId('hotline-edit-mapping').click();
      await expectText(contactName, '联系人');
      await page.keyboard.press('Escape');
      await drawer.waitFor({ state: 'detached' });

      await page.locator('input[type=file]').setInputFiles(path.join(FIXTURES, '12345-export.xlsx'));
      const report = page.getByTestId('hotline-report');
      await expectText(report, '试导入结果');
      await expectText(page.getByTestId('hotline-count-created'), '8');
      await expectText(page.getByTestId('hotline-count-rejected'), '5');
      await expectText(report, '与第 3 行的工单编号重复');
      await screenshot(page, 'hotline-dry-run-zh-CN');

      await page.getByTestId('hotline-import').click();
      await expectText(report, '导入结果');
      await expect.poll(async () => (await report.textContent())?.includes('试导入结果')).toBe(false);
      await expectText(page.locator('.ant-pro-table'), '12345-export.xlsx');
      await screenshot(page, 'hotline-imported-zh-CN');

      await page.locator('input[type=file]').setInputFiles({
        name: 'other.csv',
        mimeType: 'text/csv',
        buffer: Buffer.from('编号,来电日期,内容\r\n1,2026-02-26,路灯不亮\r\n', 'utf8'),
      });
      await expectText(page.getByTestId('hotline-missing'), '工单编号');
      await page.getByTestId('hotline-missing').getByRole('button').click();
      await expectText(page.locator('.ant-drawer'), '文件中的列：编号、来电日期、内容');
      await screenshot(page, 'hotline-mapping-zh-CN');
      await page.keyboard.press('Escape');
      await page.locator('.ant-drawer-content').waitFor({ state: 'hidden' });

      await page.getByText('English', { exact: true }).click();
      await expectText(page.locator('body'), '12345 hotline import');
      await page.locator('.ant-pro-table').getByText('View result').first().click();
      await expectText(report, 'the same order number as row 3');
      await screenshot(page, 'hotline-en-US');
    });
  });

  it('the office creates an API key, sees it once, and revokes it', async () => {
    await suite.run('api-keys', {}, async (page) => {
      await consoleLogin(page, suite.server.url, 'office_admin', PASSWORD);
      await page.goto(`${suite.server.url}/cases/api-keys`);
      await page.getByTestId('api-key-create').click();
      await page.getByTestId('api-key-name').fill('南孟镇网格化平台');
      await page.getByTestId('api-key-save').click();
      const value = page.getByTestId('api-key-value');
      await expectText(value, 'wm_');
      const key = (await value.textContent()) ?? '';
      // the dialog zooms in: wait until it is drawn in full
      await expect
        .poll(() => page.locator('.ant-modal').evaluate((el) => getComputedStyle(el).opacity))
        .toBe('1');
      await screenshot(page, 'api-keys-shown-zh-CN');
      await page.getByTestId('api-key-shown-close').click();
      await value.waitFor({ state: 'detached' });
      const row = page.locator('tr', { hasText: '南孟镇网格化平台' });
      await expectText(row, '有效');
      expect(await page.locator('body').textContent()).not.toContain(key.slice(10));
      await screenshot(page, 'api-keys-zh-CN');

      await row.locator('[data-testid^="api-key-revoke-"]').click();
      await page.getByTestId('api-key-revoke-ok').click();
      await expectText(row, '已吊销');
      await page.getByText('English', { exact: true }).click();
      await expectText(page.locator('tr', { hasText: '南孟镇网格化平台' }), 'Revoked');
      await screenshot(page, 'api-keys-en-US');
    });
  });
});
