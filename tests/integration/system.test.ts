import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../apps/server/src/app.ts';
import { Client, makeTestApp, runCliOn, type TestApp } from '../helpers/app.ts';
import { ENGINE } from '../helpers/db.ts';

let t: TestApp;
beforeAll(async () => {
  t = await makeTestApp();
});
afterAll(async () => {
  await t?.close();
});

const cli = (args: string[]) => runCliOn(t, args);

describe(`operations on ${ENGINE}`, () => {
  it('reports health with the engine in use', async () => {
    const res = await new Client(t.app).get('/api/health');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'ok', db: ENGINE });
  });

  it('publishes the OpenAPI document and its docs page', async () => {
    const c = new Client(t.app);
    const spec = (await c.get('/api/openapi.json')).json();
    expect(spec.openapi).toMatch(/^3\./);
    expect(Object.keys(spec.paths)).toContain('/api/org/units/{id}/move');
    expect(spec.paths['/api/openapi.json']).toBeUndefined();
    const docs = await c.get('/api/docs');
    expect(docs.statusCode).toBe(200);
    expect(docs.body.toLowerCase()).toContain('swagger');
  });

  it('answers unknown API paths with a JSON 404 in the caller’s language', async () => {
    const res = await new Client(t.app).request('GET', '/api/nope', undefined, { 'accept-language': 'en' });
    expect(res.statusCode).toBe(404);
    expect(res.json().error).toEqual({ code: 'ROUTE_NOT_FOUND', message: 'No such endpoint' });
  });

  it('serves the web app: files built after start, client routes, and JSON 404s under /api', async () => {
    const webDir = mkdtempSync(path.join(os.tmpdir(), 'wm-web-'));
    writeFileSync(path.join(webDir, 'index.html'), '<html>console</html>');
    writeFileSync(path.join(webDir, 'h5.html'), '<html>h5</html>');
    const app = await buildApp({ ctx: { ...t.ctx, config: { ...t.ctx.config, webDir } } });
    try {
      mkdirSync(path.join(webDir, 'assets'));
      writeFileSync(path.join(webDir, 'assets', 'late.js'), 'console.log(1)');
      const get = (url: string) => app.inject({ method: 'GET', url });
      expect((await get('/assets/late.js')).headers['content-type']).toContain('javascript');
      expect((await get('/')).body).toBe('<html>console</html>');
      expect((await get('/org/units')).body).toBe('<html>console</html>');
      expect((await get('/h5/cases')).body).toBe('<html>h5</html>');
      const api = await get('/api/nope');
      expect(api.statusCode).toBe(404);
      expect(api.json().error.code).toBe('ROUTE_NOT_FOUND');
      expect((await get('/api/health')).json().status).toBe('ok');
    } finally {
      await app.close();
      rmSync(webDir, { recursive: true, force: true });
    }
  });

  it('CLI: resets a password (forced change at next sign-in) and refuses unknown users', async () => {
    const run = await cli(['user', 'reset-password', 'leader']);
    expect(run.code).toBe(0);
    const temp = run.out.match(/leader: (\S+)/)?.[1] ?? '';
    const c = new Client(t.app);
    const res = await c.login('leader', temp);
    expect(res.statusCode).toBe(200);
    expect(res.json().user.mustChangePassword).toBe(true);
    expect((await cli(['user', 'reset-password', 'ghost'])).code).toBe(1);
    expect((await cli(['bogus'])).code).toBe(2);
    expect((await cli(['seed', '--demo'])).code).toBe(1);
  });

  it('CLI: backs SQLite up online into a complete database (PostgreSQL: points to pg_dump)', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'wm-backup-'));
    try {
      const file = path.join(dir, 'b.sqlite');
      const run = await cli(['backup', file]);
      if (ENGINE === 'postgres') {
        expect(run.code).toBe(2);
        expect(run.out).toContain('pg_dump');
        return;
      }
      expect(run.code).toBe(0);
      const copy = new SqliteDatabase(file, { readonly: true });
      const n = copy.prepare('select count(*) as n from org_units').get() as { n: number };
      copy.close();
      expect(n.n).toBeGreaterThan(100);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
