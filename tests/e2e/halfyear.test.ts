// Half-year reports in the console: a liaison opens the unit's report (pre-filled statistics beside the
// four sections), writes and submits it; the office returns it with a reason; the liaison sees the reason.
// The ledger (tasks, instances, reports) is written straight into the server's database beforehand.
import type { FastifyInstance } from 'fastify';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../apps/server/src/app.ts';
import { loadConfig } from '../../apps/server/src/config.ts';
import { createContext } from '../../apps/server/src/platform/bootstrap.ts';
import { createLogger } from '../../apps/server/src/platform/log.ts';
import { type LedgerFixture, seedLedger } from '../helpers/campaign-ledger.ts';
import { browserSuite, cancelDialog, consoleLogin, expectText, screenshot } from './harness.ts';

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
  f = await seedLedger({ app: side, ctx }, '文明城市创建（半年报告）');
});
afterAll(async () => {
  await side?.close();
});

async function settle(page: Page): Promise<void> {
  await page.mouse.move(0, 400);
  await expect
    .poll(() => page.locator('.ant-tooltip:visible, .ant-message-notice, .ant-spin-spinning').count(), {
      timeout: 10_000,
    })
    .toBe(0);
}

const listUrl = () => `${suite.server.url}/half-year?campaign=${f.campaignId}&period=2026-H1`;

describe('half-year reports: write, submit, return with a reason', () => {
  it('the liaison opens the unit’s report pre-filled from the ledger, writes it and submits it', async () => {
    await suite.run('halfyear-liaison', {}, async (page) => {
      await consoleLogin(page, suite.server.url, 'liaison', PASSWORD);
      await page.goto(listUrl());
      await page.getByTestId(`halfyear-write-${f.unitA.id}`).click();
      await page.waitForURL((u) => u.pathname.startsWith('/half-year-reports/'));
      await expectText(page.getByTestId('halfyear-state'), '草稿');
      await expectText(page.getByTestId('halfyear-stats'), '1/3');
      await expectText(page.getByTestId('stats-overdue'), '红：截止2026-06-30，已逾期7个工作日，仅完成30%');
      expect(await page.getByTestId('halfyear-progressText').inputValue()).toContain('任务3项，已完成1项');
      await settle(page);
      await screenshot(page, 'halfyear-editor-zh');

      await page.getByTestId('halfyear-submit').click();
      await expectText(page.locator('.ant-form-item-explain-error').first(), '提交前请填写此部分');
      await page.getByTestId('halfyear-practices').fill('建立周调度机制，每月通报进度。');
      await page.getByTestId('halfyear-problems').fill('二季度评选任务逾期。');
      await page.getByTestId('halfyear-plans').fill('下半年加强督导，按季度完成评选。');
      await page.getByTestId('halfyear-submit').click();
      await expectText(page.getByTestId('halfyear-state'), '待审核');
      await expectText(page.getByTestId('halfyear-timeline'), '提交审核');
    });
  });

  it('the office sees every unit with its colours, returns the report with a reason', async () => {
    await suite.run('halfyear-office', {}, async (page) => {
      await consoleLogin(page, suite.server.url, 'office_admin', PASSWORD);
      await page.goto(listUrl());
      await expectText(page.getByTestId(`halfyear-state-${f.unitA.id}`), '待审核');
      await expectText(page.getByTestId('halfyear-summary'), '已提交 1 个');
      expect(await page.getByTestId('halfyear-compile').getAttribute('href')).toContain('/compilation.docx');
      await settle(page);
      await screenshot(page, 'halfyear-list-zh');

      const docx = await page.request.get(
        `${suite.server.url}/api/campaigns/${f.campaignId}/half-year/2026-H1/compilation.docx`,
      );
      expect(docx.status()).toBe(200);
      const xlsx = await page.request.get(
        `${suite.server.url}${await page.getByTestId('export-ledger').getAttribute('href')}`,
      );
      expect(xlsx.headers()['content-type']).toContain('spreadsheetml');

      await page.getByTestId(`halfyear-open-${f.unitA.id}`).click();
      await page.waitForURL((u) => u.pathname.startsWith('/half-year-reports/'));
      // a reason typed before Cancel is gone at the next opening
      await page.getByTestId('halfyear-return').click();
      await page.getByTestId('halfyear-return-note').fill('作废的理由');
      await cancelDialog(page);
      await page.getByTestId('halfyear-return').click();
      expect(await page.getByTestId('halfyear-return-note').inputValue()).toBe('');
      await page.getByTestId('halfyear-return-note').fill('请补充逾期任务的原因和整改措施');
      await page.locator('.ant-modal-footer .ant-btn-dangerous').click();
      await expectText(page.getByTestId('halfyear-state'), '已退回');
      await settle(page);
      await screenshot(page, 'halfyear-review-zh');

      await page.goto(`${suite.server.url}/campaigns/${f.campaignId}`);
      await page.getByTestId('export-evidence').click();
      await expect.poll(() => page.getByTestId('export-evidence-unit').count()).toBe(1);
      await screenshot(page, 'campaign-exports-zh');

      await page.goto(`${suite.server.url}/ledger?campaignId=${f.campaignId}&unitId=${f.unitA.id}`);
      expect(await page.getByTestId('export-evidence').getAttribute('href')).toBe(
        `/api/campaigns/${f.campaignId}/units/${f.unitA.id}/evidence.zip`,
      );
      const zip = await page.request.get(
        `${suite.server.url}/api/campaigns/${f.campaignId}/units/${f.unitA.id}/evidence.zip`,
      );
      expect(zip.headers()['content-type']).toBe('application/zip');
      await settle(page);
      await screenshot(page, 'ledger-exports-zh');
    });
  });

  it('in English: the liaison sees the reason; the office’s list', async () => {
    await suite.run('halfyear-en', {}, async (page) => {
      await page.context().addCookies([{ name: 'lang', value: 'en-US', url: suite.server.url }]);
      await consoleLogin(page, suite.server.url, 'liaison', PASSWORD);
      await page.goto(listUrl());
      await page.getByTestId(`halfyear-open-${f.unitA.id}`).click();
      await page.waitForURL((u) => u.pathname.startsWith('/half-year-reports/'));
      await expectText(
        page.getByTestId('halfyear-return-reason'),
        'Returned: 请补充逾期任务的原因和整改措施',
      );
      await expectText(page.getByTestId('stats-overdue'), 'Red: due 2026-06-30, 7 working days overdue');
      await settle(page);
      await screenshot(page, 'halfyear-editor-en');
    });
    await suite.run('halfyear-en-office', {}, async (page) => {
      await page.context().addCookies([{ name: 'lang', value: 'en-US', url: suite.server.url }]);
      await consoleLogin(page, suite.server.url, 'office_admin', PASSWORD);
      await page.goto(listUrl());
      await expectText(page.getByTestId(`halfyear-state-${f.unitA.id}`), 'Returned');
      await settle(page);
      await screenshot(page, 'halfyear-list-en');
    });
  });
});
