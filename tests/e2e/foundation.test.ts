// The foundation's end-to-end story in the admin console: the office admin adds a village under a township and a
// liaison in it; the liaison's first sign-in forces a password change, then shows a home limited to their rights;
// the language switch turns the console into English and back.
//
// The tests run in order and share one browser page: each continues where the previous one stopped.
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  consoleLogin,
  expectText,
  failureScreenshot,
  launchBrowser,
  newPage,
  type RunningServer,
  screenshot,
  startServer,
  watchPage,
} from './harness.ts';

const DEMO_PASSWORD = 'Wenming@2026';
const TOWNSHIP = '南孟镇';
const VILLAGE = 'E2E测试村';
const LIAISON = {
  username: 'e2e_liaison',
  displayName: 'E2E联络员',
  initial: 'Init#2026ab',
  final: 'Better#2026cd',
};

let server: RunningServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let diag: ReturnType<typeof watchPage>;

beforeAll(async () => {
  [server, browser] = await Promise.all([startServer(), launchBrowser()]);
  ({ context, page } = await newPage(browser));
  diag = watchPage(page);
  page.setDefaultTimeout(15_000);
  page.setDefaultNavigationTimeout(30_000);
});

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await server?.stop();
});

/** Runs a test body; on failure saves `<name>-failure.png` and rethrows. */
async function step(name: string, body: () => Promise<void>): Promise<void> {
  diag.report(); // forget what earlier steps recorded
  try {
    await body();
  } catch (e) {
    await failureScreenshot(page, name);
    console.error(`${name} failed at ${page.url()}; the page recorded:\n${diag.report()}`);
    throw e;
  }
}

/** The antd Select (or TreeSelect) whose search input has this id, e.g. `unit_type` for form `unit`, field `type`. */
function selectById(id: string): Locator {
  return page.locator('.ant-select', { has: page.locator(`input#${id}`) });
}

/** An option of the open antd Select dropdown, by its exact label. */
function openOption(label: string): Locator {
  return page.locator(`.ant-select-dropdown:visible .ant-select-item-option[title="${label}"]`);
}

/** Whether a request is the Users page's list query (`GET /api/users?…`). */
function isUserList(url: string, method: string): boolean {
  return method === 'GET' && new URL(url).pathname === '/api/users';
}

/** The text of a locator, waiting (bounded) until it contains `text`. */

