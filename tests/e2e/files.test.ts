// My uploads (/files): a liaison uploads a geotagged photo, a PDF and a file that lies about its type;
// the two real files are listed with thumbnail, camera time and position, the liar is refused with the
// server's reason. Then the same page in English.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { makeJpeg, makePdf } from '../helpers/images.ts';
import { browserSuite, consoleLogin, expectText, screenshot } from './harness.ts';

const PASSWORD = 'Wenming@2026';
const suite = browserSuite();

async function inEnglish(page: Page): Promise<void> {
  await page.context().addCookies([{ name: 'lang', value: 'en-US', url: suite.server.url }]);
}

async function choose(
  page: Page,
  files: { name: string; mimeType: string; buffer: Buffer }[],
): Promise<void> {
  await page.getByTestId('evidence-upload').locator('input[type=file]').setInputFiles(files);
}

describe('my uploads', () => {
  it('uploads evidence, lists it with EXIF time and position, refuses a liar (zh-CN)', async () => {
    const photo = await makeJpeg({
      width: 1200,
      height: 800,
      color: '#2f6f9f',
      pattern: 3,
      gps: { lat: 39.1253, lng: 116.3916 },
      takenAt: '2026-03-01T09:30:00',
    });
    await suite.run('files-zh', {}, async (page) => {
      await consoleLogin(page, suite.server.url, 'liaison', PASSWORD);
      await page.locator('a[href="/files"]').first().click();
      await page.waitForURL((u) => u.pathname === '/files');
      await expectText(page.locator('.ant-page-header-heading-title'), '我的上传');
      await choose(page, [
        { name: '路口劝导现场.jpg', mimeType: 'image/jpeg', buffer: photo },
        { name: '整改报告.pdf', mimeType: 'application/pdf', buffer: makePdf() },
        { name: '伪装成照片.jpg', mimeType: 'image/jpeg', buffer: Buffer.from('<html>not a photo</html>') },
      ]);
      const uploads = (status: string) =>
        page.locator(`[data-testid="evidence-upload-item"][data-status="${status}"]`).count();
      await expect.poll(() => uploads('done')).toBe(2);
      await expect.poll(() => uploads('error')).toBe(1);
      await expectText(page.getByTestId('evidence-upload-error'), '不支持此类文件');

      const list = page.getByTestId('evidence-item');
      await expect.poll(() => list.count()).toBe(2);
      await expectText(page.getByTestId('evidence-taken-at'), '2026-03-01 09:30:00');
      await expectText(page.getByTestId('evidence-gps'), '39.12530°N, 116.39160°E');
      // the server's 320 px thumbnail, loaded
      const thumb = page.locator('[data-testid="evidence-item"] img').first();
      await expect.poll(() => thumb.evaluate((img) => (img as HTMLImageElement).naturalWidth)).toBe(320);
      await screenshot(page, 'files-01-my-uploads-zh');
    });
  });

  it('shows the same page and refusals in English', async () => {
    await suite.run('files-en', {}, async (page) => {
      await inEnglish(page);
      await consoleLogin(page, suite.server.url, 'liaison', PASSWORD);
      await page.goto(`${suite.server.url}/files`);
      await expectText(page.locator('.ant-page-header-heading-title'), 'My uploads');
      await choose(page, [
        { name: 'site-photo.jpg', mimeType: 'image/jpeg', buffer: makePdf('a pdf really') },
      ]);
      await expectText(
        page.getByTestId('evidence-upload-error'),
        'The file contains PDF, which does not match its extension .jpg',
      );
      await expect.poll(() => page.getByTestId('evidence-item').count()).toBe(2);
      await expectText(page.getByTestId('evidence-taken-at'), 'Taken 2026-03-01 09:30:00');
      await screenshot(page, 'files-02-my-uploads-en');

      // the original opens in the preview
      await page.locator('[data-testid="evidence-item"] .ant-image').first().click();
      await page.locator('.ant-image-preview-img').waitFor();
      await screenshot(page, 'files-03-preview-en');
    });
  });
});
