// Citizen cases on the H5 (a 375 px phone): a citizen signs in with an SMS code, reports a problem with a
// photo and a village, is refused first without the photo the category needs, then finds the case in 我的诉求
// and opens it; the pages are screenshotted in both languages.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserSuite, expectText, screenshot } from './harness.ts';

const CITIZEN_PHONE = '13800138002';
const TOWNSHIP = '南孟镇';
const VILLAGE = '南孟村村民委员会';

const suite = browserSuite();
let photoDir = '';
let photo = '';

beforeAll(async () => {
  photoDir = mkdtempSync(path.join(os.tmpdir(), 'wenming-case-photo-'));
  photo = path.join(photoDir, 'lane.jpg');
  const jpeg = await sharp({
    create: { width: 320, height: 240, channels: 3, background: { r: 180, g: 90, b: 60 } },
  })
    .jpeg({ quality: 80 })
    .toBuffer();
  writeFileSync(photo, jpeg);
});
afterAll(() => rmSync(photoDir, { recursive: true, force: true }));

/** Signs the citizen in with the code the development SMS outbox received. */
async function signIn(page: Page): Promise<void> {
  await page.goto(`${suite.server.url}/h5/login`);
  await page.getByTestId('h5-phone').fill(CITIZEN_PHONE);
  await page.getByTestId('h5-send-code').click();
  await expectText(page.getByTestId('h5-send-code'), '秒后重发');
  let code = '';
  await expect
    .poll(
      () => {
        try {
          code = suite.server.smsCode(CITIZEN_PHONE);
        } catch {
          code = ''; // the outbox is not written yet
        }
        return code;
      },
      { timeout: 10_000 },
    )
    .toMatch(/^\d{6}$/);
  await page.getByTestId('h5-code').fill(code);
  await page.getByTestId('h5-login').click();
  await page.getByTestId('h5-user-card').waitFor();
}

/** Picks a township, then one of its villages, in the area sheet. */
async function pickVillage(page: Page, township: string, village: string): Promise<void> {
  await page.getByTestId('case-area').click();
  await page.getByTestId('case-area-township').filter({ hasText: township }).click();
  await page.getByTestId('case-area-village').filter({ hasText: village }).click();
  await expectText(page.getByTestId('case-area'), village);
}

describe('citizen cases on the H5', () => {
  it('a citizen reports with a photo and a village, and finds it in 我的诉求', async () => {
    await suite.run('cases-h5-report', { mobile: true }, async (page) => {
      await signIn(page);
      await page.getByTestId('h5-feature-report').click();
      await page.waitForURL((u) => u.pathname === '/h5/cases/new');
      await page.getByTestId('case-categories').waitFor();
      expect(await page.getByTestId('case-category-traffic').getAttribute('data-photo-required')).toBe(
        'true',
      );
      // the honeypot is in the form but out of sight and out of the tab order
      const trap = page.locator('input[name="website"]');
      expect(await trap.getAttribute('tabindex')).toBe('-1');
      const box = await trap.boundingBox();
      expect(box === null || box.x + box.width <= 0).toBe(true);
      await expectText(page.getByTestId('case-phone-masked'), '****');
      await screenshot(page, 'cases-h5-01-report-zh');

      // 说事 shows the level to address
      await page.getByTestId('case-kind').getByText('群众说事').click();
      await page.getByTestId('case-level').waitFor();
      await screenshot(page, 'cases-h5-02-talk-zh');
      await page.getByTestId('case-kind').getByText('文明随手拍').click();
      expect(await page.getByTestId('case-level').count()).toBe(0);

      // a location refused by the browser only says so
      await page.getByTestId('case-gps').click();
      await page.locator('.adm-toast-main', { hasText: '未获得定位权限' }).waitFor();

      await page.getByTestId('case-category-traffic').click();
      await page
        .getByTestId('case-description')
        .locator('textarea:not([readonly])')
        .fill('小区门口的人行道上长期停放电动车，行人只能走机动车道。');
      await pickVillage(page, TOWNSHIP, VILLAGE);
      await page.getByTestId('case-address').fill('南孟村村委会东侧 50 米');

      // 交通秩序 needs a photo: the server refuses, and says so on the photos field
      await page.getByTestId('case-submit').click();
      await page.getByTestId('case-error-photos').waitFor();
      expect((await page.getByTestId('case-error-photos').textContent())?.length).toBeGreaterThan(2);
      expect(new URL(page.url()).pathname).toBe('/h5/cases/new');
      await screenshot(page, 'cases-h5-03-photo-required-zh');

      await page.getByTestId('case-photo-input').setInputFiles(photo);
      await expect.poll(() => page.getByTestId('case-photo-preview').count()).toBe(1);
      expect(await page.getByTestId('case-error-photos').count()).toBe(0);
      await page.getByTestId('case-submit').click();

      await page.getByTestId('case-sent').waitFor();
      const no = (await page.getByTestId('case-sent-no').textContent()) ?? '';
      expect(no).toMatch(/^SP-\d{4}-\d{6}$/);
      await screenshot(page, 'cases-h5-04-sent-zh');

      await page.getByTestId('case-sent-mine').click();
      await page.waitForURL((u) => u.pathname === '/h5/cases');
      const row = page.getByTestId(`case-row-${no}`);
      await row.waitFor();
      await expectText(row.getByTestId('case-row-no'), no);
      const state = (await row.getByTestId('case-row-state').getAttribute('data-state')) ?? '';
      expect(['pending', 'dispatched']).toContain(state);
      await expectText(row.getByTestId('case-row-state'), state === 'pending' ? '待受理' : '已派单');
      await screenshot(page, 'cases-h5-05-mine-zh');

      await row.click();
      await page.getByTestId('case-detail').waitFor();
      await expectText(page.getByTestId('case-no'), no);
      await page.getByTestId('case-detail-photo').first().waitFor();
      await expectText(page.getByTestId('case-timeline'), '提交诉求');
      await screenshot(page, 'cases-h5-06-detail-zh');

      await page.goto(`${suite.server.url}/h5/public-cases`);
      await page.getByTestId('cases-public').waitFor();
      await screenshot(page, 'cases-h5-07-public-zh');

      // the same pages in English
      await page.goto(`${suite.server.url}/h5`);
      await page.getByTestId('lang-switch').click();
      await expectText(page.getByTestId('h5-feature-report'), 'Snap');
      await screenshot(page, 'cases-h5-08-home-en');
      await page.getByTestId('h5-feature-report').click();
      await page.getByTestId('case-categories').waitFor();
      await page.getByTestId('case-submit').click();
      await page.getByTestId('case-error-categoryId').waitFor();
      await screenshot(page, 'cases-h5-09-report-en');
      await page.getByTestId('case-kind').getByText('Raise a matter').click();
      await screenshot(page, 'cases-h5-10-talk-en');
      await page.goto(`${suite.server.url}/h5/cases`);
      await page.getByTestId(`case-row-${no}`).waitFor();
      await screenshot(page, 'cases-h5-11-mine-en');
      await page.getByTestId(`case-row-${no}`).click();
      await page.getByTestId('case-detail').waitFor();
      await expectText(page.getByTestId('case-timeline'), 'Filed');
      await screenshot(page, 'cases-h5-12-detail-en');
      await page.goto(`${suite.server.url}/h5/public-cases`);
      await page.getByTestId('cases-public').waitFor();
      await screenshot(page, 'cases-h5-13-public-en');
    });
  });
});
