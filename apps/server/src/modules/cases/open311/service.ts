import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { CaseState } from '../../../../../../packages/contracts/src/index.ts';
import { uuidv7 } from '../../../db/ids.ts';
import { bool } from '../../../db/normalize.ts';
import type { DB } from '../../../db/schema.ts';
import type { AppContext } from '../../../platform/context.ts';
import { AppError, invalidField } from '../../../platform/http/errors.ts';
import type { Lang } from '../../../platform/http/messages.ts';
import { normalizeContactNumber } from '../../../platform/pii/mask.ts';
import type { Caller } from '../../../platform/workflow/machine.ts';
import { type ApiKeyPrincipal, authenticateApiKey } from '../../apikeys/service.ts';
import { intakeCase } from '../intake.ts';

/** GeoReport v2 over our cases: one jurisdiction, JSON only. */

/** Answered and settled cases are 'closed' to the outside; everything still owed is 'open'. */
const CLOSED_STATES: readonly CaseState[] = ['rating', 'closed', 'merged', 'rejected'];
/** Never listed (the public view leaves them out too); still readable one by one. */
const UNLISTED_STATES: readonly CaseState[] = ['merged', 'rejected'];
/** The default window of a list without dates, and its size (the GeoReport defaults). */
const DEFAULT_DAYS = 90;
const MAX_RESULTS = 1000;
const AREA_TYPES = new Set(['township', 'village']);

export const statusOf = (state: string): 'open' | 'closed' =>
  (CLOSED_STATES as readonly string[]).includes(state) ? 'closed' : 'open';

/** ISO 8601 in Beijing time, as GeoReport clients expect local time with its offset. */
export function beijing(iso: string | null): string | null {
  if (!iso) return null;
  const t = Date.parse(iso);
  return `${new Date(t + 8 * 3600_000).toISOString().slice(0, 19)}+08:00`;
}

export interface Service {
  service_code: string;
  service_name: string;
  description: string;
  metadata: boolean;
  type: 'realtime';
  keywords: string;
  group: string;
}

const GROUP = { 'zh-CN': '文明城市', 'en-US': 'Civility' } as const;

export async function listServices(db: Kysely<DB>, lang: Lang): Promise<Service[]> {
  const rows = await db
    .selectFrom('case_categories')
    .select(['code', 'name_zh', 'name_en', 'description'])
    .where('active', '=', true)
    .orderBy('sort')
    .orderBy('code')
    .execute();
  return rows.map((c) => ({
    service_code: c.code,
    service_name: lang === 'zh-CN' ? c.name_zh : c.name_en,
    description: c.description,
    metadata: false,
    type: 'realtime',
    keywords: lang === 'zh-CN' ? c.name_en : c.name_zh,
    group: GROUP[lang],
  }));
}

export async function serviceDefinition(db: Kysely<DB>, code: string) {
  const row = await db
    .selectFrom('case_categories')
    .select('code')
    .where('code', '=', code)
    .where('active', '=', true)
    .executeTakeFirst();
  if (!row) throw new AppError(404, 'OPEN311_SERVICE_UNKNOWN', { code });
  return { service_code: row.code, attributes: [] as never[] };
}

export interface RequestFilter {
  ids?: string[];
  codes?: string[];
  statuses?: ('open' | 'closed')[];
  start?: Date;
  end?: Date;
}

function requestQuery(db: Kysely<DB>) {
  return (
    db
      .selectFrom('cases as k')
      .innerJoin('case_categories as c', 'c.id', 'k.category_id')
      .leftJoin('org_units as u', 'u.id', 'k.unit_id')
      .select([
        'k.no',
        'k.state',
        'k.answer',
        'k.description',
        'k.address',
        'k.lat',
        'k.lng',
        'k.due_at',
        'k.created_at',
        'k.updated_at',
        'c.code',
        'c.name_zh',
        'c.name_en',
        'u.name as unit_name',
      ])
      // Only what the public view shows: public categories, nothing hidden by a moderator.
      .where('c.public', '=', true)
      .where('k.hidden', '=', false)
  );
}

type RequestRow = NonNullable<Awaited<ReturnType<ReturnType<typeof requestQuery>['executeTakeFirst']>>>;

/** A case as a GeoReport service request: no reporter, contact name or phone. */
function toRequest(r: RequestRow, lang: Lang) {
  return {
    service_request_id: r.no,
    status: statusOf(r.state),
    status_notes: r.answer,
    service_name: lang === 'zh-CN' ? r.name_zh : r.name_en,
    service_code: r.code,
    description: r.description,
    agency_responsible: r.unit_name,
    service_notice: null,
    requested_datetime: beijing(r.created_at),
    updated_datetime: beijing(r.updated_at),
    expected_datetime: beijing(r.due_at),
    address: r.address,
    address_id: null,
    zipcode: null,
    lat: r.lat === null ? null : Number(r.lat),
    long: r.lng === null ? null : Number(r.lng),
    media_url: null,
  };
}

export async function listRequests(ctx: AppContext, lang: Lang, f: RequestFilter) {
  let q = requestQuery(ctx.database.db).where('k.state', 'not in', [...UNLISTED_STATES]);
  if (f.ids?.length) q = q.where('k.no', 'in', f.ids);
  if (f.codes?.length) q = q.where('c.code', 'in', f.codes);
  if (f.statuses?.length === 1) {
    q = q.where('k.state', f.statuses[0] === 'closed' ? 'in' : 'not in', [...CLOSED_STATES]);
  }
  let start = f.start;
  if (!start && !f.end && !f.ids?.length)
    start = new Date(ctx.clock.now().getTime() - DEFAULT_DAYS * 86_400_000);
  if (start) q = q.where('k.created_at', '>=', start.toISOString());
  if (f.end) q = q.where('k.created_at', '<=', f.end.toISOString());
  const rows = await q.orderBy('k.created_at', 'desc').orderBy('k.id', 'desc').limit(MAX_RESULTS).execute();
  return rows.map((r) => toRequest(r, lang));
}

