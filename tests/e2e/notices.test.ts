// Notices with read receipts: the office admin sends a notice requiring acknowledgement to a township in the
// console; the township's liaison opens it on the phone and acknowledges; the office sees 1/1 acknowledged.
// Then the same pages in English. The tests run in order: each continues with the notice the first one sent.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { browserSuite, cancelDialog, consoleLogin, expectText, screenshot } from './harness.ts';

const PASSWORD = 'Wenming@2026';
const TOWNSHIP = '裕华街道';
const TITLE = '关于开展“文明交通劝导”志愿服务活动的通知';
const BODY = '各乡镇（区、办）：\n请于本周内组织志愿者在主要路口开展文明交通劝导，并将活动照片报市文明办。';

const suite = browserSuite();
let noticeId = '';

async function inEnglish(page: Page): Promise<void> {
  await page.context().addCookies([{ name: 'lang', value: 'en-US', url: suite.server.url }]);
}

async function h5StaffLogin(page: Page, username: string): Promise<void> {
  await page.goto(`${suite.server.url}/h5/staff-login`);
  await page.getByTestId('h5-staff-username').fill(username);
  await page.getByTestId('h5-staff-password').fill(PASSWORD);
  await page.getByTestId('h5-staff-login').click();
  await page.getByTestId('h5-user-card').waitFor();
}

