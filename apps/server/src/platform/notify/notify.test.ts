import { describe, expect, it } from 'vitest';
import { dingtalkSign, truncateUtf8 } from './channels.ts';
import { externalTexts, smsWanted } from './service.ts';
import { groupLabel, registerTemplates, render } from './templates.ts';
import { checkWebhookUrl, maskWebhookUrl } from './webhook-url.ts';

describe('templates', () => {
  it('renders a kind in both languages with its parameters', () => {
    const params = {
      label: 'JB-2026-0007 清理楼道堆物',
      due: '2026-03-09',
      daysLate: 2,
      unit: '市卫生健康局',
    };
    expect(render('deadline.overdue', params, 'zh-CN')).toEqual({
      title: '已超期',
      body: '“JB-2026-0007 清理楼道堆物”已超过办理时限（2026-03-09）2 个工作日，请市卫生健康局立即办理。',
    });
    expect(render('deadline.overdue', params, 'en-US').body).toBe(
      '"JB-2026-0007 清理楼道堆物" is 2 working days past its deadline (2026-03-09); 市卫生健康局, please act on it now.',
    );
  });

  it('shows a parameter given in both languages in the reader’s', () => {
    const params = {
      label: { 'zh-CN': 'SP-2026-000001（答复时限）', 'en-US': 'SP-2026-000001 (answer deadline)' },
      due: '2026-03-09',
      unit: { 'zh-CN': '文明办', 'en-US': 'the civilization office' },
    };
    expect(render('deadline.reminder', params, 'zh-CN').body).toBe(
      '“SP-2026-000001（答复时限）”将于 2026-03-09 到期，请文明办抓紧办理。',
    );
    expect(render('deadline.reminder', params, 'en-US').body).toBe(
      '"SP-2026-000001 (answer deadline)" is due on 2026-03-09; the civilization office, please act on it in time.',
    );
    expect(render('gone.kind', { s: { 'zh-CN': '已派单', 'en-US': 'dispatched' } }, 'en-US').body).toBe(
      's: dispatched',
    );
  });

  it('leaves a missing parameter in braces instead of failing', () => {
    expect(render('deadline.reminder', { label: 'X' }, 'zh-CN').body).toBe(
      '“X”将于 {due} 到期，请{unit}抓紧办理。',
    );
  });

  it('renders an unknown kind as a generic notice listing its parameters', () => {
    expect(render('gone.kind', { a: 1, b: 'two' }, 'zh-CN')).toEqual({ title: '通知', body: 'a: 1；b: two' });
    expect(render('gone.kind', { a: 1, b: 'two' }, 'en-US')).toEqual({
      title: 'Notice',
      body: 'a: 1; b: two',
    });
    expect(render('gone.kind', {}, 'en-US').body).toBe('gone.kind');
  });

  it('does not interpolate inherited properties', () => {
    expect(render('deadline.reminder', {}, 'zh-CN').body).toContain('{label}');
    expect(render('notify.test', { name: '{constructor}' }, 'en-US').body).toContain('"{constructor}"');
  });

  it('refuses a kind registered twice or without a group', () => {
    const t = { 'zh-CN': { title: 't', body: 'b' }, 'en-US': { title: 't', body: 'b' } };
    registerTemplates({ 'unittest.once': t });
    expect(() => registerTemplates({ 'unittest.once': t })).toThrow(/registered twice/);
    expect(() => registerTemplates({ nogroup: t })).toThrow(/group\.name/);
  });

  it('names kind groups, falling back to the key', () => {
    expect(groupLabel('deadline', 'zh-CN')).toBe('办理时限');
    expect(groupLabel('deadline', 'en-US')).toBe('Deadlines');
    expect(groupLabel('unknowngroup', 'en-US')).toBe('unknowngroup');
  });

  it('makes the Chinese SMS and group texts', () => {
    expect(externalTexts('notify.test', { name: '卫健局群' })).toEqual({
      sms: '测试消息：这是文明办工作平台发给“卫健局群”的测试消息，收到即表示配置正确。',
      group: '【测试消息】这是文明办工作平台发给“卫健局群”的测试消息，收到即表示配置正确。',
    });
  });
});

