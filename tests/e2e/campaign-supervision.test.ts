// Campaign supervision in the console: the daily sweep's automatic 督办单 appear in the list; the office
// reminds a unit and generates the circular from the drawers and downloads it; the page in both languages.
// The ledger (tasks, instances) is written straight into the server's database beforehand.
import type { FastifyInstance } from 'fastify';
import JSZip from 'jszip';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../apps/server/src/app.ts';
import { loadConfig } from '../../apps/server/src/config.ts';
import { recolorActiveCampaigns } from '../../apps/server/src/modules/campaigns/colors/sweep.ts';
import { createContext } from '../../apps/server/src/platform/bootstrap.ts';
import { createLogger } from '../../apps/server/src/platform/log.ts';
import { type LedgerFixture, seedLedger } from '../helpers/campaign-ledger.ts';
import { browserSuite, consoleLogin, expectText, screenshot } from './harness.ts';

const PASSWORD = 'Wenming@2026';
const suite = browserSuite();
let side: FastifyInstance | undefined;
let f: LedgerFixture;

beforeAll(async () => {
  // A second app on the server's data directory (SQLite in WAL mode), used only to write the fixture.
  const ctx = await createContext(
    loadConfig({ WENMING_DATA_DIR: suite.server.dataDir, LOG_LEVEL: 'silent' }),
    createLogger('silent'),
  );
  side = await buildApp({ ctx, serveWeb: false });
  await side.ready();
  f = await seedLedger({ app: side, ctx }, '文明城市创建（督导）');
  // the sweep recolours the fixture for today: overdue instances turn red and get their 督办单
  await recolorActiveCampaigns(ctx);
  const interview = await f.office.post(`/api/campaigns/${f.campaignId}/supervision/interviews`, {
    unitId: f.unitA.id,
    interviewee: { name: '陈立新', post: '局长', phone: '13912345678' },
    at: '2026-11-20T02:00:00.000Z',
    place: '市文明办会议室',
    attendees: ['王文静', '赵振宇'],
    topics: '二季度评选任务逾期',
    commitments: '月底前补齐',
  });
  if (interview.statusCode !== 201) throw new Error(`interview: ${interview.statusCode} ${interview.body}`);
});
afterAll(async () => {
  await side?.close();
});

async function settle(page: Page): Promise<void> {
  await page.mouse.move(0, 400);
  await expect
    .poll(
      () => page.locator('.ant-tooltip:visible, .ant-message-notice, .ant-select-dropdown:visible').count(),
      {
        timeout: 10_000,
      },
    )
    .toBe(0);
  // drawers slide in and the kind switch slides: wait until no CSS animation or transition runs
  await page.waitForFunction(() => document.getAnimations().length === 0);
}

const pageUrl = () => `${suite.server.url}/campaign-supervision?campaign=${f.campaignId}`;

describe('campaign supervision in the console', () => {
  it('the office sees the automatic notices, reminds a unit and generates the circular', async () => {
    await suite.run('supervision-office', {}, async (page) => {
      await consoleLogin(page, suite.server.url, 'office_admin', PASSWORD);
      await page.goto(pageUrl());
      await expectText(page.getByTestId('supervision-records'), '督办单');
      await expectText(page.getByTestId('supervision-records'), '约谈');
      expect(await page.getByTestId('supervision-row-order').count()).toBeGreaterThan(0);
      await settle(page);
      await screenshot(page, 'campaign-supervision-list-zh');

      // a cancelled drawer leaves nothing for the next opening (it once showed the cancelled note)
      await page.getByTestId('supervision-new-reminder').click();
      await page.getByTestId('supervision-reminder-note').fill('作废的草稿');
      await page
        .locator('.ant-drawer-open')
        .getByRole('button', { name: /取\s*消/ })
        .click();
      await page.getByTestId('supervision-reminder-note').waitFor({ state: 'hidden' });
      await page.getByTestId('supervision-new-reminder').click();
      expect(await page.getByTestId('supervision-reminder-note').inputValue()).toBe('');
      await page.getByTestId('supervision-reminder-units').click();
      await page.keyboard.type('市卫生健康局');
      await page.keyboard.press('Enter');
      // close the unit list, which covers the note field
      await page.locator('.ant-drawer-open .ant-drawer-title').click();
      await page.getByTestId('supervision-reminder-note').fill('请于本周内补报材料');
      await settle(page);
      await screenshot(page, 'campaign-supervision-reminder-zh');
      await page.getByTestId('supervision-reminder-submit').click();
      await expectText(page.getByTestId('supervision-records'), '请于本周内补报材料');

      await page.getByTestId('supervision-new-circular').click();
      await page.getByTestId('supervision-circular-submit').click();
      await expectText(page.getByTestId('supervision-detail'), 'TB-');
      const href = await page.getByTestId('supervision-detail-download').getAttribute('href');
      expect(href).toContain('/document');
      const docx = await page.request.get(`${suite.server.url}${href}`);
      expect(docx.status()).toBe(200);
      const xml =
        (await (await JSZip.loadAsync(await docx.body())).file('word/document.xml')?.async('string')) ?? '';
      expect(xml).toContain('市卫生健康局');
      await settle(page);
      await screenshot(page, 'campaign-supervision-circular-zh');
    });
  });

  it('reads in English; a liaison sees only the unit’s records and cannot issue any', async () => {
    await suite.run('supervision-en', {}, async (page) => {
      await consoleLogin(page, suite.server.url, 'office_admin', PASSWORD);
      await page.goto(pageUrl());
      await page.getByTestId('lang-switch').click();
      await expectText(page.locator('body'), 'Tasks turning yellow get a reminder');
      await expectText(page.getByTestId('supervision-records'), 'Supervision notice');
      await page.getByTestId('supervision-kind').getByText('Interview').click();
      await page
        .getByTestId(/^supervision-open-/)
        .first()
        .click();
      await expectText(page.getByTestId('supervision-detail'), '139****5678');
      await settle(page);
      await screenshot(page, 'campaign-supervision-interview-en');
      await page.keyboard.press('Escape');
      await page.getByTestId('supervision-kind').getByText('All').click();
      await settle(page);
      await screenshot(page, 'campaign-supervision-list-en');
      await page.getByTestId('supervision-new-interview').click();
      await expectText(page.locator('.ant-drawer-open .ant-drawer-title'), 'Record an interview');
      await settle(page);
      await screenshot(page, 'campaign-supervision-interview-form-en');
    });
    await suite.run('supervision-liaison', {}, async (page) => {
      await consoleLogin(page, suite.server.url, 'liaison_town', PASSWORD);
      await page.goto(pageUrl());
      await expectText(page.getByTestId('supervision-records'), '通报');
      expect(await page.getByTestId('supervision-row-order').count()).toBe(0);
      expect(await page.getByTestId('supervision-new-order').count()).toBe(0);
    });
  });
});
