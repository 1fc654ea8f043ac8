// The H5 (mobile site) on a phone-sized viewport: SMS sign-in for citizens, a wrong code, and staff sign-in.
// Each test uses its own browser context (its own cookies), so they do not depend on one another.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { requestSmsCode } from './cases-helpers.ts';
import { browserSuite, expectText, screenshot } from './harness.ts';

const CITIZEN_PHONE = '13800138002';
const VOLUNTEER_PHONE = '13800138001';

const suite = browserSuite();
const onPhone = (name: string, body: (page: Page) => Promise<void>) =>
  suite.run(name, { mobile: true }, body);

describe('H5 on a phone', () => {
  it('a citizen signs in with an SMS code and sees the citizen services', async () => {
    await onPhone('h5-citizen-sms', async (page) => {
      await page.goto(`${suite.server.url}/h5`);
      await page.waitForURL((u) => u.pathname === '/h5/login');
      const code = await requestSmsCode(page, suite.server, CITIZEN_PHONE);
      await page.getByTestId('h5-code').fill(code);
      await screenshot(page, 'h5-01-citizen-login');
      await page.getByTestId('h5-login').click();

      await page.getByTestId('h5-user-card').waitFor();
      expect(new URL(page.url()).pathname).toMatch(/^\/h5\/?$/);
      await expectText(page.getByTestId('h5-user-name'), '孙丽娟');
      await expectText(page.getByTestId('h5-user-card'), '市民');
      for (const f of ['report', 'myCases', 'points']) await page.getByTestId(`h5-feature-${f}`).waitFor();
      await expectText(page.getByTestId('h5-feature-report'), '文明随手拍');
      expect(await page.getByTestId('h5-feature-deployments').count()).toBe(0);
      // citizens are not staff: no link to the admin console
      expect(await page.getByTestId('h5-admin-link').count()).toBe(0);
      await screenshot(page, 'h5-02-citizen-home');
    });
  });

  it('a wrong code is refused with a message, the right one then works', async () => {
    await onPhone('h5-wrong-code', async (page) => {
      await page.goto(`${suite.server.url}/h5/login`);
      const code = await requestSmsCode(page, suite.server, VOLUNTEER_PHONE);
      const wrong = String((Number(code) + 1) % 1_000_000).padStart(6, '0');
      await page.getByTestId('h5-code').fill(wrong);
      await page.getByTestId('h5-login').click();

      await page.locator('.adm-form-item-feedback-error', { hasText: '验证码错误或已过期' }).waitFor();
      await screenshot(page, 'h5-03-wrong-code');
      expect(new URL(page.url()).pathname).toBe('/h5/login');
      expect(await page.getByTestId('h5-user-card').count()).toBe(0);

      // one wrong attempt does not burn the code
      await page.getByTestId('h5-code').fill(code);
      await page.getByTestId('h5-login').click();
      await page.getByTestId('h5-user-card').waitFor();
      await expectText(page.getByTestId('h5-user-name'), '徐晓明');
      for (const f of ['activities', 'hours']) await page.getByTestId(`h5-feature-${f}`).waitFor();
      expect(await page.getByTestId('h5-feature-report').count()).toBe(0);
    });
  });

  it('a liaison signs in with a username and sees the liaison services', async () => {
    await onPhone('h5-staff-login', async (page) => {
      await page.goto(`${suite.server.url}/h5/login`);
      await page.getByTestId('h5-staff-link').click();
      await page.waitForURL((u) => u.pathname === '/h5/staff-login');
      await page.getByTestId('h5-staff-username').fill('liaison');
      await page.getByTestId('h5-staff-password').fill('Wenming@2026');
      await page.getByTestId('h5-staff-login').click();

      await page.getByTestId('h5-user-card').waitFor();
      await expectText(page.getByTestId('h5-user-name'), '刘海燕');
      await expectText(page.getByTestId('h5-user-unit'), '卫生健康局');
      await expectText(page.getByTestId('h5-user-card'), '单位联络员');
      await expectText(page.getByTestId('h5-feature-deployments'), '待签收部署');
      await expectText(page.getByTestId('h5-feature-tasks'), '待填报任务');
      expect(await page.getByTestId('h5-feature-report').count()).toBe(0);
      // staff get a link to the admin console
      await page.getByTestId('h5-admin-link').waitFor();
      await screenshot(page, 'h5-04-liaison-home');
    });
  });
});
