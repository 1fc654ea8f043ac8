import type { LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import { type Client, signedIn, type TestApp } from './app.ts';
import { makeJpeg } from './images.ts';
import { uploadFile } from './upload.ts';

/**
 * Citizen cases in tests: categories and routing rules, filing a case through the API (JSON with
 * uploaded photo ids, or the H5's multipart form), the demo area units, and the demo accounts who act.
 */

/** Environment for tests that file many cases as one citizen: the intake rate limits off. */
export const NO_CASE_LIMITS: Record<string, string> = {
  WENMING_CASE_LIMIT_PHONE_10MIN: '0',
  WENMING_CASE_LIMIT_PHONE_DAY: '0',
  WENMING_CASE_LIMIT_IP_HOUR: '0',
};

/** The id of a default category by its code ('traffic', 'order', 'rumour'…). */
export async function categoryId(t: TestApp, code: string): Promise<string> {
  const row = await t.ctx.database.db
    .selectFrom('case_categories')
    .select('id')
    .where('code', '=', code)
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Creates a category as the office (code unique per call unless given). */
export async function makeCategory(
  office: Client,
  over: Partial<{
    code: string;
    slaClass: 'emergency' | 'ordinary' | 'complex';
    photoRequired: boolean;
    answerReview: boolean;
    public: boolean;
  }> = {},
): Promise<string> {
  const res = await office.post('/api/case-categories', {
    code: over.code ?? `c${Math.random().toString(36).slice(2, 10)}`,
    nameZh: '测试类别',
    nameEn: 'Test category',
    description: '',
    slaClass: over.slaClass ?? 'ordinary',
    photoRequired: over.photoRequired ?? false,
    answerReview: over.answerReview ?? false,
    public: over.public ?? true,
    active: true,
    sort: 999,
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().id;
}

export async function makeRule(
  office: Client,
  rule: { categoryId: string | null; areaUnitId: string | null; unitId: string; note?: string },
): Promise<string> {
  const res = await office.post('/api/case-routing-rules', rule);
  expect(res.statusCode, res.body).toBe(201);
  return res.json().id;
}

/** The demo region's first township and its first village (the demo citizen lives there). */
export async function demoArea(t: TestApp): Promise<{ townId: string; villageId: string; town2Id: string }> {
  const db = t.ctx.database.db;
  const towns = await db
    .selectFrom('org_units')
    .select('id')
    .where('type', '=', 'township')
    .orderBy('sort')
    .limit(2)
    .execute();
  const village = await db
    .selectFrom('org_units')
    .select('id')
    .where('parent_id', '=', towns[0].id)
    .where('type', '=', 'village')
    .orderBy('sort')
    .executeTakeFirstOrThrow();
  return { townId: towns[0].id, villageId: village.id, town2Id: towns[1].id };
}

export interface CaseBody {
  kind?: 'snapshot' | 'talk';
  categoryId: string;
  description?: string;
  title?: string;
  level?: 'village' | 'township' | 'county';
  areaUnitId?: string | null;
  address?: string;
  lat?: number | null;
  lng?: number | null;
  anonymous?: boolean;
  contactPhone?: string | null;
  contactName?: string | null;
  photoIds?: string[];
  website?: string;
}

/** POST /api/cases as JSON; the raw reply. */
export function postCase(c: Client, body: CaseBody): Promise<LightMyRequestResponse> {
  return c.post('/api/cases', {
    kind: 'snapshot',
    description: '路口有车辆违停，影响通行',
    address: '人民路 1 号',
    anonymous: false,
    ...body,
  });
}

/** Files a case (JSON) and returns the intake reply; fails the test on anything but 201. */
export async function fileCase(
  c: Client,
  body: CaseBody,
): Promise<{ id: string; no: string; state: string; unitId: string | null; unitName: string | null }> {
  const res = await postCase(c, body);
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

/** A small real JPEG, different per `pattern`. */
export function smallJpeg(pattern = 1): Promise<Buffer> {
  return makeJpeg({ width: 64, height: 48, color: '#336699', pattern });
}

/** Uploads a photo through /api/files and returns its id (for JSON intake's photoIds). */
export async function uploadPhoto(c: Client, pattern = 1): Promise<string> {
  return uploadFile(c, `photo-${pattern}.jpg`, await smallJpeg(pattern));
}

/** A multipart/form-data body with text fields and files, as the H5 sends it. */
export function caseForm(
  fields: Record<string, string>,
  files: { field?: string; filename: string; bytes: Buffer }[] = [],
): { payload: Buffer; headers: Record<string, string> } {
  const boundary = `----wenmingcase${Math.random().toString(16).slice(2)}`;
  const chunks: Buffer[] = [];
  for (const [name, value] of Object.entries(fields)) {
    chunks.push(
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`),
    );
  }
  for (const f of files) {
    chunks.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${f.field ?? 'photos'}"; filename="${f.filename}"\r\n` +
          'Content-Type: application/octet-stream\r\n\r\n',
      ),
      f.bytes,
      Buffer.from('\r\n'),
    );
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return {
    payload: Buffer.concat(chunks),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

/** POST /api/cases as the H5's multipart form; the raw reply. */
export function postCaseForm(
  c: Client,
  fields: Record<string, string>,
  files: { field?: string; filename: string; bytes: Buffer }[] = [],
): Promise<LightMyRequestResponse> {
  const form = caseForm(fields, files);
  return c.request('POST', '/api/cases', form.payload, form.headers);
}

/** The demo citizen (孙丽娟, village:0, phone 13800138002), signed in. */
export function signInCitizen(t: TestApp): Promise<Client> {
  return signedIn(t.app, 'citizen');
}

/** GET /api/cases/:id as this client (the detail; fails the test unless 200). */
export async function caseOf(c: Client, id: string) {
  const res = await c.get(`/api/cases/${id}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

/** Takes an action with the version the client reads first; returns the raw reply. */
export async function act(
  c: Client,
  id: string,
  action: string,
  body: { note?: string; payload?: Record<string, unknown>; attachments?: string[]; version?: number } = {},
): Promise<LightMyRequestResponse> {
  const version = body.version ?? (await versionOf(c, id));
  return c.post(`/api/cases/${id}/transitions`, { action, version, ...body });
}

async function versionOf(c: Client, id: string): Promise<number> {
  const res = await c.get(`/api/cases/${id}`);
  return res.statusCode === 200 ? res.json().version : 1;
}

/** Takes an action that must succeed; returns the detail after it. */
export async function actOk(
  c: Client,
  id: string,
  action: string,
  body: { note?: string; payload?: Record<string, unknown>; attachments?: string[] } = {},
) {
  const res = await act(c, id, action, body);
  expect(res.statusCode, `${action}: ${res.body}`).toBe(200);
  return res.json();
}
