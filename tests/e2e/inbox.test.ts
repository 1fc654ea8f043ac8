// Notifications in the browser: the console's bell and inbox, the settings pages, and the H5 inbox.
// Notifications are written through the notify service straight into the running server's database.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../apps/server/src/config.ts';
import { createWebhook } from '../../apps/server/src/modules/notifications/webhooks.ts';
import { SYSTEM_ACTOR } from '../../apps/server/src/platform/audit/audit.ts';
import { createContext } from '../../apps/server/src/platform/bootstrap.ts';
import type { AppContext } from '../../apps/server/src/platform/context.ts';
import { createLogger } from '../../apps/server/src/platform/log.ts';
import { type NotifyInput, notify } from '../../apps/server/src/platform/notify/service.ts';
import { writeTx } from '../../apps/server/src/platform/tx.ts';
import { DEMO_PASSWORD } from '../../apps/server/src/seed/demo.ts';
import { browserSuite, consoleLogin, expectText, screenshot } from './harness.ts';

const suite = browserSuite();
let ctx: AppContext;
let liaison: string;

function send(input: NotifyInput) {
  return writeTx(ctx, SYSTEM_ACTOR, (tx) => notify(tx, input));
}

beforeAll(async () => {
  const config = loadConfig({ WENMING_DATA_DIR: suite.server.dataDir, LOG_LEVEL: 'silent' });
  ctx = await createContext(config, createLogger('silent'));
  const db = ctx.database.db;
  liaison = (
    await db.selectFrom('users').select('id').where('username', '=', 'liaison').executeTakeFirstOrThrow()
  ).id;
  const health = (
    await db.selectFrom('org_units').select('id').where('name', '=', '市卫生健康局').executeTakeFirstOrThrow()
  ).id;
  await createWebhook(
    ctx,
    SYSTEM_ACTOR,
    { kind: 'all' },
    {
      name: '卫健局工作群',
      channel: 'wecom',
      unitId: health,
      url: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7aaa-4bc4-97a0-0ec2sifa5aaa',
    },
  );
  await send({
    units: { unitIds: [health] },
    kind: 'deadline.overdue',
    params: { label: 'JB-2026-0007 清理背街小巷堆物', due: '2026-03-09', daysLate: 2, unit: '市卫生健康局' },
    record: { type: 'matter', id: '01900000-0000-7000-8000-000000000007' },
  });
  await send({
    userIds: [liaison],
    kind: 'deadline.reminder',
    params: { label: 'JB-2026-0012 公益广告更新', due: '2026-03-12', unit: '市卫生健康局' },
  });
});
afterAll(async () => {
  await ctx?.database.close();
});

async function switchLanguage(page: Page, to: 'zh-CN' | 'en-US'): Promise<void> {
  const sw = page.getByTestId('lang-switch');
  await sw.click();
  await expect.poll(() => sw.getAttribute('data-lang')).toBe(to);
}

const bellCount = (page: Page) => page.getByTestId('notification-bell').getAttribute('data-unread');

