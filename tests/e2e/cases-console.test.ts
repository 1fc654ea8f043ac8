// Citizen cases on the console: the office sets a routing rule (交通秩序 in the first township → that
// township) and turns on answer review for 交通秩序; a citizen files two cases over the API, one of each
// category; the unrouted one (市容环境) waits in the dispatch queue and the office dispatches it to the
// township; the township's liaison signs for both and answers them in the console: the 市容环境 case waits
// for the citizen's rating (待评价), the reviewed 交通秩序 one for the office (已答复). Then every page in
// English. The tests run in order: each continues with the cases the one before filed.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { makeJpeg } from '../helpers/images.ts';
import { apiAs, type Caller, PASSWORD } from './cases-helpers.ts';
import { browserSuite, cancelDialog, consoleLogin, expectText, screenshot } from './harness.ts';

const ENV_TEXT = '小区东门外垃圾桶满溢多日，周边污水横流，气味难闻，请尽快清运处理。';
const TRAFFIC_TEXT = '学校门口早高峰车辆乱停乱放，占用人行道，学生上学很危险。';
const ANSWER = '已联系环卫所清运垃圾并冲洗路面，增设两个垃圾桶，安排保洁员每日巡查。';
const WIDTH = 1366;

const suite = browserSuite();

interface Category {
  id: string;
  code: string;
  nameZh: string;
}

const state = {
  township: '',
  townshipId: '',
  villageId: '',
  envCase: '',
  envNo: '',
  trafficCase: '',
  trafficNo: '',
};

/** Scrolls to the top, moves the mouse away and waits for tooltips, messages and dialogs to go. */
async function settle(page: Page): Promise<void> {
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.mouse.move(0, 700);
  await expect
    .poll(() => page.locator('.ant-tooltip:visible, .ant-message-notice, .ant-modal:visible').count(), {
      timeout: 10_000,
    })
    .toBe(0);
}

/** Nothing wider than the window (no horizontal scroll bar on the page itself). */
async function noOverflow(page: Page): Promise<void> {
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(width).toBeLessThanOrEqual(WIDTH);
}

/** Picks `name` in the tree select whose input has id `inputId` (UnitTreeSelect names its dropdown after it). */
async function pickUnit(page: Page, inputId: string, name: string): Promise<void> {
  const select = page.locator('.ant-select', { has: page.locator(`input#${inputId}`) });
  const option = page.locator(`.unit-tree-popup-${inputId} .ant-select-tree-title`, {
    hasText: new RegExp(`^${name}$`),
  });
  // a busy machine may swallow a click while the dropdown animates: check, and pick again if needed
  const shown = () =>
    select.evaluate((el) => el.querySelector('.ant-select-selection-item')?.textContent ?? '');
  for (let attempt = 0; attempt < 3 && (await shown()) !== name; attempt++) {
    await select.click();
    await page.locator(`input#${inputId}`).fill(name);
    await option.click();
    await expect
      .poll(shown, { timeout: 3_000 })
      .toBe(name)
      .catch(() => undefined);
  }
  await expectText(select.locator('.ant-select-selection-item'), name);
}

async function pickOption(page: Page, testId: string, label: string): Promise<void> {
  const select = page.getByTestId(testId);
  const shown = () => select.evaluate((el) => (el.closest('.ant-select') ?? el).textContent ?? '');
  // a busy machine may swallow a click while the dropdown animates: check, and pick again if needed
  for (let attempt = 0; attempt < 3 && !(await shown()).includes(label); attempt++) {
    await select.click();
    await page
      .locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: label })
      .first()
      .click();
    await expect
      .poll(shown, { timeout: 3_000 })
      .toContain(label)
      .catch(() => undefined);
  }
  expect(await shown()).toContain(label);
}

/** Confirms the action dialog and waits until it has closed (clicking again if a busy page swallowed the click). */
async function confirmAction(page: Page): Promise<void> {
  const ok = page.getByTestId('case-action-ok');
  const closed = (timeout: number) => expect.poll(() => ok.isVisible(), { timeout }).toBe(false);
  await ok.click();
  try {
    await closed(5_000);
  } catch {
    const busy = (await ok.getAttribute('class'))?.includes('ant-btn-loading');
    if (!busy && (await ok.isVisible())) await ok.click();
    await closed(15_000);
  }
}

async function openMenu(page: Page, item: string): Promise<void> {
  const entry = page.getByRole('menuitem', { name: item, exact: true });
  if (!(await entry.isVisible()))
    await page.getByRole('menuitem', { name: /群众诉求|Citizen cases/ }).click();
  await entry.click();
}

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
      { timeout: 20_000 },
    )
    .toBe(true);
}

