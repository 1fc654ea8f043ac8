// Error messages in both languages, and what a signed-in user without the right permission sees.
// Each test uses its own browser context (its own cookies and language), so they do not depend on one another.
import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { browserSuite, expectText, screenshot } from './harness.ts';

const DEMO_PASSWORD = 'Wenming@2026';

const suite = browserSuite();
const inBrowser = (name: string, body: (page: Page) => Promise<void>) => suite.run(name, {}, body);

async function switchLanguage(page: Page, to: 'zh-CN' | 'en-US'): Promise<void> {
  const sw = page.getByTestId('lang-switch');
  expect(await sw.getAttribute('data-lang')).not.toBe(to);
  await sw.click();
  await expect.poll(() => sw.getAttribute('data-lang')).toBe(to);
}

/** The 403 page (AdminRoutes wraps antd's Result in data-testid="forbidden"). */
function forbidden(page: Page): Locator {
  return page.getByTestId('forbidden');
}

describe('errors and languages in the console', () => {
  it('a wrong password is reported in Chinese, then in English after switching', async () => {
    await inBrowser('i18n-wrong-password', async (page) => {
      await page.goto(`${suite.server.url}/login`);
      expect(await page.getByTestId('lang-switch').getAttribute('data-lang')).toBe('zh-CN');
      await page.getByTestId('login-username').fill('office_admin');
      await page.getByTestId('login-password').fill('not-the-password');
      await page.getByTestId('login-submit').click();
      const error = page.getByTestId('login-error');
      await expectText(error, '用户名或密码错误');
      await screenshot(page, 'i18n-01-wrong-password-zh');

      await switchLanguage(page, 'en-US');
      await expectText(page.getByTestId('login-submit'), 'Sign in');
      await page.getByTestId('login-submit').click();
      await expectText(error, 'Wrong username or password');
      expect(await error.textContent()).not.toContain('用户名或密码错误');
      await screenshot(page, 'i18n-02-wrong-password-en');
      expect(new URL(page.url()).pathname).toBe('/login');

      // the choice survives a reload (local storage and the `lang` cookie)
      await page.reload();
      await expect.poll(() => page.getByTestId('lang-switch').getAttribute('data-lang')).toBe('en-US');
      await expectText(page.getByTestId('login-submit'), 'Sign in');
    });
  });

  it('a user without user:read who opens /users signs in and gets the 403 page', async () => {
    await inBrowser('i18n-forbidden', async (page) => {
      // signed out: sent to the login page, which remembers where we were going
      await page.goto(`${suite.server.url}/users`);
      await page.waitForURL((u) => u.pathname === '/login');
      expect(new URL(page.url()).searchParams.get('next')).toBe('/users');

      // the demo liaison may read the organisation but not the users
      await page.getByTestId('login-username').fill('liaison');
      await page.getByTestId('login-password').fill(DEMO_PASSWORD);
      await page.getByTestId('login-submit').click();
      await page.waitForURL((u) => u.pathname === '/users');
      await expectText(forbidden(page), '您没有访问此页面的权限');
      await expectText(forbidden(page), '403');
      expect(await page.getByTestId('user-create').count()).toBe(0);
      expect(await page.getByRole('menuitem', { name: '用户管理' }).count()).toBe(0);
      await page.getByRole('menuitem', { name: '组织机构' }).waitFor();
      await screenshot(page, 'i18n-03-forbidden-zh');

      // the server refuses too, in the caller's language
      const api = await page.evaluate(async () => {
        const res = await fetch('/api/users');
        return {
          status: res.status,
          body: (await res.json()) as { error?: { code?: string; message?: string } },
        };
      });
      expect(api.status).toBe(403);
      expect(api.body.error?.code).toBe('FORBIDDEN');
      expect(api.body.error?.message).toBe('没有权限执行此操作');

      // the audit log is closed to them as well, and the 403 page follows the language
      await page.goto(`${suite.server.url}/audit`);
      await expectText(forbidden(page), '您没有访问此页面的权限');
      await switchLanguage(page, 'en-US');
      await expectText(forbidden(page), 'You do not have permission to view this page.');
      await page.getByRole('menuitem', { name: 'Organisation' }).waitFor();
      await screenshot(page, 'i18n-04-forbidden-en');
    });
  });
});
