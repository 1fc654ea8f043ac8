// Sign-in helpers the case browser tests share: a staff member over HTTP (for setting things up behind the
// browser's back) and a citizen on the H5 with the code the development SMS outbox received.
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { expectText, type RunningServer } from './harness.ts';

/** The demo accounts' password. */
export const PASSWORD = 'Wenming@2026';

/** A user signed in over HTTP (cookie and CSRF token kept). */
export interface Caller {
  user: { id: string; unitId: string | null; unitName: string | null };
  get<T>(url: string): Promise<T>;
  /** POSTs JSON, or a FormData as multipart. */
  post<T>(url: string, body: unknown): Promise<T>;
}

/** Signs `username` in over HTTP with the demo password; a failed call throws with its status and body. */
export async function apiAs(server: RunningServer, username: string): Promise<Caller> {
  const base = server.url;
  const login = await fetch(`${base}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: PASSWORD }),
  });
  if (!login.ok) throw new Error(`login ${username}: ${login.status} ${await login.text()}`);
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  const reply = (await login.json()) as { csrfToken: string; user: Caller['user'] };
  const call = async <T>(url: string, init: RequestInit): Promise<T> => {
    const res = await fetch(`${base}${url}`, {
      ...init,
      headers: { cookie, 'x-csrf-token': reply.csrfToken, ...(init.headers ?? {}) },
    });
    if (!res.ok) throw new Error(`${url}: ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  };
  return {
    user: reply.user,
    get: (url) => call(url, {}),
    post: (url, body) =>
      body instanceof FormData
        ? call(url, { method: 'POST', body })
        : call(url, {
            method: 'POST',
            body: JSON.stringify(body),
            headers: { 'content-type': 'application/json' },
          }),
  };
}

/**
 * Asks for a code on the H5 sign-in page (already open) and returns the code the development SMS outbox
 * received.
 */
export async function requestSmsCode(page: Page, server: RunningServer, phone: string): Promise<string> {
  await page.getByTestId('h5-phone').fill(phone);
  await page.getByTestId('h5-send-code').click();
  // the button counts down once the server accepted the request
  await expectText(page.getByTestId('h5-send-code'), '秒后重发');
  let code = '';
  await expect
    .poll(
      () => {
        try {
          code = server.smsCode(phone);
        } catch {
          code = ''; // the outbox is not written yet
        }
        return code;
      },
      { timeout: 10_000 },
    )
    .toMatch(/^\d{6}$/);
  return code;
}

/** Signs the citizen with this phone in on the H5 with the code the development SMS outbox received. */
export async function citizenBySms(page: Page, server: RunningServer, phone: string): Promise<void> {
  await page.goto(`${server.url}/h5/login`);
  const code = await requestSmsCode(page, server, phone);
  await page.getByTestId('h5-code').fill(code);
  await page.getByTestId('h5-login').click();
  await page.getByTestId('h5-user-card').waitFor();
}