describe('notifications in the console', () => {
  it('the bell shows the unread count; the inbox marks notifications read and the count drops', async () => {
    await suite.run('inbox-console', {}, async (page) => {
      await consoleLogin(page, suite.server.url, 'liaison', DEMO_PASSWORD);
      await expect.poll(() => bellCount(page)).toBe('2');
      await screenshot(page, 'inbox-01-bell-zh');

      await page.getByTestId('notification-bell').click();
      await page.waitForURL((u) => u.pathname === '/inbox');
      const items = page.locator('[data-testid^="inbox-item-"]');
      await expect.poll(() => items.count()).toBe(2);
      await expectText(items.first(), '办理时限提醒');
      await expectText(items.nth(1), '“JB-2026-0007 清理背街小巷堆物”已超过办理时限（2026-03-09）2 个工作日');
      await screenshot(page, 'inbox-02-list-zh');

      await items.first().locator('[data-testid^="inbox-read-"]').click();
      await expect.poll(() => bellCount(page)).toBe('1');
      await expect.poll(() => items.first().getAttribute('data-read')).toBe('true');

      await page.getByTestId('inbox-filter-unread').click();
      await expect.poll(() => items.count()).toBe(1);
      await expectText(items.first(), '已超期');

      await page.getByTestId('inbox-read-all').click();
      await expect.poll(() => bellCount(page)).toBe('0');
      await expect.poll(() => items.count()).toBe(0);

      await page.getByText('全部', { exact: true }).click();
      await expect.poll(() => items.count()).toBe(2);
      await switchLanguage(page, 'en-US');
      await expectText(items.first(), 'Deadline reminder');
      await expectText(items.nth(1), 'is 2 working days past its deadline');
      await screenshot(page, 'inbox-03-list-en');
    });
  });

  it('a user switches SMS per kind on the notification settings page', async () => {
    await suite.run('inbox-settings', {}, async (page) => {
      await consoleLogin(page, suite.server.url, 'liaison', DEMO_PASSWORD);
      await page.goto(`${suite.server.url}/settings/notifications`);
      const circular = page.getByTestId('prefs-sms-deadline.circular');
      await expect.poll(() => circular.getAttribute('aria-checked')).toBe('false');
      await circular.click();
      await expect.poll(() => circular.getAttribute('aria-checked')).toBe('true');
      await expectText(page.getByTestId('prefs-group-deadline'), '已自定义（默认关）');
      await screenshot(page, 'inbox-04-settings-zh');
      await switchLanguage(page, 'en-US');
      await expectText(page.getByTestId('prefs-group-deadline'), 'Customised (default: off)');
      await screenshot(page, 'inbox-05-settings-en');
    });
  });

  it('an office administrator manages group robots and reads the delivery log', async () => {
    await suite.run('inbox-webhooks', {}, async (page) => {
      await consoleLogin(page, suite.server.url, 'office_admin', DEMO_PASSWORD);
      await page.goto(`${suite.server.url}/settings/webhooks`);
      const table = page.getByTestId('webhooks-table');
      await expectText(table, '卫健局工作群');
      await expectText(table, 'key=693a****5aaa');
      await screenshot(page, 'inbox-06-webhooks-zh');

      await page.getByTestId('webhook-new').click();
      await page.getByTestId('webhook-name').fill('错误地址');
      await page.getByTestId('webhook-url').fill('https://example.com/hook');
      await page.getByTestId('webhook-unit').click();
      await page.locator('.ant-select-tree-title', { hasText: '文明办本级群' }).click();
      await page.getByTestId('webhook-save').click();
      await page
        .locator('.ant-form-item-explain-error', { hasText: '应为企业微信群机器人的 Webhook 地址' })
        .waitFor();
      await screenshot(page, 'inbox-07-webhook-invalid-zh');
      await page.keyboard.press('Escape');

      await page.getByTestId('webhooks-tab-log').click();
      await expectText(page.locator('.ant-pro-table'), '卫健局工作群');
      await screenshot(page, 'inbox-08-delivery-log-zh');
      await switchLanguage(page, 'en-US');
      await expectText(page.locator('.ant-pro-table'), 'WeCom');
      await screenshot(page, 'inbox-09-delivery-log-en');
      await page.getByText('Robots', { exact: true }).click();
      await expectText(table, 'Send test');
      await screenshot(page, 'inbox-10-webhooks-en');
    });
  });
});

describe('notifications on the H5', () => {
  it('the home page shows the unread badge; tapping a notification in the inbox reads it', async () => {
    await send({
      userIds: [liaison],
      kind: 'notice.received',
      params: { title: '关于开展文明交通劝导活动的通知', sender: '市文明办' },
    });
    await suite.run('inbox-h5', { mobile: true }, async (page) => {
      await page.goto(`${suite.server.url}/h5/staff-login`);
      await page.getByTestId('h5-staff-username').fill('liaison');
      await page.getByTestId('h5-staff-password').fill(DEMO_PASSWORD);
      await page.getByTestId('h5-staff-login').click();
      await page.getByTestId('h5-user-card').waitFor();
      const badge = page.getByTestId('h5-inbox-link').locator('.adm-badge-content');
      await expectText(badge, '1');
      await screenshot(page, 'inbox-11-h5-home-zh');

      await page.getByTestId('h5-inbox-link').click();
      await page.waitForURL((u) => u.pathname === '/h5/inbox');
      const items = page.locator('[data-testid^="h5-inbox-item-"]');
      await expect.poll(() => items.count()).toBe(3);
      await expectText(items.first(), '市文明办发来通知“关于开展文明交通劝导活动的通知”');
      await screenshot(page, 'inbox-12-h5-inbox-zh');
      await items.first().click();
      await expect.poll(() => items.first().getAttribute('data-read')).toBe('true');

      await page.goto(`${suite.server.url}/h5`);
      await page.getByTestId('h5-user-card').waitFor();
      await expect.poll(() => badge.count()).toBe(0);
      await switchLanguage(page, 'en-US');
      await page.getByTestId('h5-inbox-link').click();
      await expect.poll(() => items.count()).toBe(3);
      await expectText(items.first(), 'New notice');
      await screenshot(page, 'inbox-13-h5-inbox-en');
    });
  });
});
