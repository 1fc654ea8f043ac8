import type { Kysely } from 'kysely';
import {
  CASE_CATEGORY_DEFAULTS,
  type CaseCategory,
  type CaseSlaClass,
} from '../../../../../packages/contracts/src/index.ts';
import { uuidv7 } from '../../db/ids.ts';
import { bool, int } from '../../db/normalize.ts';
import type { CaseCategoryTable, DB } from '../../db/schema.ts';
import type { Actor } from '../../platform/audit/audit.ts';
import { SYSTEM_ACTOR } from '../../platform/audit/audit.ts';
import type { AppContext } from '../../platform/context.ts';
import { invalidField, notFound } from '../../platform/http/errors.ts';
import { writeTx } from '../../platform/tx.ts';

export type { CaseCategory };

export type CaseCategoryInput = Omit<CaseCategory, 'id'>;

export function toCategory(r: CaseCategoryTable): CaseCategory {
  return {
    id: r.id,
    code: r.code,
    nameZh: r.name_zh,
    nameEn: r.name_en,
    description: r.description,
    slaClass: r.sla_class as CaseSlaClass,
    photoRequired: bool(r.photo_required),
    answerReview: bool(r.answer_review),
    public: bool(r.public),
    active: bool(r.active),
    sort: int(r.sort),
  };
}

export async function listCategories(db: Kysely<DB>): Promise<CaseCategory[]> {
  const rows = await db.selectFrom('case_categories').selectAll().orderBy('sort').orderBy('code').execute();
  return rows.map(toCategory);
}

export async function findCategory(db: Kysely<DB>, id: string): Promise<CaseCategory | undefined> {
  const row = await db.selectFrom('case_categories').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toCategory(row) : undefined;
}

/** The default categories (SPEC §2.6), written at start when there are none yet. */
export async function ensureDefaultCategories(ctx: AppContext): Promise<number> {
  const any = await ctx.database.db.selectFrom('case_categories').select('id').limit(1).executeTakeFirst();
  if (any) return 0;
  const now = ctx.clock.now().toISOString();
  const rows: CaseCategoryTable[] = CASE_CATEGORY_DEFAULTS.map((d, i) => ({
    id: uuidv7(),
    code: d.code,
    name_zh: d.zh,
    name_en: d.en,
    description: '',
    sla_class: d.slaClass,
    photo_required: d.photoRequired,
    answer_review: false,
    public: d.public,
    active: true,
    sort: (i + 1) * 10,
    created_at: now,
    updated_at: now,
  }));
  await writeTx(ctx, SYSTEM_ACTOR, async (tx) => {
    await tx.db
      .insertInto('case_categories')
      .values(rows)
      .onConflict((oc) => oc.column('code').doNothing())
      .execute();
    await tx.audit({
      action: 'case_category.defaults',
      entity: 'case_category',
      after: { codes: rows.map((r) => r.code) },
    });
  });
  return rows.length;
}

async function codeTaken(db: Kysely<DB>, code: string, exceptId?: string): Promise<boolean> {
  let q = db.selectFrom('case_categories').select('id').where('code', '=', code);
  if (exceptId) q = q.where('id', '!=', exceptId);
  return !!(await q.executeTakeFirst());
}

export async function createCategory(ctx: AppContext, actor: Actor, input: CaseCategoryInput) {
  if (await codeTaken(ctx.database.db, input.code)) throw invalidField('code', 'case.categoryCodeTaken');
  const now = ctx.clock.now().toISOString();
  const row: CaseCategoryTable = {
    id: uuidv7(),
    code: input.code,
    name_zh: input.nameZh.trim(),
    name_en: input.nameEn.trim(),
    description: input.description.trim(),
    sla_class: input.slaClass,
    photo_required: input.photoRequired,
    answer_review: input.answerReview,
    public: input.public,
    active: input.active,
    sort: input.sort,
    created_at: now,
    updated_at: now,
  };
  await writeTx(ctx, actor, async (tx) => {
    await tx.db.insertInto('case_categories').values(row).execute();
    await tx.audit({ action: 'case_category.create', entity: 'case_category', entityId: row.id, after: row });
  });
  return toCategory(row);
}

export async function updateCategory(
  ctx: AppContext,
  actor: Actor,
  id: string,
  patch: Partial<CaseCategoryInput>,
) {
  const db = ctx.database.db;
  const before = await db.selectFrom('case_categories').selectAll().where('id', '=', id).executeTakeFirst();
  if (!before) throw notFound();
  if (patch.code !== undefined && (await codeTaken(db, patch.code, id))) {
    throw invalidField('code', 'case.categoryCodeTaken');
  }
  const values: Partial<CaseCategoryTable> = { updated_at: ctx.clock.now().toISOString() };
  if (patch.code !== undefined) values.code = patch.code;
  if (patch.nameZh !== undefined) values.name_zh = patch.nameZh.trim();
  if (patch.nameEn !== undefined) values.name_en = patch.nameEn.trim();
  if (patch.description !== undefined) values.description = patch.description.trim();
  if (patch.slaClass !== undefined) values.sla_class = patch.slaClass;
  if (patch.photoRequired !== undefined) values.photo_required = patch.photoRequired;
  if (patch.answerReview !== undefined) values.answer_review = patch.answerReview;
  if (patch.public !== undefined) values.public = patch.public;
  if (patch.active !== undefined) values.active = patch.active;
  if (patch.sort !== undefined) values.sort = patch.sort;
  await writeTx(ctx, actor, async (tx) => {
    await tx.db.updateTable('case_categories').set(values).where('id', '=', id).execute();
    await tx.audit({
      action: 'case_category.update',
      entity: 'case_category',
      entityId: id,
      before,
      after: values,
    });
  });
  const after = await findCategory(db, id);
  if (!after) throw notFound();
  return after;
}
