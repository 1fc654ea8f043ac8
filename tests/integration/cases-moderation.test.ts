import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hiddenFileIds, hideCase } from '../../apps/server/src/modules/cases/moderation.ts';
import { SYSTEM_ACTOR } from '../../apps/server/src/platform/audit/audit.ts';
import { exifFacts } from '../../apps/server/src/platform/files/images.ts';
import type { AppError } from '../../apps/server/src/platform/http/errors.ts';
import { Client, makeTestApp, signedIn, type TestApp, unitId } from '../helpers/app.ts';
import { insertCase } from '../helpers/case-rows.ts';
import { makeCategory, postCaseForm } from '../helpers/cases.ts';
import { ENGINE } from '../helpers/db.ts';
import { makeJpeg } from '../helpers/images.ts';
import { uploadFile } from '../helpers/upload.ts';

/** Hiding cases and photos from the public, and the ban list (modules/cases/moderation.ts). */
let t: TestApp;
let office: Client;
let liaison: Client;
let citizen: Client;
let health: string;
const UNKNOWN = '01900000-0000-7000-8000-000000000000';

async function auditRows(action: string, entityId: string) {
  const rows = await t.ctx.database.db
    .selectFrom('audit_log')
    .select(['before_json', 'after_json'])
    .where('action', '=', action)
    .where('entity_id', '=', entityId)
    .orderBy('seq')
    .execute();
  return rows.map((r) => ({
    before: r.before_json ? JSON.parse(r.before_json) : null,
    after: r.after_json ? JSON.parse(r.after_json) : null,
  }));
}

/** A photo the citizen uploaded and attached to the case (as intake links them). */
async function photoOf(caseId: string, pattern: number): Promise<string> {
  const bytes = await makeJpeg({
    width: 120,
    height: 90,
    color: '#336699',
    pattern,
    gps: { lat: 39.1, lng: 116.4 },
  });
  const id = await uploadFile(citizen, `p${pattern}.jpg`, bytes);
  await t.ctx.database.db
    .insertInto('file_links')
    .values({
      file_id: id,
      record_type: 'case',
      record_id: caseId,
      linked_by: null,
      linked_at: t.clock.now().toISOString(),
    })
    .execute();
  return id;
}

beforeAll(async () => {
  t = await makeTestApp();
  office = await signedIn(t.app, 'office_admin');
  liaison = await signedIn(t.app, 'liaison');
  citizen = await signedIn(t.app, 'citizen');
  health = await unitId(t, '市卫生健康局');
});
afterAll(async () => {
  await t?.close();
});

