// The assigned-matter (交办事项) loop: the office admin assigns a matter to 市卫生健康局 on the console; the
// unit's liaison acknowledges it on the phone and reports it resolved with a photo; the office sees the
// photo in the history and accepts; the matter is closed. Then the pages in English, and the supervision
// and scheduler pages. The tests run in order: each continues with the matter the first one assigned.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { makeJpeg } from '../helpers/images.ts';
import { browserSuite, consoleLogin, expectText, screenshot } from './harness.ts';

const PASSWORD = 'Wenming@2026';
const UNIT = '市卫生健康局';
const TITLE = '整治人民医院东门周边占道经营';
const TITLE2 = '医院门前共享单车乱停放专项整治';
const CONTENT =
  '暗访发现人民医院东门早晚高峰占道经营，影响救护车通行。请牵头会同相关部门整治，并反馈整改前后照片。';

const suite = browserSuite();
let matterId = '';
let matter2 = '';

async function h5StaffLogin(page: Page, username: string): Promise<void> {
  await page.goto(`${suite.server.url}/h5/staff-login`);
  await page.getByTestId('h5-staff-username').fill(username);
  await page.getByTestId('h5-staff-password').fill(PASSWORD);
  await page.getByTestId('h5-staff-login').click();
  await page.getByTestId('h5-user-card').waitFor();
}

async function inEnglish(page: Page): Promise<void> {
  await page.context().addCookies([{ name: 'lang', value: 'en-US', url: suite.server.url }]);
}

/** Waits until there are images at the selector and every one has loaded (naturalWidth > 0). */
async function imagesLoaded(page: Page, selector: string): Promise<void> {
  await expect
    .poll(
      () =>
        page
          .locator(selector)
          .evaluateAll(
            (imgs) =>
              imgs.length > 0 &&
              imgs.every((i) => (i as HTMLImageElement).complete && (i as HTMLImageElement).naturalWidth > 0),
          ),
      { timeout: 15_000 },
    )
    .toBe(true);
}

/** Waits until the phone's toast and pickers have gone, so they do not cover the screenshot. */
async function toastGone(page: Page): Promise<void> {
  await expect
    .poll(() => page.locator('.adm-toast-mask:visible, .adm-picker:visible').count(), { timeout: 10_000 })
    .toBe(0);
}

/** Moves the mouse off the header and waits for tooltips and messages to go, before a console screenshot. */
async function settle(page: Page): Promise<void> {
  await page.mouse.move(0, 400);
  await expect
    .poll(() => page.locator('.ant-tooltip:visible, .ant-message-notice').count(), { timeout: 10_000 })
    .toBe(0);
}

