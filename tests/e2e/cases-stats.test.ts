// 诉求统计, 公开看板 and the H5 board on the demo cases (WENMING_SEED_DEMO_CASES): the office sees the unit
// table with totals, sorts it, issues a circular (SQTB-…) and gets the download; the console board and the
// public H5 board (no sign-in) show the same totals. Screenshots: console at 1366 px, H5 at 375 px, zh-CN
// and en-US.
import { describe, expect, it } from 'vitest';
import { browserSuite, consoleLogin, expectText, screenshot } from './harness.ts';

const PASSWORD = 'Wenming@2026';
const suite = browserSuite({ WENMING_SEED_DEMO_CASES: 'true' });

describe('case statistics and the public board', () => {
  it('the office reads the statistics, sorts them and issues a circular; then in English', async () => {
    await suite.run('case-stats', {}, async (page) => {
      await consoleLogin(page, suite.server.url, 'office_admin', PASSWORD);
      await page.goto(`${suite.server.url}/cases/stats`);
      const table = page.getByTestId('case-stats-units');
      await expectText(page.getByTestId('case-stats-totals'), '合计');
      expect(await table.locator('tbody tr.ant-table-row').count()).toBeGreaterThan(0);
      await table.locator('thead').getByText('首接', { exact: true }).first().click();
      await screenshot(page, 'case-stats-zh-CN');

      const download = page.waitForEvent('download');
      await page.getByTestId('case-stats-circular').click();
      expect((await download).suggestedFilename()).toMatch(/^SQTB-\d{4}-0001 /);
      await expectText(page.locator('.ant-alert'), 'SQTB-');

      await page.getByRole('tab', { name: '按类别' }).click();
      await expectText(page.getByTestId('case-stats-categories'), '合计');

      await page.getByText('English', { exact: true }).click();
      await expectText(page.locator('body'), 'Case statistics');
      await page.getByRole('tab', { name: 'By unit' }).click();
      await expect
        .poll(() => page.getByRole('tab', { name: 'By unit' }).getAttribute('aria-selected'))
        .toBe('true');
      await page.locator('.ant-message-notice').waitFor({ state: 'detached' });
      await screenshot(page, 'case-stats-en-US');
    });
  });

  it('the console board shows the public figures and recent resolved cases', async () => {
    await suite.run('case-board', {}, async (page) => {
      await consoleLogin(page, suite.server.url, 'office_admin', PASSWORD);
      await page.goto(`${suite.server.url}/cases/board`);
      await expectText(page.getByTestId('case-board-totals'), '受理诉求');
      await expect
        .poll(() => page.getByTestId('case-board-units').locator('tbody tr.ant-table-row').count())
        .toBeGreaterThan(0);
      await screenshot(page, 'case-board-zh-CN');
      await page.getByText('English', { exact: true }).click();
      await expectText(page.getByTestId('case-board-totals'), 'Cases received');
      await screenshot(page, 'case-board-en-US');
    });
  });

  it('the H5 board is public: totals, lists and recent cases without signing in', async () => {
    const api = await (await fetch(`${suite.server.url}/api/public/case-board`)).json();
    await suite.run('h5-board', { mobile: true }, async (page) => {
      await page.goto(`${suite.server.url}/h5/board`);
      const totals = page.getByTestId('h5-board-totals');
      await expectText(totals, '受理诉求');
      await expectText(totals, String(api.totals.received));
      expect(page.url()).toContain('/h5/board');
      await screenshot(page, 'h5-board-zh-CN');
      await page.evaluate(() => {
        localStorage.setItem('wenming.lang', 'en-US');
      });
      await page.reload();
      await expectText(page.getByTestId('h5-board-totals'), 'Cases received');
      await screenshot(page, 'h5-board-en-US');
    });
  });
});