export async function getRequest(ctx: AppContext, lang: Lang, no: string) {
  const row = await requestQuery(ctx.database.db).where('k.no', '=', no).executeTakeFirst();
  if (!row) throw new AppError(404, 'OPEN311_REQUEST_UNKNOWN', { id: no });
  return [toRequest(row, lang)];
}

export interface PostRequest {
  api_key?: string;
  service_code?: string;
  lat?: number;
  long?: number;
  address_string?: string;
  description?: string;
  media_url?: string;
  email?: string;
  first_name?: string;
  last_name?: string;
  phone?: string;
}

/** The key's service account as a caller: it may file cases, and nothing else. */
function callerOf(p: ApiKeyPrincipal, ip: string | null): Caller {
  return {
    user: {
      id: p.userId,
      username: null,
      displayName: p.userName,
      kind: 'service',
      unitId: p.unitId,
      unitName: p.unitName,
      unitPath: p.unitPath,
      roles: [],
      permissions: new Set(['case:report']),
      dataScope: 'own',
      mustChangePassword: false,
      totpEnabled: false,
      phoneEnc: null,
    },
    scope: { kind: 'none' },
    ip,
  };
}

/**
 * Files a case for another system. The key is checked first (403), then the service code, the
 * location (lat/long or an address) and the contact phone (400); the rest is the intake's own check.
 */
export async function postRequest(
  ctx: AppContext,
  lang: Lang,
  body: PostRequest,
  ip: string | null,
  idempotencyKey?: string,
): Promise<PostedRequest> {
  const key = body.api_key?.trim();
  const principal = key ? await authenticateApiKey(ctx, key, 'open311:write') : null;
  if (!principal) throw new AppError(403, 'OPEN311_API_KEY');

  const code = body.service_code?.trim();
  if (!code) throw invalidField('service_code', 'field.required');
  const category = await ctx.database.db
    .selectFrom('case_categories')
    .select(['id', 'active'])
    .where('code', '=', code)
    .executeTakeFirst();
  if (!category || !bool(category.active))
    throw invalidField('service_code', 'open311.serviceCode', { code });

  const hasLat = body.lat !== undefined;
  const hasLong = body.long !== undefined;
  if (hasLat !== hasLong) throw invalidField(hasLat ? 'long' : 'lat', 'field.required');
  const address = body.address_string?.trim() ?? '';
  if (!hasLat && !address) throw invalidField('address_string', 'open311.location');

  let phone: string | null = null;
  if (body.phone?.trim()) {
    phone = normalizeContactNumber(body.phone);
    if (!phone) throw invalidField('phone', 'open311.phone');
  }
  const name = [body.last_name, body.first_name]
    .map((s) => s?.trim() ?? '')
    .filter(Boolean)
    .join(lang === 'zh-CN' ? '' : ' ');
  const description = [body.description?.trim() ?? '', body.media_url?.trim() ?? '']
    .filter(Boolean)
    .join('\n');
  const hash = createHash('sha256')
    .update(JSON.stringify([code, body.lat ?? null, body.long ?? null, address, description, name, phone]))
    .digest('hex');

  // A retried request with the same Idempotency-Key gets the case filed the first time.
  const externalNo = idempotencyKey ? `key:${idempotencyKey}` : uuidv7();
  if (idempotencyKey) {
    const earlier = await filedWithKey(ctx.database.db, principal.keyId, externalNo, hash);
    if (earlier) return earlier;
  }
  const created = await intakeCase(
    ctx,
    {
      kind: 'snapshot',
      categoryId: category.id,
      description,
      areaUnitId: principal.unitType && AREA_TYPES.has(principal.unitType) ? principal.unitId : null,
      address,
      lat: body.lat ?? null,
      lng: body.long ?? null,
      anonymous: !name,
      contactName: name || null,
      contactPhone: phone,
      photoIds: [],
    },
    {
      caller: callerOf(principal, ip),
      channel: 'open311',
      ip,
      external: { source: principal.keyId, no: externalNo, hash },
    },
  ).catch(async (err: unknown) => {
    // the same key twice at once: the first one's case (committed when the unique index refused this one)
    const code = (err as { code?: unknown }).code;
    const earlier =
      idempotencyKey && (code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE')
        ? await filedWithKey(ctx.database.db, principal.keyId, externalNo, hash)
        : null;
    if (earlier) return earlier;
    throw err;
  });
  if ('replayed' in created) return created;
  return { no: created.no, unitName: created.unitName, replayed: false };
}

export interface PostedRequest {
  no: string;
  unitName: string | null;
  /** Filed by an earlier request with the same Idempotency-Key. */
  replayed: boolean;
}

/**
 * The case this key filed under this Idempotency-Key, if any; 422 when that request differed (another
 * service code, place, description, name or phone).
 */
async function filedWithKey(
  db: Kysely<DB>,
  keyId: string,
  externalNo: string,
  hash: string,
): Promise<PostedRequest | null> {
  const earlier = await db
    .selectFrom('cases as c')
    .leftJoin('org_units as u', 'u.id', 'c.unit_id')
    .select(['c.no', 'c.external_hash', 'u.name as unitName'])
    .where('c.external_source', '=', keyId)
    .where('c.external_no', '=', externalNo)
    .executeTakeFirst();
  if (!earlier) return null;
  if (earlier.external_hash !== hash) throw new AppError(422, 'OPEN311_IDEMPOTENCY_KEY_REUSED');
  return { no: earlier.no, unitName: earlier.unitName, replayed: true };
}
