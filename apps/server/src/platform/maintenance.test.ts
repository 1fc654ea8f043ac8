import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestApp, signedIn, type TestApp } from '../../../../tests/helpers/app.ts';
import { purgeExpired } from './maintenance.ts';

let t: TestApp;
beforeAll(async () => {
  t = await makeTestApp();
});
afterAll(() => t?.close());

describe('nightly purge', () => {
  it('removes sessions past their idle limit and keeps live ones', async () => {
    await signedIn(t.app, 'office_admin');
    t.clock.advance(31 * 60_000);
    const live = await signedIn(t.app, 'liaison');
    const purged = await purgeExpired(t.ctx);
    expect(purged.sessions).toBe(1);
    expect((await live.get('/api/auth/me')).statusCode).toBe(200);
    expect((await purgeExpired(t.ctx)).sessions).toBe(0);
  });
});
