// What `npm start` shows on an empty database (issue #4 item 10): the demo campaign on the battle map with a
// live mix of colours, and the reused photo flagged to the reviewer.
import { describe, expect, it } from 'vitest';
import { browserSuite, consoleLogin, expectText, screenshot } from './harness.ts';

const suite = browserSuite({ WENMING_SEED_DEMO_CAMPAIGN: 'true' });

describe('the demo campaign', () => {
  it('opens on the battle map with green, blue, yellow and red cells, and a flagged report in the queue', async () => {
    await suite.run('demo-campaign', {}, async (page) => {
      await consoleLogin(page, suite.server.url, 'office_admin', 'Wenming@2026');
      await page.goto(`${suite.server.url}/battlemap`);
      await page.getByTestId('bm-matrix').waitFor();
      await expectText(page.getByTestId('bm-campaign'), '霸州市“双争”活动');
      const colors = await page
        .locator('[data-testid^="bm-cell-"]')
        .evaluateAll((els) => [...new Set(els.map((e) => e.getAttribute('data-color')))].sort());
      expect(colors).toEqual(['blue', 'green', 'red', 'yellow']);
      await screenshot(page, 'demo-campaign-battlemap-zh');

      await page.goto(`${suite.server.url}/ledger`);
      const flagged = page.getByText(/\d+ 处疑似重复/);
      await expect.poll(() => flagged.count()).toBeGreaterThan(0);
      await screenshot(page, 'demo-campaign-review-queue-zh');
    });
  });
});
