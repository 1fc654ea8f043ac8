// The closed loop of issue 5, both sides in the browser: a citizen reports with a photo on the H5 → the
// case routes to the township → the township's liaison signs and answers in the console → the citizen
// rates 2 and asks for a redo → the liaison answers again → the citizen rates 5 → closed, and the public
// board counts it among the resolved cases with its before and after photos.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeJpeg } from '../helpers/images.ts';
import { apiAs, citizenBySms, PASSWORD } from './cases-helpers.ts';
import { browserSuite, consoleLogin, expectText, screenshot } from './harness.ts';

const CITIZEN_PHONE = '13800138002';
const TOWNSHIP = '裕华街道';
const REPORT = '街角绿化带里堆着装修垃圾，已经一个多星期没人清理，影响环境。';
const FIRST_ANSWER = '已通知社区网格员现场查看，督促业主自行清运。';
const SECOND_ANSWER = '已由街道环卫队清运装修垃圾两车，并在绿化带旁设置禁止倾倒提示牌。';

const suite = browserSuite();
const state = { id: '', no: '', photo: '', after: '' };
let dir = '';

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'wenming-case-loop-'));
  state.photo = path.join(dir, 'before.jpg');
  state.after = path.join(dir, 'after.jpg');
  writeFileSync(state.photo, await makeJpeg({ width: 640, height: 480, color: '#8a6d3b', pattern: 3 }));
  writeFileSync(state.after, await makeJpeg({ width: 640, height: 480, color: '#3b8a5a', pattern: 9 }));
  // The office's rule: every case located in the township goes to the township (属地).
  const office = await apiAs(suite.server, 'office_admin');
  const areas = await office.get<{ id: string; name: string }[]>('/api/case-areas');
  const town = areas.find((a) => a.name === TOWNSHIP);
  if (!town) throw new Error(`no area ${TOWNSHIP}`);
  await office.post('/api/case-routing-rules', { categoryId: null, areaUnitId: town.id, unitId: town.id });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Later visits: one code a minute is the limit, so the same account signs in with its password. */
async function citizenAgain(page: Page): Promise<void> {
  const login = await page.request.post(`${suite.server.url}/api/auth/login`, {
    data: { username: 'citizen', password: PASSWORD },
  });
  expect(login.ok()).toBe(true);
  await page.goto(`${suite.server.url}/h5/cases/${state.id}`);
  await page.getByTestId('case-detail').waitFor();
}

/** Confirms the open action dialog and waits until it has closed. */
async function confirmAction(page: Page): Promise<void> {
  const ok = page.getByTestId('case-action-ok');
  await ok.click();
  await expect.poll(() => ok.isVisible(), { timeout: 15_000 }).toBe(false);
}

/** The township liaison opens the case in the console and answers it (signing first when asked to). */
async function liaisonAnswers(page: Page, answer: string, sign: boolean, shot: string): Promise<void> {
  await consoleLogin(page, suite.server.url, 'liaison_town', PASSWORD);
  await page.goto(`${suite.server.url}/cases/${state.id}`);
  await expectText(page.getByTestId('case-unit'), TOWNSHIP);
  if (sign) {
    await expectText(page.getByTestId('case-state'), '已派单');
    await page.getByTestId('case-action-sign').click();
    await confirmAction(page);
    await expectText(page.getByTestId('case-state'), '已签收');
  } else {
    await expectText(page.getByTestId('case-state'), '处理中');
  }
  await page.getByTestId('case-action-answer').click();
  await page.getByTestId('case-action-note').fill(answer);
  if (!sign) {
    await page.getByTestId('evidence-upload').locator('input[type=file]').setInputFiles(state.after);
    await expect
      .poll(() => page.locator('[data-testid="evidence-upload-item"][data-status="done"]').count())
      .toBe(1);
  }
  await confirmAction(page);
  await expectText(page.getByTestId('case-state'), '待评价');
  await expectText(page.getByTestId('case-answer'), answer.slice(0, 8));
  await screenshot(page, shot);
}

/** The citizen rates the answer on the H5. */
async function rate(page: Page, stars: number, comment: string): Promise<void> {
  await expectText(page.getByTestId('case-state'), '待评价');
  await page.getByTestId('case-action-rate').click();
  await page.getByTestId('case-action-sheet').waitFor();
  await page
    .getByTestId('case-rate-stars')
    .locator('.adm-rate-star')
    .nth(stars - 1)
    .tap();
  await page.getByTestId('case-action-text').locator('textarea:not([readonly])').fill(comment);
  await page.getByTestId('case-action-submit').click();
}