describe('assigned matters: assign, acknowledge and resolve on the phone, accept', () => {
  it('the office assigns a matter to 市卫生健康局', async () => {
    await suite.run('matters-assign', {}, async (page) => {
      await consoleLogin(page, suite.server.url, 'office_admin', PASSWORD);
      await page.locator('a[href="/matters"]').first().click();
      await page.waitForURL((u) => u.pathname === '/matters');
      await expectText(page.locator('.ant-page-header-heading-title'), '交办事项');

      await page.getByTestId('matter-assign').click();
      const drawer = page.locator('.ant-drawer-content:visible');
      await drawer.waitFor();
      // the server's refusal of an empty form is not needed: the form says what is missing first
      await page.getByTestId('matter-form-submit').click();
      await expectText(drawer, '请选择承办单位');

      await page.getByTestId('matter-form-title').fill(TITLE);
      await page.getByTestId('matter-form-content').fill(CONTENT);
      await page.getByTestId('matter-form-source').fill('市文明办暗访');
      const unit = page.locator('.ant-select', { has: page.locator('input#matter_assigneeUnitId') });
      await unit.click();
      await page.locator('input#matter_assigneeUnitId').fill(UNIT);
      await page
        .locator('.ant-select-dropdown:visible .ant-select-tree-title', { hasText: new RegExp(`^${UNIT}$`) })
        .click();
      await drawer.locator('.ant-drawer-title').click();
      await expectText(unit.locator('.ant-select-selection-item'), UNIT);
      await screenshot(page, 'matters-01-assign-drawer-zh');

      await page.getByTestId('matter-form-submit').click();
      await page.waitForURL((u) => /^\/matters\/[0-9a-f-]{36}$/.test(u.pathname));
      matterId = new URL(page.url()).pathname.split('/')[2];
      await expectText(page.getByTestId('matter-state'), '待签收');
      await expectText(page.getByTestId('matter-no'), 'JB-');
      await expectText(page.getByTestId('matter-info'), UNIT);
      await expectText(page.getByTestId('matter-deadlines'), '首次反馈');
      await expectText(page.getByTestId('deadline-resolve'), '24:00');
      await expectText(page.getByTestId('matter-timeline'), '等待承办单位签收');
      // the office may urge or withdraw, but the unit's actions are not offered to it
      await page.getByTestId('matter-action-urge').waitFor();
      expect(await page.getByTestId('matter-action-acknowledge').count()).toBe(0);
      await settle(page);
      await screenshot(page, 'matters-02-detail-assigned-zh');
    });
  });

  it('the liaison acknowledges on the phone and reports it resolved with a photo', async () => {
    const photo = await makeJpeg({ width: 1024, height: 768, color: '#3a7d44', pattern: 4 });
    await suite.run('matters-h5', { mobile: true }, async (page) => {
      await h5StaffLogin(page, 'liaison');
      await expectText(page.getByTestId('h5-feature-matters'), '交办事项');
      await screenshot(page, 'matters-03-h5-home-zh');
      await page.getByTestId('h5-feature-matters').click();
      await page.waitForURL((u) => u.pathname === '/h5/matters');
      const item = page.getByTestId(`h5-matter-${matterId}`);
      await expectText(item, TITLE);
      await expectText(item, '待签收');
      await screenshot(page, 'matters-04-h5-list-zh');

      await item.click();
      await expectText(page.getByTestId('h5-matter-content'), '救护车');
      await expectText(page.getByTestId('h5-matter-state'), '待签收');
      await screenshot(page, 'matters-05-h5-detail-assigned-zh');

      // 签收
      await page.getByTestId('h5-action-acknowledge').click();
      await page.getByTestId('h5-action-sheet').waitFor();
      await page.getByTestId('h5-action-note').getByRole('textbox').fill('已收到，立即组织整治');
      await page.getByTestId('h5-action-submit').click();
      await expectText(page.getByTestId('h5-matter-state'), '办理中');
      await page.getByTestId('h5-action-resolve').waitFor();
      await toastGone(page);
      await screenshot(page, 'matters-06-h5-detail-in-progress-zh');

      // 报请办结: a photo is required, the sheet says so before asking the server
      await page.getByTestId('h5-action-resolve').click();
      const sheet = page.getByTestId('h5-action-sheet');
      await sheet.waitFor();
      await page
        .getByTestId('h5-action-note')
        .getByRole('textbox')
        .fill('已清理占道摊点 12 处，设置隔离护栏，安排专人值守。');
      await page.getByTestId('h5-action-submit').click();
      await expectText(sheet, '请至少上传一张照片');
      const uploaded = page.waitForResponse(
        (r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/api/files',
      );
      await sheet
        .locator('input[type=file]')
        .setInputFiles({ name: '整改后.jpg', mimeType: 'image/jpeg', buffer: photo });
      expect((await uploaded).status()).toBe(201);
      await imagesLoaded(page, '[data-testid="evidence-picker"] img');
      await screenshot(page, 'matters-07-h5-resolve-sheet-zh');
      await page.getByTestId('h5-action-submit').click();
      await expectText(page.getByTestId('h5-matter-state'), '待验收');
      await page.locator('[data-action="resolve"] [data-testid="h5-matter-thumb"]').waitFor();
      expect(await page.getByTestId('h5-action-resolve').count()).toBe(0);
      await toastGone(page);
      await screenshot(page, 'matters-08-h5-detail-resolved-zh');
    });
  });

  it('the office sees the photo in the history and accepts; the matter is closed', async () => {
    await suite.run('matters-accept', {}, async (page) => {
      await consoleLogin(page, suite.server.url, 'office_admin', PASSWORD);
      await page.goto(`${suite.server.url}/matters`);
      await expectText(page.getByTestId(`matter-state-${matterId}`), '待验收');
      await screenshot(page, 'matters-09-list-zh');

      await page.getByTestId(`matter-link-${matterId}`).click();
      await page.waitForURL((u) => u.pathname === `/matters/${matterId}`);
      const resolved = page.locator('[data-testid="matter-timeline"] [data-action="resolve"]');
      await expectText(resolved, '已清理占道摊点');
      await expectText(resolved, '刘海燕');
      await imagesLoaded(page, '[data-action="resolve"] img');
      expect(await resolved.locator('img').count()).toBe(1);
      await expectText(page.locator('[data-action="acknowledge"]'), '已收到，立即组织整治');
      await settle(page);
      await screenshot(page, 'matters-10-detail-resolved-zh');

      await page.getByTestId('matter-action-accept').click();
      await page.locator('.ant-modal-content:visible').waitFor();
      await screenshot(page, 'matters-11-accept-modal-zh');
      await page.getByTestId('matter-action-ok').click();
      await expectText(page.getByTestId('matter-state'), '已办结');
      await expectText(page.locator('[data-testid="matter-timeline"] [data-action="accept"]'), '王文静');
      expect(await page.getByTestId('matter-action-accept').count()).toBe(0);
      await settle(page);
      await screenshot(page, 'matters-12-detail-closed-zh');

      // switch to English once, on the page
      await page.getByTestId('lang-switch').click();
      await expectText(page.getByTestId('matter-state'), 'Closed');
      await expectText(page.locator('[data-action="resolve"]'), 'Report resolved');
      await screenshot(page, 'matters-13-detail-closed-en');
    });
  });

  it('the office assigns a second matter, in English', async () => {
    await suite.run('matters-assign-en', {}, async (page) => {
      await inEnglish(page);
      await consoleLogin(page, suite.server.url, 'office_admin', PASSWORD);
      await page.goto(`${suite.server.url}/matters`);
      await expectText(page.getByTestId('matter-count-green'), 'On track');
      await expectText(page.getByTestId(`matter-state-${matterId}`), 'Closed');
      await page.getByTestId('matter-assign').click();
      const drawer = page.locator('.ant-drawer-content:visible');
      await drawer.waitFor();
      await page.getByTestId('matter-form-title').fill(TITLE2);
      await page
        .getByTestId('matter-form-content')
        .fill('请对辖区内医疗机构门前的共享单车乱停放进行集中整治。');
      await page.getByTestId('matter-form-level').getByText('Major').click();
      const unit = page.locator('.ant-select', { has: page.locator('input#matter_assigneeUnitId') });
      await unit.click();
      await page.locator('input#matter_assigneeUnitId').fill(UNIT);
      await page
        .locator('.ant-select-dropdown:visible .ant-select-tree-title', { hasText: new RegExp(`^${UNIT}$`) })
        .click();
      await drawer.locator('.ant-drawer-title').click();
      await expectText(unit.locator('.ant-select-selection-item'), UNIT);
      await screenshot(page, 'matters-14-assign-drawer-en');
      await page.getByTestId('matter-form-submit').click();
      await page.waitForURL((u) => /^\/matters\/[0-9a-f-]{36}$/.test(u.pathname));
      matter2 = new URL(page.url()).pathname.split('/')[2];
      await expectText(page.getByTestId('matter-state'), 'Unacknowledged');
      await page.goto(`${suite.server.url}/matters`);
      await expectText(page.getByTestId(`matter-state-${matter2}`), 'Unacknowledged');
      await expectText(page.getByTestId('matter-count-green'), '1');
      await screenshot(page, 'matters-15-list-en');
      // a color card filters the table: open matters of that color only
      await page.getByTestId('matter-count-green').click();
      await expect
        .poll(() => page.getByTestId(`matter-link-${matterId}`).count(), { timeout: 10_000 })
        .toBe(0);
      await page.getByTestId(`matter-link-${matter2}`).waitFor();
    });
  });

  it('the liaison acknowledges it and asks for an extension on the phone, in English', async () => {
    await suite.run('matters-extension-h5-en', { mobile: true }, async (page) => {
      await inEnglish(page);
      await h5StaffLogin(page, 'liaison');
      await expectText(page.getByTestId('h5-feature-matters'), 'Assigned matters');
      await page.getByTestId('h5-feature-matters').click();
      await expectText(page.getByTestId(`h5-matter-${matterId}`), 'Closed');
      await expectText(page.getByTestId(`h5-matter-${matter2}`), 'Unacknowledged');
      await screenshot(page, 'matters-16-h5-list-en');
      await page.getByTestId(`h5-matter-${matter2}`).click();
      await page.getByTestId('h5-action-acknowledge').click();
      await page.getByTestId('h5-action-submit').click();
      await expectText(page.getByTestId('h5-matter-state'), 'In progress');
      await toastGone(page);
      await screenshot(page, 'matters-17-h5-detail-in-progress-en');

      await page.getByTestId('h5-action-request_extension').click();
      const sheet = page.getByTestId('h5-action-sheet');
      await sheet.waitFor();
      await page.getByTestId('h5-action-due').click();
      await page.getByTestId('h5-due-ok').click();
      await expectText(page.getByTestId('h5-action-due'), '24:00');
      await page
        .getByTestId('h5-action-note')
        .getByRole('textbox')
        .fill('需协调交警、城管联合执法，申请延期一周。');
      await toastGone(page);
      await screenshot(page, 'matters-18-h5-extension-sheet-en');
      await page.getByTestId('h5-action-submit').click();
      await expectText(page.getByTestId('h5-matter-extension'), 'Extension waiting for the office');
      await toastGone(page);
      await screenshot(page, 'matters-19-h5-extension-pending-en');
    });
  });

  it('the office approves the extension, in English: the deadline moves', async () => {
    await suite.run('matters-extension-en', {}, async (page) => {
      await inEnglish(page);
      await consoleLogin(page, suite.server.url, 'office_admin', PASSWORD);
      await page.goto(`${suite.server.url}/matters/${matter2}`);
      await expectText(page.getByTestId('matter-extension'), '需协调交警');
      const due = (await page.getByTestId('deadline-resolve').textContent()) ?? '';
      await settle(page);
      await screenshot(page, 'matters-20-detail-extension-en');
      await page.getByTestId('matter-action-approve_extension').click();
      await page.locator('.ant-modal-content:visible').waitFor();
      await screenshot(page, 'matters-21-approve-modal-en');
      await page.getByTestId('matter-action-ok').click();
      await expectText(page.getByTestId('deadline-resolve'), 'Originally');
      expect(await page.getByTestId('matter-extension').count()).toBe(0);
      expect((await page.getByTestId('deadline-resolve').textContent()) ?? '').not.toBe(due);
      await expectText(
        page.locator('[data-testid="matter-timeline"] [data-action="approve_extension"]'),
        '王文静',
      );
      await settle(page);
      await screenshot(page, 'matters-22-detail-extended-en');
    });
  });

  it('shows supervision and scheduled jobs in both languages', async () => {
    for (const lang of ['zh', 'en'] as const) {
      await suite.run(`matters-ops-${lang}`, {}, async (page) => {
        if (lang === 'en') await inEnglish(page);
        await consoleLogin(page, suite.server.url, 'office_admin', PASSWORD);
        await page.goto(`${suite.server.url}/supervision`);
        await expectText(
          page.locator('.ant-page-header-heading-title'),
          lang === 'zh' ? '督办通报' : 'Supervision',
        );
        await page.getByTestId('supervision-supervision').waitFor();
        await screenshot(page, `matters-23-supervision-${lang}`);
        await page.goto(`${suite.server.url}/scheduler`);
        await expectText(page.getByTestId('scheduler-jobs'), 'deadlines.sweep');
        await expectText(page.getByTestId('scheduler-runs'), 'deadlines.sweep');
        await screenshot(page, `matters-24-scheduler-${lang}`);
      });
    }
  });

  it('shows the closed matter on the phone in English', async () => {
    await suite.run('matters-h5-en', { mobile: true }, async (page) => {
      await inEnglish(page);
      await h5StaffLogin(page, 'liaison');
      await page.goto(`${suite.server.url}/h5/matters/${matterId}`);
      await expectText(page.getByTestId('h5-matter-state'), 'Closed');
      await imagesLoaded(page, '[data-testid="h5-matter-thumb"] img');
      await screenshot(page, 'matters-25-h5-detail-closed-en');
    });
  });
});