describe('notices: send, acknowledge on the phone, see the receipt', () => {
  it('the office admin sends a notice requiring acknowledgement to a township', async () => {
    await suite.run('notices-send', {}, async (page) => {
      await consoleLogin(page, suite.server.url, 'office_admin', PASSWORD);
      await page.goto(`${suite.server.url}/notices`);
      await page.getByTestId('notice-new').click();
      const drawer = page.locator('.ant-drawer-content:visible');
      await drawer.waitFor();
      await page.getByTestId('notice-form-title').fill(TITLE);
      await page.getByTestId('notice-form-body').fill(BODY);

      const units = page.locator('.ant-select', { has: page.locator('input#notice_unitIds') });
      await units.click();
      await page.locator('input#notice_unitIds').fill(TOWNSHIP);
      await page
        .locator('.ant-select-dropdown:visible .ant-select-tree-title', {
          hasText: new RegExp(`^${TOWNSHIP}$`),
        })
        .click();
      // a multiple select stays open: leave it by clicking a field above it
      await page.getByTestId('notice-form-title').click();
      await units.locator(`.ant-select-selection-item[title="${TOWNSHIP}"]`).waitFor();
      await expectText(page.getByTestId('notice-form-count'), '共 1 个接收单位');
      expect(await page.getByTestId('notice-form-require-ack').getAttribute('aria-checked')).toBe('true');
      await page.locator('input#notice_ackDueAt').fill('2099-12-31 17:00');
      await page.keyboard.press('Enter');
      await page
        .getByTestId('evidence-upload')
        .locator('input[type=file]')
        .setInputFiles({
          name: '劝导活动方案.pdf',
          mimeType: 'application/pdf',
          buffer: Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n', 'latin1'),
        });
      await page.locator('[data-testid="evidence-upload-item"][data-status="done"]').waitFor();
      await screenshot(page, 'notices-01-new-notice');

      await page.getByTestId('notice-form-submit').click();
      await page.waitForURL((u) => /^\/notices\/[0-9a-f-]{36}$/.test(u.pathname));
      noticeId = new URL(page.url()).pathname.split('/')[2];
      await expectText(page.getByTestId('notice-body'), '文明交通劝导');
      await expectText(page.getByTestId('notice-acked-count'), '0/ 1');
      await expectText(page.getByTestId('notice-receipts'), TOWNSHIP);
      await expectText(page.getByTestId('notice-detail'), '2099-12-31 17:00');
      await expectText(page.getByTestId('evidence-list'), '劝导活动方案.pdf');
      await screenshot(page, 'notices-02-sent-detail');
    });
  });

  it('the township’s liaison opens it on the phone and acknowledges with a note', async () => {
    await suite.run('notices-ack-h5', { mobile: true }, async (page) => {
      await h5StaffLogin(page, 'liaison_town');
      await expectText(page.getByTestId('h5-feature-notices'), '通知公告');
      await page.getByTestId('h5-feature-notices').click();
      await page.waitForURL((u) => u.pathname === '/h5/notices');
      const item = page.getByTestId(`h5-notice-${noticeId}`);
      await expectText(item, '未读');
      await screenshot(page, 'notices-03-h5-list');

      await item.click();
      await expectText(page.getByTestId('h5-notice-body'), '文明交通劝导');
      await expectText(page.getByTestId('h5-notice-state'), '已读未签收');
      await expectText(page.getByTestId('h5-notice-attachments'), '劝导活动方案.pdf');
      await screenshot(page, 'notices-04-h5-detail');

      await page.getByTestId('h5-ack').click();
      await page.locator('[data-testid="h5-ack-note"] textarea').fill('已收到，马上安排');
      await page.getByTestId('h5-ack-ok').click();
      await expectText(page.getByTestId('h5-notice-state'), '已签收');
      await expectText(page.getByTestId('h5-notice-detail').locator('..'), '已收到，马上安排');
      expect(await page.getByTestId('h5-ack').count()).toBe(0);
      await screenshot(page, 'notices-05-h5-acked');
    });
  });

  it('the office sees the township acknowledged: 1/1', async () => {
    await suite.run('notices-receipt', {}, async (page) => {
      await consoleLogin(page, suite.server.url, 'office_admin', PASSWORD);
      await page.goto(`${suite.server.url}/notices`);
      await expectText(page.getByTestId(`notice-progress-${noticeId}`), '已签收 1/1');
      await screenshot(page, 'notices-06-sent-list');
      await page.getByTestId(`notice-link-${noticeId}`).click();
      await expectText(page.getByTestId('notice-acked-count'), '1/ 1');
      await expectText(page.getByTestId('notice-receipts'), '杨春梅');
      await expectText(page.getByTestId('notice-receipts'), '已收到，马上安排');
      expect(await page.getByTestId('notice-remind').count()).toBe(0);
      await screenshot(page, 'notices-07-receipts-acked');
    });
  });

  it('a recipient acknowledges on the console too', async () => {
    let second = '';
    await suite.run('notices-console-send-api', {}, async (page) => {
      await consoleLogin(page, suite.server.url, 'office_admin', PASSWORD);
      // a second notice, sent through the API from the signed-in page (the drawer is covered above)
      second = await page.evaluate(async (township) => {
        const csrf = sessionStorage.getItem('wenming.csrf') ?? '';
        const units = await (await fetch(`/api/org/units?keyword=${encodeURIComponent(township)}`)).json();
        const res = await fetch('/api/notices', {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-csrf-token': csrf },
          body: JSON.stringify({
            title: '关于报送文明实践站点名单的通知',
            body: '请于月底前报送本辖区新时代文明实践站点名单。',
            unitIds: [units.items[0].id],
            requireAck: true,
          }),
        });
        return (await res.json()).id as string;
      }, TOWNSHIP);
    });
    await suite.run('notices-console-ack', {}, async (page) => {
      await consoleLogin(page, suite.server.url, 'liaison_town', PASSWORD);
      await page.goto(`${suite.server.url}/notices`);
      await expectText(page.getByTestId(`notice-state-${second}`), '未读');
      await expectText(page.getByTestId(`notice-state-${noticeId}`), '已签收');
      await screenshot(page, 'notices-08-console-received');
      await page.getByTestId(`notice-link-${second}`).click();
      await expectText(page.getByTestId('notice-my-state'), '已读未签收');
      // a note typed before Cancel is gone at the next opening
      await page.getByTestId('notice-ack').click();
      await page.getByTestId('notice-ack-note').fill('稍后再签');
      await cancelDialog(page);
      await page.getByTestId('notice-ack').click();
      expect(await page.getByTestId('notice-ack-note').inputValue()).toBe('');
      await page.getByTestId('notice-ack-note').fill('收到');
      // the dialog zooms in: wait for the animation to end before the picture
      await expect.poll(() => page.locator('.ant-zoom-appear, .ant-zoom-enter').count()).toBe(0);
      await screenshot(page, 'notices-09-console-ack');
      await page.getByTestId('notice-ack-ok').click();
      await expectText(page.getByTestId('notice-my-state'), '已签收');
      await expectText(page.getByTestId('notice-my-unit'), '杨春梅');
      expect(await page.getByTestId('notice-ack').count()).toBe(0);
      expect(await page.getByTestId('notice-receipts').count()).toBe(0);
    });
  });

  it('shows the same pages in English', async () => {
    await suite.run('notices-en-console', {}, async (page) => {
      await inEnglish(page);
      await consoleLogin(page, suite.server.url, 'office_admin', PASSWORD);
      await page.goto(`${suite.server.url}/notices`);
      await expectText(page.getByTestId(`notice-progress-${noticeId}`), 'Acknowledged 1/1');
      await screenshot(page, 'notices-10-en-sent-list');
      await page.getByTestId('notice-new').click();
      await page.locator('.ant-drawer-content:visible').waitFor();
      await expectText(page.getByTestId('notice-form-count'), '0 recipient units');
      await screenshot(page, 'notices-11-en-new-notice');
      await page.goto(`${suite.server.url}/notices/${noticeId}`);
      await expectText(page.getByTestId('notice-receipts'), 'Acknowledged');
      await screenshot(page, 'notices-12-en-receipts');
    });
    await suite.run('notices-en-h5', { mobile: true }, async (page) => {
      await inEnglish(page);
      await h5StaffLogin(page, 'liaison_town');
      await expectText(page.getByTestId('h5-feature-notices'), 'Notices');
      await screenshot(page, 'notices-13-en-h5-home');
      await page.goto(`${suite.server.url}/h5/notices/${noticeId}`);
      await expectText(page.getByTestId('h5-notice-state'), 'Acknowledged');
      await screenshot(page, 'notices-14-en-h5-detail');
    });
  });
});