describe('SMS preference resolution', () => {
  it('takes the kind rule, then the group rule, then the rule for all, then the default', () => {
    const k = 'deadline.overdue';
    expect(smsWanted(k, undefined, true)).toBe(true);
    expect(smsWanted(k, new Map([['*', false]]), true)).toBe(false);
    expect(
      smsWanted(
        k,
        new Map([
          ['*', false],
          ['deadline.*', true],
        ]),
        false,
      ),
    ).toBe(true);
    expect(
      smsWanted(
        k,
        new Map([
          ['*', true],
          ['deadline.*', true],
          [k, false],
        ]),
        true,
      ),
    ).toBe(false);
    expect(smsWanted(k, new Map([['notice.*', false]]), true)).toBe(true);
  });
});

describe('DingTalk signing', () => {
  it('is HMAC-SHA256 of "timestamp\\nsecret" keyed by the secret, in base64', () => {
    // reference value computed with Python's hmac module
    expect(dingtalkSign('SEC0123456789abcdef', 1700000000000)).toBe(
      'TSZbRFUuvaSQaRKUpF970OPCb2/LcQAP3wOvwZIzBZk=',
    );
  });
});

describe('group robot URLs', () => {
  const wecom = 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa';
  const ding = 'https://oapi.dingtalk.com/robot/send?access_token=0123456789abcdef0123456789abcdef';

  it('accepts the platforms’ robot endpoints over https only', () => {
    expect(checkWebhookUrl('wecom', wecom, [])).toEqual({ url: wecom });
    expect(checkWebhookUrl('dingtalk', ` ${ding} `, [])).toEqual({ url: ding });
    for (const bad of [
      wecom.replace('https:', 'http:'),
      wecom.replace('qyapi.weixin.qq.com', 'qyapi.weixin.qq.com.evil.cn'),
      wecom.replace('qyapi.weixin.qq.com', 'qyapi.weixin.qq.com:8443'),
      wecom.replace('/cgi-bin/webhook/send', '/cgi-bin/other'),
      'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=',
      'https://user:pw@qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6xx',
      ding,
      'not a url',
      'file:///etc/passwd',
    ]) {
      expect(checkWebhookUrl('wecom', bad, []), bad).toEqual({ problem: 'field.wecomUrl' });
    }
    expect(checkWebhookUrl('dingtalk', wecom, [])).toEqual({ problem: 'field.dingtalkUrl' });
  });

  it('accepts listed extra hosts over http or https with any path', () => {
    expect(checkWebhookUrl('wecom', 'http://127.0.0.1:8080/relay/x', ['127.0.0.1'])).toEqual({
      url: 'http://127.0.0.1:8080/relay/x',
    });
    expect(checkWebhookUrl('wecom', 'ftp://127.0.0.1/x', ['127.0.0.1'])).toEqual({
      problem: 'field.wecomUrl',
    });
    expect(checkWebhookUrl('wecom', 'http://127.0.0.2/x', ['127.0.0.1'])).toEqual({
      problem: 'field.wecomUrl',
    });
  });

  it('masks keys in the query and long path segments', () => {
    expect(maskWebhookUrl(wecom)).toBe('https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a****5aaa');
    expect(maskWebhookUrl(ding)).toBe('https://oapi.dingtalk.com/robot/send?access_token=0123****cdef');
    expect(maskWebhookUrl('http://relay.local/hook/0123456789abcdefghij?k=short')).toBe(
      'http://relay.local/hook/0123****ghij?k=****',
    );
    expect(maskWebhookUrl('garbage')).toBe('****');
  });
});

describe('truncateUtf8', () => {
  it('keeps text within the byte limit without splitting a character', () => {
    expect(truncateUtf8('abc', 10)).toBe('abc');
    const cut = truncateUtf8('文'.repeat(1000), 2048);
    expect(Buffer.byteLength(cut)).toBeLessThanOrEqual(2048);
    expect(cut.endsWith('…')).toBe(true);
    expect(cut).not.toContain('\uFFFD');
  });
});