describe('case console: routing rules, dispatch queue, dispatch, sign and answer', () => {
  it('the office adds a routing rule, turns on answer review and tries the rules', async () => {
    const liaison = await apiAs(suite.server, 'liaison_town');
    state.township = liaison.user.unitName ?? '';
    state.townshipId = liaison.user.unitId ?? '';
    state.villageId = (await apiAs(suite.server, 'citizen')).user.unitId ?? '';
    expect(state.township).not.toBe('');

    await suite.run('cases-console-rules', {}, async (page) => {
      await consoleLogin(page, suite.server.url, 'office_admin', PASSWORD);
      await openMenu(page, '类别与分拨规则');
      await page.waitForURL((u) => u.pathname === '/cases/categories');
      await expectText(page.getByTestId('category-table'), '交通秩序');
      await expectText(page.getByTestId('rule-table'), '还没有分拨规则');

      // 交通秩序: answers are reviewed by the office
      await page.getByTestId('category-edit-traffic').click();
      await page.locator('.ant-modal:visible').getByLabel('答复审核').check();
      await page.getByTestId('category-save').click();
      await expectText(page.getByTestId('category-answerReview-traffic'), '是');
      // the next dialog shows its own category's values, not the last one's
      await page.getByTestId('category-edit-environment').click();
      const dialog = page.locator('.ant-modal:visible');
      await expect.poll(() => dialog.getByLabel('须附照片').isChecked()).toBe(true);
      expect(await dialog.getByLabel('答复审核').isChecked()).toBe(false);
      await cancelDialog(page);
      // after a cancelled dialog too (it once showed the cancelled category's values)
      await page.getByTestId('category-edit-rumour').click();
      await expect.poll(() => dialog.getByTestId('category-name-zh').inputValue()).toBe('网络谣言');
      expect(await dialog.getByLabel('公开').isChecked()).toBe(false);
      await cancelDialog(page);

      // 交通秩序 anywhere in the township → the township
      await page.getByTestId('rule-add').click();
      await pickOption(page, 'rule-category', '交通秩序');
      await pickUnit(page, 'rule_areaUnitId', state.township);
      await pickUnit(page, 'rule_unitId', state.township);
      await page.getByTestId('rule-note').fill('镇域交通秩序由镇综合执法办理');
      await page.getByTestId('rule-save').click();
      await expectText(page.getByTestId('rule-table'), '镇域交通秩序');

      // the try box: traffic from the township goes there; environment has no rule
      await pickOption(page, 'rule-try-category', '交通秩序');
      await pickUnit(page, 'rule-try-area', state.township);
      await page.getByTestId('rule-try-run').click();
      await expectText(page.getByTestId('rule-try-result'), `将派给：${state.township}`);
      await settle(page);
      await noOverflow(page);
      await screenshot(page, 'cases-console-01-categories-zh');

      await pickOption(page, 'rule-try-category', '市容环境');
      await page.getByTestId('rule-try-run').click();
      await expectText(page.getByTestId('rule-try-result'), '没有匹配的规则');
    });
  });

  it('a citizen files two cases; the unrouted one waits in the queue and the office dispatches it', async () => {
    const citizen = await apiAs(suite.server, 'citizen');
    const categories = await citizen.get<{ items: Category[] } | Category[]>('/api/case-categories');
    const list = Array.isArray(categories) ? categories : categories.items;
    const byCode = new Map(list.map((c) => [c.code, c.id]));
    const photo = await makeJpeg({ width: 1024, height: 768, color: '#6b8e23', pattern: 3 });
    const file = async (code: string, description: string, withPhoto: boolean) => {
      const form = new FormData();
      form.set('kind', 'snapshot');
      form.set('categoryId', byCode.get(code) ?? '');
      form.set('description', description);
      form.set('areaUnitId', state.villageId);
      form.set('address', '幸福路 18 号');
      form.set('anonymous', 'false');
      if (withPhoto)
        form.append('photos', new Blob([new Uint8Array(photo)], { type: 'image/jpeg' }), 'scene.jpg');
      return citizen.post<{ id: string; no: string; state: string; unitName: string | null }>(
        '/api/cases',
        form,
      );
    };
    const env = await file('environment', ENV_TEXT, true);
    const traffic = await file('traffic', TRAFFIC_TEXT, true);
    expect(env.state).toBe('pending');
    expect(traffic).toMatchObject({ state: 'dispatched', unitName: state.township });
    Object.assign(state, { envCase: env.id, envNo: env.no, trafficCase: traffic.id, trafficNo: traffic.no });

    await suite.run('cases-console-queue', {}, async (page) => {
      await consoleLogin(page, suite.server.url, 'office_admin', PASSWORD);
      await openMenu(page, '派单队列');
      await page.waitForURL((u) => u.pathname === '/cases/queue');
      await expectText(page.getByTestId(`case-row-${env.id}`), env.no);
      expect(await page.getByTestId(`case-row-${traffic.id}`).count()).toBe(0);
      await expectText(page.getByTestId('case-queue-count'), '待派单 1 件');
      await settle(page);
      await noOverflow(page);
      await screenshot(page, 'cases-console-02-queue-zh');

      await page.getByTestId(`case-dispatch-${env.id}`).click();
      await expectText(page.getByTestId('case-action-suggestion'), '没有匹配');
      await pickUnit(page, 'caseAction_unitId', state.township);
      await screenshot(page, 'cases-console-03-dispatch-zh');
      await confirmAction(page);
      await expectText(page.getByTestId('case-queue'), '没有待派单的诉求');

      await openMenu(page, '诉求列表');
      await page.waitForURL((u) => u.pathname === '/cases');
      await expectText(page.getByTestId(`case-state-${env.id}`), '已派单');
      await expectText(page.getByTestId(`case-state-${traffic.id}`), '已派单');
      await settle(page);
      await noOverflow(page);
      await screenshot(page, 'cases-console-04-list-zh');

      // the search box finds a case by its number
      await page.getByTestId('case-filter-q').fill(traffic.no);
      await page.getByTestId('case-filter-submit').click();
      await expectText(page.getByTestId('case-count'), '1');
      expect(await page.getByTestId(`case-row-${env.id}`).count()).toBe(0);

      await page.goto(`${suite.server.url}/cases/${env.id}`);
      await expectText(page.getByTestId('case-state'), '已派单');
      await expectText(page.getByTestId('case-unit'), state.township);
      await expectText(page.getByTestId('case-description'), '垃圾桶满溢');
      await expectText(page.getByTestId('case-timeline'), '派单');
      await imagesLoaded(page, '[data-testid="case-photo-thumb"] img, img[data-testid="case-photo-thumb"]');
      // the office sees the masked phone only
      await expectText(page.getByTestId('case-contact-phone'), '****');
      // showing it in full needs pii:read, which no demo role holds
      expect(await page.getByTestId('case-contact-reveal').count()).toBe(0);
      await settle(page);
      await noOverflow(page);
      await screenshot(page, 'cases-console-05-detail-dispatched-zh');

      // a valid report (the reporter's points), and the photo taken off the public view
      await page.getByTestId('case-valid').click();
      await page.getByTestId('case-reason-ok').click();
      await expectText(page.getByTestId('case-validity-value'), '已标记为有效诉求');
      const photoTile = page.locator('[data-testid^="case-photo-"][data-hidden]').first();
      await photoTile.locator('[data-testid^="case-photo-hide-"]').click();
      await page.getByTestId('case-reason-ok').click();
      await expectText(page.locator('.ant-modal:visible'), '请填写说明');
      await page.getByTestId('case-reason-text').fill('照片中可见路人面部');
      await page.getByTestId('case-reason-ok').click();
      await expect.poll(() => photoTile.getAttribute('data-hidden')).toBe('true');
    });
  });

  it('the township liaison signs for both and answers: 待评价 without review, 已答复 with it', async () => {
    const after = await makeJpeg({ width: 800, height: 600, color: '#2f6f9f', pattern: 5 });
    await suite.run('cases-console-liaison', {}, async (page) => {
      await consoleLogin(page, suite.server.url, 'liaison_town', PASSWORD);
      await openMenu(page, '诉求列表');
      await page.waitForURL((u) => u.pathname === '/cases');
      await expectText(page.getByTestId(`case-row-${state.envCase}`), state.envNo);
      await expectText(page.getByTestId(`case-row-${state.trafficCase}`), state.trafficNo);
      await settle(page);
      await screenshot(page, 'cases-console-06-list-liaison-zh');

      for (const [id, expected] of [
        [state.envCase, '待评价'],
        [state.trafficCase, '已答复'],
      ] as const) {
        await page.goto(`${suite.server.url}/cases/${id}`);
        await expectText(page.getByTestId('case-state'), '已派单');
        // the office's actions are not offered to the unit
        expect(await page.getByTestId('case-action-reassign').count()).toBe(0);
        await page.getByTestId('case-action-sign').click();
        await confirmAction(page);
        await expectText(page.getByTestId('case-state'), '已签收');

        await page.getByTestId('case-action-answer').click();
        // the answer is required: the form says so before asking the server
        await page.getByTestId('case-action-ok').click();
        await expectText(page.locator('.ant-modal:visible'), '请填写说明');
        await page.getByTestId('case-action-note').fill(ANSWER);
        await expect.poll(() => page.locator('.ant-form-item-explain-error').count()).toBe(0);
        if (id === state.envCase) {
          // a photo after the work, through the console's evidence uploader
          const uploaded = page.waitForResponse(
            (r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/api/files',
          );
          await page
            .getByTestId('evidence-upload')
            .locator('input[type=file]')
            .setInputFiles({ name: '清运后.jpg', mimeType: 'image/jpeg', buffer: after });
          expect((await uploaded).status()).toBe(201);
          await expect
            .poll(() => page.locator('[data-testid="evidence-upload-item"][data-status="done"]').count())
            .toBe(1);
          await screenshot(page, 'cases-console-07-answer-zh');
        }
        await confirmAction(page);
        await expectText(page.getByTestId('case-state'), expected);
        await expectText(page.getByTestId('case-answer'), '增设两个垃圾桶');
        await expectText(page.getByTestId('case-timeline'), '答复');
        if (id === state.envCase) {
          await expect
            .poll(() => page.getByTestId('case-after-photos').locator('[data-hidden]').count())
            .toBe(1);
          await imagesLoaded(page, '[data-testid="case-after-photos"] img');
          await settle(page);
          await noOverflow(page);
          await screenshot(page, 'cases-console-08a-detail-rating-zh');
        }
      }
      await settle(page);
      await noOverflow(page);
      await screenshot(page, 'cases-console-08b-detail-answered-zh');
    });
  });

  it('every page in English at 1366 px (with a case the township returned to the queue)', async () => {
    // a 公共秩序 case (no rule): the office dispatches it to the township, which returns it (not theirs)
    const [citizen, office, liaison] = await Promise.all([
      apiAs(suite.server, 'citizen'),
      apiAs(suite.server, 'office_admin'),
      apiAs(suite.server, 'liaison_town'),
    ]);
    const categories = await citizen.get<Category[]>('/api/case-categories');
    const order = categories.find((c) => c.code === 'order')?.id;
    const filed = await citizen.post<{ id: string; state: string }>('/api/cases', {
      kind: 'snapshot',
      categoryId: order,
      description: '广场舞音响夜间十点后仍然很响，影响周边居民休息。',
      areaUnitId: state.villageId,
      address: '滨河公园南门',
      anonymous: true,
    });
    expect(filed.state).toBe('pending');
    const act = async (who: Caller, action: string, extra: Record<string, unknown>) => {
      const { version } = await who.get<{ version: number }>(`/api/cases/${filed.id}`);
      await who.post(`/api/cases/${filed.id}/transitions`, { action, version, ...extra });
    };
    await act(office, 'dispatch', { payload: { unitId: state.townshipId } });
    await act(liaison, 'return', { note: '属县公安局治安管理范围，非本街道职责' });

    await suite.run('cases-console-en', {}, async (page) => {
      await page.context().addCookies([{ name: 'lang', value: 'en-US', url: suite.server.url }]);
      await consoleLogin(page, suite.server.url, 'office_admin', PASSWORD);

      await openMenu(page, 'Case categories');
      await expectText(page.getByTestId('rule-table'), state.township);
      await settle(page);
      await noOverflow(page);
      await screenshot(page, 'cases-console-09-categories-en');

      await openMenu(page, 'Dispatch queue');
      await expectText(page.getByTestId(`case-returned-${filed.id}`), `Returned by ${state.township}`);
      await settle(page);
      await noOverflow(page);
      await screenshot(page, 'cases-console-10-queue-en');

      await openMenu(page, 'Cases');
      await expectText(page.getByTestId(`case-state-${state.envCase}`), 'Awaiting rating');
      await expectText(page.getByTestId(`case-state-${state.trafficCase}`), 'Answered');
      await settle(page);
      await noOverflow(page);
      await screenshot(page, 'cases-console-11-list-en');

      await page.goto(`${suite.server.url}/cases/${state.trafficCase}`);
      await expectText(page.getByTestId('case-state'), 'Answered');
      await page.getByTestId('case-action-approve_answer').waitFor();
      await imagesLoaded(page, '[data-testid="case-photo-thumb"] img, img[data-testid="case-photo-thumb"]');
      await settle(page);
      await noOverflow(page);
      await screenshot(page, 'cases-console-12-detail-en');
    });
  });
});
