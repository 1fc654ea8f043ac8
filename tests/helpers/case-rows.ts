/**
 * Case rows written straight into the database, as intake would have written them, for the abuse and
 * moderation tests (they test what happens around intake, not intake itself).
 */
import { uuidv7 } from '../../apps/server/src/db/ids.ts';
import type { CaseTable } from '../../apps/server/src/db/schema.ts';
import type { TestApp } from './app.ts';

/** Some case category: the first one there is, or a test category made now. */
export async function anyCategory(app: TestApp): Promise<string> {
  const { db } = app.ctx.database;
  const found = await db.selectFrom('case_categories').select('id').orderBy('sort').executeTakeFirst();
  if (found) return found.id;
  const id = uuidv7();
  const now = app.clock.now().toISOString();
  await db
    .insertInto('case_categories')
    .values({
      id,
      code: 'zz_abuse_test',
      name_zh: '测试',
      name_en: 'Test',
      description: '',
      sla_class: 'ordinary',
      photo_required: false,
      answer_review: false,
      public: true,
      active: true,
      sort: 999,
      created_at: now,
      updated_at: now,
    })
    .execute();
  return id;
}

/**
 * A whole case row with neutral defaults (a pending 随手拍 on the H5, nobody's yet), for tests that insert
 * cases directly; `created_at` also fills `updated_at` unless given.
 */
export function caseRow(
  base: Pick<CaseTable, 'id' | 'no' | 'category_id' | 'created_at'> & Partial<CaseTable>,
): CaseTable {
  return {
    kind: 'snapshot',
    channel: 'h5',
    level: 'county',
    sla_class: 'ordinary',
    answer_review: false,
    title: '占道经营',
    description: '路口有人占道经营',
    address: '',
    lat: null,
    lng: null,
    area_unit_id: null,
    reporter_id: null,
    anonymous: false,
    contact_name: null,
    contact_phone_enc: null,
    contact_phone_hash: null,
    ip: null,
    first_unit_id: null,
    unit_id: null,
    returned_by_unit_id: null,
    state: 'pending',
    version: 1,
    sla_color: 'green',
    due_at: null,
    answer: null,
    rating: null,
    rating_comment: null,
    reopen_count: 0,
    duplicate_of: null,
    public: true,
    hidden: false,
    hidden_reason: null,
    valid: null,
    follower_count: 0,
    external_source: null,
    external_no: null,
    external_hash: null,
    dispatched_at: null,
    signed_at: null,
    answered_at: null,
    rated_at: null,
    closed_at: null,
    updated_at: base.created_at,
    ...base,
  };
}

/** A pending case filed `agoMs` before the test clock's now; returns its id. */
export async function insertCase(
  app: TestApp,
  opts: { agoMs?: number } & Partial<CaseTable> = {},
): Promise<string> {
  const { agoMs = 0, ...over } = opts;
  const at = new Date(app.clock.now().getTime() - agoMs).toISOString();
  const id = uuidv7();
  await app.ctx.database.db
    .insertInto('cases')
    .values(caseRow({ id, no: `SP-T-${id}`, category_id: await anyCategory(app), created_at: at, ...over }))
    .execute();
  return id;
}
