// The working-day calendar in the console: the office admin sees the shipped 2026 arrangement (National Day and
// its 调休 days), computes a deadline across it, adds next year's first holiday and saves it, then reads the page
// in English; a liaison reads the calendar without editing controls.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { browserSuite, consoleLogin, expectText, screenshot } from './harness.ts';

const DEMO_PASSWORD = 'Wenming@2026';

const suite = browserSuite();

async function pickYear(page: Page, year: number): Promise<void> {
  await page.getByTestId('calendar-year').click();
  await page.locator('.ant-select-dropdown:visible').getByTestId(`calendar-year-option-${year}`).click();
  await page.getByTestId(`day-${year}-01-01`).waitFor();
}

const day = (page: Page, date: string) => page.getByTestId(`day-${date}`);

/** The deadline calculator: from a Beijing wall time plus n working days. */
async function computeDeadline(page: Page, from: string, workingDays: number): Promise<void> {
  const input = page.getByTestId('calc-from');
  await input.click();
  await input.fill(from);
  await input.press('Enter');
  await page.getByTestId('calc-amount').fill(String(workingDays));
  await page.getByTestId('calc-submit').click();
}

describe('working-day calendar', () => {
  it('the office admin sees 2026 National Day, computes a deadline, adds a 2027 holiday, switches to English', async () => {
    await suite.run('calendar-office-admin', {}, async (page) => {
      await consoleLogin(page, suite.server.url, 'office_admin', DEMO_PASSWORD);
      await page.getByRole('menuitem', { name: '工作日历' }).click();
      await page.waitForURL((u) => u.pathname === '/calendar');
      await pickYear(page, 2026);

      // 10/1–10/7 off (the weekend inside named too), 9/20 and 10/10 worked
      expect(await day(page, '2026-10-01').getAttribute('data-kind')).toBe('holiday');
      expect(await day(page, '2026-10-01').getAttribute('data-name')).toBe('国庆节');
      expect(await day(page, '2026-10-03').getAttribute('data-kind')).toBe('holiday');
      expect(await day(page, '2026-10-10').getAttribute('data-kind')).toBe('workday');
      expect(await day(page, '2026-09-20').getAttribute('data-kind')).toBe('workday');
      expect(await day(page, '2026-10-11').getAttribute('data-kind')).toBe('rest');
      expect(await day(page, '2026-10-09').getAttribute('data-kind')).toBe('work');
      await expectText(page.getByTestId('calendar-counts'), '调休上班 6 天');

      // 2026-09-29 10:00 + 3 working days → the end of 2026-10-09
      await computeDeadline(page, '2026-09-29 10:00', 3);
      await expectText(page.getByTestId('calc-due'), '2026-10-09 24:00');
      await screenshot(page, 'calendar-01-2026-zh');

      // next year: starts empty with a clear warning; a click on Friday 1 January adds a holiday there
      await page.getByTestId('calendar-add-year').click();
      await expectText(page.getByTestId('calendar-new-year-warning'), '2027 年的放假安排尚未录入');
      expect(await day(page, '2027-01-01').getAttribute('data-kind')).toBe('work');
      await day(page, '2027-01-01').click();
      await page.getByTestId('calendar-day-name').locator('input').fill('元旦');
      // the name's suggestion list covers the buttons: pick the suggestion, as a person would
      await page.locator('.ant-select-dropdown:visible .ant-select-item-option[title="元旦"]').click();
      await page.getByTestId('calendar-day-ok').click();
      await expect.poll(() => day(page, '2027-01-01').getAttribute('data-kind')).toBe('holiday');
      await page.getByTestId('calendar-source').fill('国务院办公厅关于2027年部分节假日安排的通知（测试）');
      await screenshot(page, 'calendar-02-new-year-zh');
      await page.getByTestId('calendar-save').click();
      await expectText(page.getByTestId('calendar-counts'), '放假（工作日）1 天');
      expect(await page.getByTestId('calendar-new-year-warning').count()).toBe(0);

      // saved: still there after a reload
      await page.reload();
      await pickYear(page, 2027);
      expect(await day(page, '2027-01-01').getAttribute('data-name')).toBe('元旦');
      await expectText(page.getByTestId('calendar-days-table'), '元旦');

      // the server refuses a holiday on a weekend even if the page is bypassed, in the caller's language
      const refused = await page.evaluate(async () => {
        const csrf = sessionStorage.getItem('wenming.csrf') ?? '';
        const res = await fetch('/api/calendar/years/2027', {
          method: 'PUT',
          headers: { 'content-type': 'application/json', 'x-csrf-token': csrf },
          body: JSON.stringify({
            source: 'x',
            days: [{ date: '2027-01-02', kind: 'holiday', name: '元旦' }],
          }),
        });
        return { status: res.status, body: await res.json() };
      });
      expect(refused.status).toBe(400);
      expect(refused.body.error.fields[0]).toEqual({
        field: 'days.0.date',
        message: '放假日应为周一至周五（周末本来就休息，无需录入）',
      });

      await page.getByTestId('lang-switch').click();
      await expect.poll(() => page.getByTestId('lang-switch').getAttribute('data-lang')).toBe('en-US');
      await expectText(page.locator('body'), 'Working-day calendar');
      await pickYear(page, 2026);
      await expectText(page.getByTestId('calendar-counts'), '6 make-up working days');
      await computeDeadline(page, '2026-09-29 10:00', 3);
      await expectText(page.getByTestId('calc-due'), 'end of 2026-10-09');
      await screenshot(page, 'calendar-03-2026-en');
    });
  });

  it('a liaison reads the calendar without editing controls', async () => {
    await suite.run('calendar-liaison', {}, async (page) => {
      await consoleLogin(page, suite.server.url, 'liaison', DEMO_PASSWORD);
      await page.goto(`${suite.server.url}/calendar`);
      await pickYear(page, 2026);
      expect(await day(page, '2026-02-16').getAttribute('data-kind')).toBe('holiday');
      expect(await page.getByTestId('calendar-add-year').count()).toBe(0);
      expect(await page.getByTestId('calendar-save').count()).toBe(0);
      expect(await page.getByTestId('calendar-source').count()).toBe(0);
      await expectText(page.getByTestId('calendar-source-text'), '国办发明电〔2025〕7号');
      await screenshot(page, 'calendar-04-liaison-zh');
    });
  });
});