describe('the citizen case loop (issue 5)', () => {
  it('a citizen reports with a photo on the H5; it routes to the township', async () => {
    await suite.run('cases-loop-report', { mobile: true }, async (page) => {
      await citizenBySms(page, suite.server, CITIZEN_PHONE);
      await page.goto(`${suite.server.url}/h5/cases/new`);
      await page.getByTestId('case-category-environment').click();
      await page.getByTestId('case-description').locator('textarea:not([readonly])').fill(REPORT);
      await page.getByTestId('case-area').click();
      await page.getByTestId('case-area-township').filter({ hasText: TOWNSHIP }).click();
      await page.getByTestId('case-area-village').first().click();
      await page.getByTestId('case-address').fill('幸福路与建设街交叉口东北角');
      await page.getByTestId('case-photo-input').setInputFiles(state.photo);
      await expect.poll(() => page.getByTestId('case-photo-preview').count()).toBe(1);
      await page.getByTestId('case-submit').click();
      await page.getByTestId('case-sent').waitFor();
      state.no = ((await page.getByTestId('case-sent-no').textContent()) ?? '').trim();
      expect(state.no).toMatch(/^SP-\d{4}-\d{6}$/);
      await expectText(page.getByTestId('case-sent-unit'), TOWNSHIP);
      await screenshot(page, 'cases-loop-01-sent-zh');
      await page.getByTestId('case-sent-detail').click();
      await page.getByTestId('case-detail').waitFor();
      state.id = new URL(page.url()).pathname.split('/').pop() ?? '';
      await expectText(page.getByTestId('case-state'), '已派单');
    });
  });

  it('the township liaison signs and answers in the console', async () => {
    expect(state.id).not.toBe('');
    await suite.run('cases-loop-answer-1', {}, (page) =>
      liaisonAnswers(page, FIRST_ANSWER, true, 'cases-loop-02-answered-zh'),
    );
  });

  it('the citizen rates 2 and asks for a redo', async () => {
    await suite.run('cases-loop-rate-2', { mobile: true }, async (page) => {
      await citizenAgain(page);
      await expectText(page.getByTestId('case-answer'), '网格员');
      await rate(page, 2, '垃圾还在，只是贴了通知。');
      await expectText(page.getByTestId('case-state'), '不满意');
      await page.getByTestId('case-action-reopen').click();
      await page.getByTestId('case-action-text').locator('textarea:not([readonly])').fill('请直接清运。');
      await page.getByTestId('case-action-submit').click();
      await expectText(page.getByTestId('case-state'), '处理中');
      await screenshot(page, 'cases-loop-03-reopened-zh');
    });
  });

  it('the liaison answers again with an after photo', async () => {
    await suite.run('cases-loop-answer-2', {}, (page) =>
      liaisonAnswers(page, SECOND_ANSWER, false, 'cases-loop-04-answered-again-zh'),
    );
  });

  it('the citizen rates 5: closed, and the public board shows it resolved with before and after', async () => {
    await suite.run('cases-loop-rate-5', { mobile: true }, async (page) => {
      await citizenAgain(page);
      await rate(page, 5, '清理干净了，谢谢！');
      await expectText(page.getByTestId('case-state'), '已办结');
      await expectText(page.getByTestId('case-ratings'), '第 2 次办理');
      await screenshot(page, 'cases-loop-05-closed-zh');

      // Nothing asked for the board before (it is cached for 30 s): it is built now, with the closed case.
      const board = await page.request.get(`${suite.server.url}/api/public/case-board`);
      expect(board.ok()).toBe(true);
      const data = await board.json();
      const mine = data.recent.find((c: { no: string }) => c.no === state.no);
      expect(mine).toBeTruthy();
      expect([mine.before.length, mine.after.length]).toEqual([1, 1]);
      expect(JSON.stringify(data)).not.toContain(CITIZEN_PHONE);
      await page.goto(`${suite.server.url}/h5/board`);
      await page.getByTestId('h5-board-recent').waitFor();
      // the before and after photos are served (their public copies made on first request) and shown
      await page.waitForFunction(() => {
        const imgs = [...document.querySelectorAll<HTMLImageElement>('[data-testid="h5-board-recent"] img')];
        return imgs.length >= 2 && imgs.every((i) => i.complete && i.naturalWidth > 0);
      });
      await screenshot(page, 'cases-loop-06-board-zh');
    });
  });
});
