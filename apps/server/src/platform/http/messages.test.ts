import { describe, expect, it } from 'vitest';
import { message, pickLang } from './messages.ts';

describe('messages', () => {
  it('picks the language from the cookie, then Accept-Language, else Chinese', () => {
    expect(pickLang('en-US', 'zh-CN')).toBe('en-US');
    expect(pickLang(undefined, 'en-GB,en;q=0.8')).toBe('en-US');
    expect(pickLang(undefined, 'zh-CN,zh;q=0.9')).toBe('zh-CN');
    expect(pickLang(undefined, undefined)).toBe('zh-CN');
  });

  it('fills parameters', () => {
    expect(message('RATE_LIMITED', 'zh-CN', { seconds: 42 })).toBe('操作太频繁，请 42 秒后再试');
    expect(message('RATE_LIMITED', 'en-US', { seconds: 42 })).toBe(
      'Too many attempts, try again in 42 seconds',
    );
  });
});