describe('foundation: organisation, users, first sign-in, language', () => {
  it('the office admin adds a village under 南孟镇', async () => {
    await step('foundation-add-village', async () => {
      await consoleLogin(page, server.url, 'office_admin', DEMO_PASSWORD);
      await expectText(page.getByTestId('home-welcome'), '王文静');

      await page.getByRole('menuitem', { name: '组织机构' }).click();
      await page.waitForURL((u) => u.pathname === '/org');
      await page.getByTestId('org-tree').waitFor();

      await page.getByTestId('org-search').fill(TOWNSHIP);
      await page.locator('.ant-list-item-meta-title', { hasText: new RegExp(`^${TOWNSHIP}$`) }).click();
      await expectText(page.getByTestId('org-detail-name'), TOWNSHIP);
      // the search is cleared and the tree shows the township, selected
      const townshipNode = page.locator('[data-testid^="org-node-"]', {
        hasText: new RegExp(`^${TOWNSHIP}$`),
      });
      await townshipNode.waitFor();
      const selectedNode = page.locator('.ant-tree-treenode-selected [data-testid^="org-node-"]');
      await expect.poll(() => selectedNode.textContent()).toBe(TOWNSHIP);

      await page.getByTestId('org-add-child').click();
      const modal = page.locator('.ant-modal:visible');
      await expectText(modal.locator('.ant-modal-title'), TOWNSHIP);
      await page.getByTestId('org-form-name').fill(VILLAGE);
      await selectById('unit_type').click();
      await openOption('村（社区）').click();
      await expectText(selectById('unit_type').locator('.ant-select-selection-item'), '村（社区）');
      await screenshot(page, 'foundation-01-add-village-form');
      await page.getByTestId('org-form-submit').click();
      await modal.waitFor({ state: 'hidden' });

      // the new unit is selected and revealed in the tree, under the township
      await expectText(page.getByTestId('org-detail-name'), VILLAGE);
      await page.locator('[data-testid^="org-node-"]', { hasText: new RegExp(`^${VILLAGE}$`) }).waitFor();
      const detail = page.getByTestId('org-detail');
      await expectText(detail, `${TOWNSHIP}`);
      await expectText(detail, '村（社区）');
      await screenshot(page, 'foundation-02-village-created');
    });
  });

  it('the office admin creates a liaison in the new village', async () => {
    await step('foundation-create-liaison', async () => {
      const listed = page.waitForResponse((r) => isUserList(r.url(), r.request().method()));
      await page.getByRole('menuitem', { name: '用户管理' }).click();
      await page.waitForURL((u) => u.pathname === '/users');
      expect((await listed).status()).toBe(200);
      await page.getByTestId('user-create').click();
      const drawer = page.locator('.ant-drawer-content:visible');
      await drawer.waitFor();

      await page.getByTestId('user-form-username').fill(LIAISON.username);
      await page.getByTestId('user-form-display-name').fill(LIAISON.displayName);

      await selectById('user_unitId').click();
      await page.locator('input#user_unitId').fill(VILLAGE);
      await page
        .locator('.ant-select-dropdown:visible .ant-select-tree-title', {
          hasText: new RegExp(`^${VILLAGE}$`),
        })
        .click();
      await expectText(selectById('user_unitId').locator('.ant-select-selection-item'), VILLAGE);

      // a new user starts as a liaison; make sure, without toggling it off
      const roles = selectById('user_roles');
      const liaisonTag = roles.locator('.ant-select-selection-item[title="单位联络员"]');
      if ((await liaisonTag.count()) === 0) {
        await roles.click();
        await openOption('单位联络员').click();
        await drawer.locator('.ant-drawer-title').click();
      }
      await liaisonTag.waitFor();
      expect(await roles.locator('.ant-select-selection-item').count()).toBe(1);

      await selectById('user_dataScope').click();
      await openOption('本单位').click();
      await expectText(selectById('user_dataScope').locator('.ant-select-selection-item'), '本单位');

      await page.getByTestId('user-form-password').fill(LIAISON.initial);
      await screenshot(page, 'foundation-03-liaison-form');
      // saving reloads the list: let that finish first, or its answer could land after the search's
      const reloaded = page.waitForResponse((r) => isUserList(r.url(), r.request().method()));
      await page.getByTestId('user-form-submit').click();
      await drawer.waitFor({ state: 'hidden' });
      await reloaded;

      const searched = page.waitForResponse(
        (r) =>
          isUserList(r.url(), r.request().method()) &&
          new URL(r.url()).searchParams.get('keyword') === LIAISON.username,
      );
      await page.getByTestId('user-search-keyword').fill(LIAISON.username);
      await page.getByTestId('user-search-keyword').press('Enter');
      expect((await searched).status()).toBe(200);
      const row = page.locator('.ant-table-row', { hasText: LIAISON.username });
      await row.waitFor();
      await expect.poll(() => page.locator('.ant-table-row').count()).toBe(1);
      const text = (await row.textContent()) ?? '';
      for (const s of [LIAISON.displayName, VILLAGE, '单位联络员']) expect(text).toContain(s);
      await screenshot(page, 'foundation-04-liaison-created');

      await page.getByTestId('logout').click();
      await page.waitForURL((u) => u.pathname === '/login');
    });
  });

  it("the liaison's first sign-in forces a password change, then shows their home", async () => {
    await step('foundation-liaison-first-login', async () => {
      await consoleLogin(page, server.url, LIAISON.username, LIAISON.initial);
      await page.waitForURL((u) => u.pathname === '/change-password');
      await page.getByTestId('pw-old').fill(LIAISON.initial);
      await page.getByTestId('pw-new').fill(LIAISON.final);
      await page.getByTestId('pw-confirm').fill(LIAISON.final);
      await screenshot(page, 'foundation-05-change-password');
      await page.getByTestId('pw-submit').click();
      await page.waitForURL((u) => u.pathname === '/');

      const welcome = page.getByTestId('home-welcome');
      await expectText(welcome, `您好，${LIAISON.displayName}`);
      await expectText(welcome, VILLAGE);
      await expectText(welcome, '单位联络员');
      await expectText(page.getByTestId('header-unit'), VILLAGE);
      // liaisons may read the organisation but not users
      await page.getByRole('menuitem', { name: '组织机构' }).waitFor();
      expect(await page.getByRole('menuitem', { name: '用户管理' }).count()).toBe(0);
      expect(await page.locator('a[href="/users"]').count()).toBe(0);
      await page.getByTestId('home-link-org').waitFor();
      expect(await page.getByTestId('home-link-users').count()).toBe(0);
      await screenshot(page, 'foundation-06-liaison-home');

      // the Organisation page is read-only for them
      await page.getByRole('menuitem', { name: '组织机构' }).click();
      await page.waitForURL((u) => u.pathname === '/org');
      await expectText(page.getByTestId('org-detail-name'), VILLAGE);
      for (const id of [
        'org-add-child',
        'org-edit',
        'org-move',
        'org-delete',
        'org-import',
        'org-alias-input',
      ]) {
        expect(await page.getByTestId(id).count(), id).toBe(0);
      }
      await screenshot(page, 'foundation-07-liaison-org-read-only');

      // the new password is the one that works now
      await page.getByTestId('logout').click();
      await page.waitForURL((u) => u.pathname === '/login');
      await consoleLogin(page, server.url, LIAISON.username, LIAISON.final);
      await page.waitForURL((u) => u.pathname === '/');
      await expectText(page.getByTestId('home-welcome'), LIAISON.displayName);
    });
  });

  it('the language switch turns the console into English and back', async () => {
    await step('foundation-language', async () => {
      const sw = page.getByTestId('lang-switch');
      expect(await sw.getAttribute('data-lang')).toBe('zh-CN');
      await sw.click();
      await expect.poll(() => sw.getAttribute('data-lang')).toBe('en-US');
      const welcome = page.getByTestId('home-welcome');
      await expectText(welcome, `Welcome, ${LIAISON.displayName}`);
      await expectText(welcome, 'Unit liaison');
      await expectText(welcome, 'Own unit');
      await page.getByRole('menuitem', { name: /Dashboard$/ }).waitFor();
      await page.getByRole('menuitem', { name: 'Organisation' }).waitFor();
      await expectText(page.getByTestId('logout'), 'Sign out');
      expect(await page.evaluate(() => document.documentElement.lang)).toBe('en-US');
      await screenshot(page, 'foundation-08-english');

      await sw.click();
      await expect.poll(() => sw.getAttribute('data-lang')).toBe('zh-CN');
      await expectText(welcome, `您好，${LIAISON.displayName}`);
      await page.getByRole('menuitem', { name: /工作台$/ }).waitFor();
      await expectText(page.getByTestId('logout'), '退出登录');
    });
  });
});