describe(`case moderation on ${ENGINE}`, () => {
  it('hides a case from the public and shows it again, audited with before and after', async () => {
    const id = await insertCase(t, { unit_id: health, first_unit_id: health, state: 'dispatched' });
    const res = await office.post(`/api/cases/${id}/hide`, { reason: '含个人隐私' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ id, hidden: true, hiddenReason: '含个人隐私' });
    const row = await t.ctx.database.db
      .selectFrom('cases')
      .select(['hidden', 'hidden_reason', 'version'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect([Boolean(row.hidden), row.hidden_reason, Number(row.version)]).toEqual([true, '含个人隐私', 1]);
    expect(await auditRows('case.hide', id)).toEqual([
      { before: { hidden: false, reason: null }, after: { hidden: true, reason: '含个人隐私' } },
    ]);

    const shown = await office.post(`/api/cases/${id}/unhide`);
    expect(shown.json()).toEqual({ id, hidden: false, hiddenReason: null });
    expect(await auditRows('case.unhide', id)).toEqual([
      { before: { hidden: true, reason: '含个人隐私' }, after: { hidden: false, reason: null } },
    ]);
    // showing a case that is shown changes nothing and records nothing
    expect((await office.post(`/api/cases/${id}/unhide`)).statusCode).toBe(200);
    expect(await auditRows('case.unhide', id)).toHaveLength(1);
  });

  it('refuses callers without case:moderate, unknown cases, and blank reasons', async () => {
    const id = await insertCase(t, { unit_id: health, first_unit_id: health, state: 'dispatched' });
    expect((await liaison.post(`/api/cases/${id}/hide`, { reason: 'x' })).statusCode).toBe(403);
    expect((await citizen.post(`/api/cases/${id}/hide`, { reason: 'x' })).statusCode).toBe(403);
    expect((await office.post(`/api/cases/${UNKNOWN}/hide`, { reason: 'x' })).statusCode).toBe(404);
    office.lang = 'en-US';
    const blank = await office.post(`/api/cases/${id}/hide`, { reason: '   ' });
    office.lang = undefined;
    expect(blank.statusCode).toBe(400);
    expect(blank.json().error.fields).toEqual([{ field: 'reason', message: 'has the wrong format' }]);
    expect(await auditRows('case.hide', id)).toEqual([]);
  });

  it('checks the moderator’s data scope: unit, first unit, returning unit or area', async () => {
    const yuhua = await unitId(t, '裕华街道');
    const id = await insertCase(t, { unit_id: health, first_unit_id: health, area_unit_id: yuhua });
    const refused = (scope: Parameters<typeof hideCase>[2]) =>
      hideCase(t.ctx, SYSTEM_ACTOR, scope, id, 'x').then(
        () => null,
        (e: AppError) => e.status,
      );
    const other = await unitId(t, '市委宣传部');
    expect(await refused({ kind: 'own', unitId: other })).toBe(404);
    expect(await refused({ kind: 'none' })).toBe(404);
    expect(await refused({ kind: 'own', unitId: health })).toBeNull();
    expect(await refused({ kind: 'own', unitId: yuhua })).toBeNull();
    const path = await t.ctx.database.db
      .selectFrom('org_units')
      .select('path')
      .where('id', '=', yuhua)
      .executeTakeFirstOrThrow();
    expect(await refused({ kind: 'subtree', path: path.path })).toBeNull();
  });

  it('hides one photo of a case (kept, marked for staff), 404 for a photo not attached to it', async () => {
    const id = await insertCase(t, { unit_id: health, first_unit_id: health, state: 'dispatched' });
    const p1 = await photoOf(id, 1);
    const p2 = await photoOf(id, 2);
    const other = await uploadFile(
      citizen,
      'x.jpg',
      await makeJpeg({ width: 50, height: 50, color: 'red', pattern: 3 }),
    );
    expect(await hiddenFileIds(t.ctx.database.db, id)).toEqual(new Set());

    const res = await office.post(`/api/cases/${id}/photos/${p1}/hide`, { reason: '拍到人脸' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ caseId: id, fileId: p1, hidden: true, reason: '拍到人脸' });
    expect(await hiddenFileIds(t.ctx.database.db, id)).toEqual(new Set([p1]));
    // the file itself is kept
    expect(
      await t.ctx.database.db.selectFrom('files').select('id').where('id', '=', p1).executeTakeFirst(),
    ).toBeDefined();
    // hiding again changes the reason
    await office.post(`/api/cases/${id}/photos/${p1}/hide`, { reason: '拍到车牌' });
    expect(await auditRows('case.file.hide', id)).toEqual([
      {
        before: { fileId: p1, hidden: false, reason: null },
        after: { fileId: p1, hidden: true, reason: '拍到人脸' },
      },
      {
        before: { fileId: p1, hidden: true, reason: '拍到人脸' },
        after: { fileId: p1, hidden: true, reason: '拍到车牌' },
      },
    ]);

    expect((await office.post(`/api/cases/${id}/photos/${other}/hide`, { reason: 'x' })).statusCode).toBe(
      404,
    );
    expect((await office.post(`/api/cases/${UNKNOWN}/photos/${p2}/hide`, { reason: 'x' })).statusCode).toBe(
      404,
    );
    expect((await office.post(`/api/cases/${id}/photos/${other}/unhide`)).statusCode).toBe(404);
    expect((await liaison.post(`/api/cases/${id}/photos/${p2}/hide`, { reason: 'x' })).statusCode).toBe(403);

    const shown = await office.post(`/api/cases/${id}/photos/${p1}/unhide`);
    expect(shown.json()).toEqual({ caseId: id, fileId: p1, hidden: false, reason: null });
    expect(await hiddenFileIds(t.ctx.database.db, id)).toEqual(new Set());
    expect(await auditRows('case.file.unhide', id)).toHaveLength(1);
  });

  it('leaves a photo whose analysis failed out of the public view by itself', async () => {
    const id = await insertCase(t, { unit_id: health, first_unit_id: health });
    const p = await photoOf(id, 4);
    await t.ctx.database.db.updateTable('files').set({ analysis: 'failed' }).where('id', '=', p).execute();
    expect(await hiddenFileIds(t.ctx.database.db, id)).toEqual(new Set([p]));
    // a moderator's unhide does not bring it back
    await office.post(`/api/cases/${id}/photos/${p}/unhide`);
    expect(await hiddenFileIds(t.ctx.database.db, id)).toEqual(new Set([p]));
  });
});

describe(`the case ban list on ${ENGINE}`, () => {
  it('bans a phone keeping only its hash and masked form, lists it, and lifts it', async () => {
    const res = await office.post('/api/case-bans', { phone: '139 0013 9123', reason: '恶意举报' });
    expect(res.statusCode).toBe(201);
    const ban = res.json();
    expect(ban).toMatchObject({
      phoneMasked: '139****9123',
      ip: null,
      reason: '恶意举报',
      until: null,
      active: true,
    });
    expect(ban.createdBy.name).not.toBe('');
    const row = await t.ctx.database.db
      .selectFrom('case_bans')
      .selectAll()
      .where('id', '=', ban.id)
      .executeTakeFirstOrThrow();
    expect(row.phone_hash).toBe(t.ctx.pii.hash('13900139123'));
    expect(JSON.stringify(row)).not.toContain('13900139123');
    const audit = await auditRows('case.ban.create', ban.id);
    expect(audit).toEqual([
      { before: null, after: { phone: '139****9123', ip: null, reason: '恶意举报', until: null } },
    ]);

    expect((await office.post('/api/case-bans', { phone: '13900139123', reason: '再次' })).statusCode).toBe(
      409,
    );

    const list = (await office.get('/api/case-bans?active=true')).json();
    expect(list.items.map((b: { id: string }) => b.id)).toContain(ban.id);
    expect(JSON.stringify(list)).not.toContain('13900139123');

    const lifted = await office.post(`/api/case-bans/${ban.id}/lift`);
    expect(lifted.statusCode).toBe(200);
    expect(lifted.json()).toMatchObject({ id: ban.id, active: false, liftedAt: t.clock.now().toISOString() });
    expect((await office.post(`/api/case-bans/${ban.id}/lift`)).statusCode).toBe(409);
    expect((await office.post(`/api/case-bans/${UNKNOWN}/lift`)).statusCode).toBe(404);
    expect(await auditRows('case.ban.lift', ban.id)).toHaveLength(1);

    const active = (await office.get('/api/case-bans?active=true')).json();
    expect(active.items.map((b: { id: string }) => b.id)).not.toContain(ban.id);
    const all = (await office.get('/api/case-bans?pageSize=1')).json();
    expect(all.items).toHaveLength(1);
    expect(all.total).toBeGreaterThanOrEqual(1);
    // a phone ban lifted can be placed again
    expect((await office.post('/api/case-bans', { phone: '13900139123', reason: '再次' })).statusCode).toBe(
      201,
    );
  });

  it('bans an address until a time; refuses bad input field by field, in the caller’s language', async () => {
    const until = new Date(t.clock.now().getTime() + 3600_000).toISOString();
    const ok = await office.post('/api/case-bans', { ip: '2001:db8::1', reason: '脚本', until });
    expect(ok.statusCode).toBe(201);
    expect(ok.json()).toMatchObject({ ip: '2001:db8::1', phoneMasked: null, until, active: true });

    office.lang = 'en-US';
    const problems = async (body: Record<string, unknown>) => {
      const res = await office.post('/api/case-bans', body);
      expect(res.statusCode).toBe(400);
      return res.json().error.fields;
    };
    expect(await problems({ reason: 'x' })).toEqual([
      { field: 'phone', message: 'give either a phone number or an IP address' },
    ]);
    expect(await problems({ phone: '13900139124', ip: '198.51.100.1', reason: 'x' })).toEqual([
      { field: 'ip', message: 'give either a phone number or an IP address' },
    ]);
    expect(await problems({ phone: '12345', reason: 'x' })).toEqual([
      { field: 'phone', message: 'Enter a valid 11-digit mobile number' },
    ]);
    expect(await problems({ ip: '300.1.1.1', reason: 'x' })).toEqual([
      { field: 'ip', message: 'is not a valid IP address' },
    ]);
    expect(
      await problems({
        ip: '198.51.100.1',
        reason: 'x',
        until: new Date(t.clock.now().getTime() - 1000).toISOString(),
      }),
    ).toEqual([{ field: 'until', message: 'must be in the future' }]);
    office.lang = undefined;
    expect((await liaison.get('/api/case-bans')).statusCode).toBe(403);
    expect((await citizen.post('/api/case-bans', { ip: '198.51.100.1', reason: 'x' })).statusCode).toBe(403);
  });
});

describe(`moderation as the public sees it on ${ENGINE}`, () => {
  it('serves a public case’s photo without EXIF or GPS; hidden photos and cases leave the public view', async () => {
    const category = await makeCategory(office, { photoRequired: false, public: true });
    const bytes = await makeJpeg({
      width: 320,
      height: 240,
      color: '#884422',
      pattern: 7,
      gps: { lat: 39.1, lng: 116.4 },
      takenAt: '2026-03-01T08:00:00',
    });
    expect(exifFacts((await sharp(bytes).metadata()).exif).gps).not.toBeNull();
    const filed = await postCaseForm(
      citizen,
      { kind: 'snapshot', categoryId: category, description: '人行道上堆放建筑垃圾', anonymous: 'false' },
      [
        { filename: 'a.jpg', bytes },
        { filename: 'b.jpg', bytes: await makeJpeg({ width: 64, height: 48, color: 'green', pattern: 8 }) },
      ],
    );
    expect(filed.statusCode, filed.body).toBe(201);
    const id: string = filed.json().id;
    const anonymous = new Client(t.app);

    const view = await anonymous.get(`/api/public/cases/${id}`);
    expect(view.statusCode).toBe(200);
    const photos: { id: string; url: string }[] = view.json().photos;
    expect(photos).toHaveLength(2);
    const photo = await anonymous.get(photos[0].url);
    expect(photo.statusCode).toBe(200);
    const meta = await sharp(photo.rawPayload).metadata();
    expect(meta.exif).toBeUndefined();
    expect(exifFacts(meta.exif)).toEqual({ takenAt: null, gps: null });
    expect(photo.rawPayload.includes(Buffer.from('Exif\0\0'))).toBe(false);
    expect([meta.width, meta.height]).toEqual([320, 240]);

    // a hidden photo leaves the public view, and its public link stops working; staff see it marked
    expect((await anonymous.get(photos[1].url)).statusCode).toBe(200);
    expect(
      (await office.post(`/api/cases/${id}/photos/${photos[1].id}/hide`, { reason: '拍到车牌' })).statusCode,
    ).toBe(200);
    expect((await anonymous.get(photos[1].url)).statusCode).toBe(404);
    expect(
      (await anonymous.get(`/api/public/cases/${id}`)).json().photos.map((p: { id: string }) => p.id),
    ).toEqual([photos[0].id]);
    const staff = (await office.get(`/api/cases/${id}`)).json();
    expect(staff.photos.find((p: { id: string }) => p.id === photos[1].id)?.hidden).toBe(true);

    // a hidden case leaves the public list and detail; staff still see it, marked
    const listed = async () =>
      (await anonymous.get('/api/public/cases?pageSize=200')).json().items.map((c: { id: string }) => c.id);
    expect(await listed()).toContain(id);
    expect((await office.post(`/api/cases/${id}/hide`, { reason: '涉及个人隐私' })).statusCode).toBe(200);
    expect((await anonymous.get(`/api/public/cases/${id}`)).statusCode).toBe(404);
    expect(await listed()).not.toContain(id);
    const hidden = (await office.get(`/api/cases/${id}`)).json();
    expect([hidden.hidden, hidden.hiddenReason]).toEqual([true, '涉及个人隐私']);
    expect((await office.post(`/api/cases/${id}/unhide`)).statusCode).toBe(200);
    expect((await anonymous.get(`/api/public/cases/${id}`)).statusCode).toBe(200);
  });
});
