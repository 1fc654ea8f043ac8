// The case ban list on the console (禁止名单): the office bans a phone through the dialog and an IP
// address over the API, sees both (the phone masked), lifts the address, and finds it under 全部 as
// lifted. Then the page in English. Screenshots at 1366 px.
import { describe, expect, it } from 'vitest';
import { apiAs, PASSWORD } from './cases-helpers.ts';
import { browserSuite, consoleLogin, expectText, screenshot } from './harness.ts';

const suite = browserSuite();

/** Adds an IP ban over HTTP, as the office. */
async function banIp(ip: string, reason: string): Promise<void> {
  const office = await apiAs(suite.server, 'office_admin');
  await office.post('/api/case-bans', { ip, reason });
}

describe('case ban list (console)', () => {
  it('the office bans a phone and an address, lifts one, in zh-CN and en-US', async () => {
    await banIp('203.0.113.7', '脚本批量提交');
    await suite.run('case-bans', {}, async (page) => {
      await consoleLogin(page, suite.server.url, 'office_admin', PASSWORD);
      await page.goto(`${suite.server.url}/case-bans`);
      const table = page.getByTestId('case-bans-table');
      await expectText(table, '203.0.113.7');

      await page.getByTestId('case-ban-new').click();
      await page.getByTestId('case-ban-phone').fill('1390013');
      await page.getByTestId('case-ban-reason').fill('反复提交辱骂内容');
      await page.getByTestId('case-ban-save').click();
      // a number too short is named on its field
      await expectText(page.locator('.ant-modal'), '请输入正确的 11 位手机号');
      await page.getByTestId('case-ban-phone').fill('13900139123');
      await page.getByTestId('case-ban-save').click();
      await expectText(table, '139****9123');
      expect(await table.textContent()).not.toContain('13900139123');
      await screenshot(page, 'case-bans-zh-CN');

      const row = table.locator('tr', { hasText: '203.0.113.7' });
      await row.locator('[data-testid^="case-ban-lift-"]').click();
      await page.getByTestId('case-ban-lift-ok').click();
      await expect.poll(async () => (await table.textContent())?.includes('203.0.113.7')).toBe(false);
      await page.getByTestId('case-bans-filter').getByText('全部').click();
      await expectText(table.locator('tr', { hasText: '203.0.113.7' }), '已解除');

      await page.getByText('English', { exact: true }).click();
      await expectText(page.locator('body'), 'Ban list');
      await page.getByTestId('case-bans-filter').getByText('All').click();
      await expectText(table.locator('tr', { hasText: '203.0.113.7' }), 'Lifted');
      await page.getByTestId('case-ban-new').click();
      await page.getByTestId('case-ban-kind').getByText('IP address').click();
      await expectText(page.locator('.ant-modal'), 'An IPv4 or IPv6 address');
      await screenshot(page, 'case-bans-en-US-dialog');
      await page.keyboard.press('Escape');
      await page.locator('.ant-modal').waitFor({ state: 'hidden' });
      await screenshot(page, 'case-bans-en-US');
    });
  });
});
