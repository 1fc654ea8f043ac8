import type { Kysely } from 'kysely';
import {
  CASE_MAX_PHOTOS,
  type CaseChannel,
  type CaseKind,
  type CaseLevel,
  type CaseState,
} from '../../../../../packages/contracts/src/index.ts';
import { uuidv7 } from '../../db/ids.ts';
import type { CaseTable, DB } from '../../db/schema.ts';
import { getCalendar } from '../../platform/calendar/service.ts';
import type { AppContext } from '../../platform/context.ts';
import { kickAnalysis } from '../../platform/files/analyser.ts';
import { insertStoredFiles, type StoredFile, uploadFacts } from '../../platform/files/service.ts';
import { AppError, type FieldProblem, invalidField, notFound } from '../../platform/http/errors.ts';
import { kickDelivery } from '../../platform/notify/service.ts';
import { normalizeContactNumber, normalizePhone } from '../../platform/pii/mask.ts';
import { groupTx, writeTx } from '../../platform/tx.ts';
import { createRecord } from '../../platform/workflow/engine.ts';
import type { Caller } from '../../platform/workflow/machine.ts';
import { type CaseCategory, findCategory } from './categories.ts';
import { caseMachine, onCaseCreated } from './machine.ts';
import { nextCaseNo, seriesOf } from './numbers.ts';
import { loadArea, loadRouteRules, type RouteArea, routeCase } from './routing.ts';

/** What a case is filed with, whatever the channel (H5 form, console, 12345 import, Open311). */
export interface CaseIntake {
  kind: CaseKind;
  categoryId: string;
  /** Default: the first 30 characters of the description. */
  title?: string | null;
  description: string;
  /** 说事 only (required there): whom the citizen addresses. */
  level?: CaseLevel | null;
  /** A township or village under the region. */
  areaUnitId?: string | null;
  address: string;
  lat?: number | null;
  lng?: number | null;
  anonymous: boolean;
  contactName?: string | null;
  /** Default: the signed-in citizen's own phone. */
  contactPhone?: string | null;
  /** Files already stored (uploaded by the caller). */
  photoIds: string[];
  /** When the case really came in (a hotline order's own time); default now. */
  createdAt?: Date;
}

/** Who files the case and through which door. */
export interface CaseOrigin {
  caller: Caller;
  channel: CaseChannel;
  ip: string | null;
  /** An imported order: its source ('12345', an API key's id), its number there and the row's hash. */
  external?: { source: string; no: string; hash: string };
}

export interface IntakeResult {
  id: string;
  no: string;
  state: CaseState;
  unitId: string | null;
  unitName: string | null;
}

/** The descriptive fields a re-imported hotline row may change (no state change). */
export interface CaseImportUpdate {
  title?: string;
  description?: string;
  address?: string;
  categoryId?: string;
  areaUnitId?: string | null;
  lat?: number | null;
  lng?: number | null;
  contactName?: string | null;
  contactPhone?: string | null;
  /** The new hash of the imported row. */
  hash?: string;
}

export const DESCRIPTION_MIN = 5;
export const DESCRIPTION_MAX = 2000;
export const TITLE_MAX = 100;
export const ADDRESS_MAX = 200;
const TITLE_DEFAULT_CHARS = 30;

/** What the checks found, ready to be written. */
export interface CheckedIntake {
  input: CaseIntake;
  category: CaseCategory;
  area: RouteArea | null;
  level: CaseLevel;
  title: string;
  description: string;
  address: string;
  phone: { plain: string; enc: string; hash: string } | null;
}

function fail(problems: FieldProblem[]): never {
  throw new AppError(400, 'VALIDATION_FAILED', {}, problems);
}

const chars = (s: string) => Array.from(s).length;

/**
 * Checks a case's fields before anything is stored (photos are counted, not read): lengths, the
 * position pair, the category (active), the area (a township or village), the 说事 level, photos the
 * category requires (H5 reports), the contact phone. 400 with every field at fault.
 */
export async function checkIntakeFields(
  ctx: AppContext,
  input: CaseIntake,
  origin: CaseOrigin,
  photoCount: number,
): Promise<CheckedIntake> {
  const problems: FieldProblem[] = [];
  const description = input.description.trim();
  if (chars(description) < DESCRIPTION_MIN)
    problems.push({ field: 'description', code: 'field.minLength', params: { limit: DESCRIPTION_MIN } });
  if (chars(description) > DESCRIPTION_MAX)
    problems.push({ field: 'description', code: 'field.maxLength', params: { limit: DESCRIPTION_MAX } });
  const title = input.title?.trim() || Array.from(description).slice(0, TITLE_DEFAULT_CHARS).join('');
  if (chars(title) > TITLE_MAX)
    problems.push({ field: 'title', code: 'field.maxLength', params: { limit: TITLE_MAX } });
  const address = input.address.trim();
  if (chars(address) > ADDRESS_MAX)
    problems.push({ field: 'address', code: 'field.maxLength', params: { limit: ADDRESS_MAX } });
  const hasLat = input.lat !== null && input.lat !== undefined;
  const hasLng = input.lng !== null && input.lng !== undefined;
  if (hasLat !== hasLng) problems.push({ field: hasLat ? 'lng' : 'lat', code: 'case.latLngPair' });
  if (hasLat && !(Number.isFinite(input.lat) && Math.abs(input.lat as number) <= 90))
    problems.push({ field: 'lat', code: 'field.invalid' });
  if (hasLng && !(Number.isFinite(input.lng) && Math.abs(input.lng as number) <= 180))
    problems.push({ field: 'lng', code: 'field.invalid' });
  if (input.kind === 'talk' && !input.level) problems.push({ field: 'level', code: 'case.levelForTalk' });
  if (photoCount > CASE_MAX_PHOTOS)
    problems.push({ field: 'photos', code: 'case.tooManyPhotos', params: { limit: CASE_MAX_PHOTOS } });

  let phone: CheckedIntake['phone'] = null;
  const typed = input.contactPhone?.trim();
  if (typed) {
    // A citizen on the H5 gives a mobile number; staff filing for a caller (hotline, console, Open311)
    // may keep a landline.
    const plain = origin.channel === 'h5' ? normalizePhone(typed) : normalizeContactNumber(typed);
    if (!plain) problems.push({ field: 'contactPhone', code: 'field.pattern' });
    else phone = { plain, enc: ctx.pii.encrypt(plain), hash: ctx.pii.hash(plain) };
  } else if (origin.channel === 'h5' && origin.caller.user.phoneEnc) {
    const plain = ctx.pii.decrypt(origin.caller.user.phoneEnc);
    phone = { plain, enc: origin.caller.user.phoneEnc, hash: ctx.pii.hash(plain) };
  }

  const db = ctx.database.db;
  const [category, area] = await Promise.all([
    findCategory(db, input.categoryId),
    input.areaUnitId ? loadArea(db, input.areaUnitId) : Promise.resolve(null),
  ]);
  if (!category?.active) problems.push({ field: 'categoryId', code: 'case.unknownCategory' });
  if (input.areaUnitId && !area) problems.push({ field: 'areaUnitId', code: 'case.unknownArea' });
  if (category?.photoRequired && origin.channel === 'h5' && photoCount === 0)
    problems.push({ field: 'photos', code: 'case.photoRequired' });
  if (problems.length || !category) fail(problems);

  const level: CaseLevel =
    input.kind === 'talk' && input.level
      ? input.level
      : area?.type === 'village'
        ? 'village'
        : area
          ? 'township'
          : 'county';
  return { input, category, area: area ?? null, level, title, description, address, phone };
}

/** The photos are images the caller uploaded (the console and tests send ids of /api/files uploads). */
export async function checkPhotos(db: Kysely<DB>, ids: string[], userId: string): Promise<void> {
  if (!ids.length) return;
  const rows = await db
    .selectFrom('files')
    .select(['id', 'kind'])
    .where('id', 'in', ids)
    .where('uploaded_by', '=', userId)
    .execute();
  if (rows.length !== new Set(ids).size) throw invalidField('photoIds', 'field.unknownFile');
  if (rows.some((r) => r.kind !== 'image')) throw invalidField('photoIds', 'case.notImage');
}

/**
 * Files one case: checks the fields (400 with the field), the category, the area, the photos; then in
 * one transaction the number, the row, the photo links, the history, the routing (dispatched to the
 * matching unit, or pending for the office), the deadlines, the notifications and the audit. The abuse
 * checks (bans, rate limits, honeypot) are the H5 route's: imports do not go through them.
 */
export async function intakeCase(
  ctx: AppContext,
  input: CaseIntake,
  origin: CaseOrigin,
): Promise<IntakeResult> {
  const photoIds = [...new Set(input.photoIds)];
  const checked = await checkIntakeFields(ctx, input, origin, photoIds.length);
  await checkPhotos(ctx.database.db, photoIds, origin.caller.user.id);
  return writeCase(ctx, checked, photoIds, origin);
}

/**
 * The transaction of an intake whose fields and photos were checked. `stored`: photos of this request
 * whose blobs are written but whose rows are not (storeBlobForLater): inserted here, named in the
 * case's audit row, and their analysis kicked after the commit. Their ids are among `photoIds`.
 */
export async function writeCase(
  ctx: AppContext,
  checked: CheckedIntake,
  photoIds: string[],
  origin: CaseOrigin,
  stored: StoredFile[] = [],
): Promise<IntakeResult> {
  const db = ctx.database.db;
  const { input, category, area } = checked;
  // Read before the transaction: on SQLite nothing may read outside it while it is open.
  const cal = await getCalendar(ctx);
  const decision = routeCase(await loadRouteRules(db), {
    categoryId: category.id,
    kind: input.kind,
    level: checked.level,
    area,
  });
  const unit = decision.unitId
    ? await db.selectFrom('org_units').select('name').where('id', '=', decision.unitId).executeTakeFirst()
    : undefined;
  const caller = origin.caller;
  const id = uuidv7();
  const state: CaseState = decision.unitId ? 'dispatched' : 'pending';
  const series = seriesOf(input.kind, origin.channel);
  const createdAt = input.createdAt ?? ctx.clock.now();
  const year = Number(cal.localDate(createdAt).slice(0, 4));
  // Reports come in bursts: they are written by group commit. The cases of one number series and year
  // take their numbers from one counter row: on PostgreSQL they go one group at a time (its key).
  const no = await groupTx(
    ctx,
    { id: caller.user.id, name: caller.user.displayName, ip: origin.ip },
    `case-no:${series}:${year}`,
    async (tx) => {
      const now = ctx.clock.now();
      const caseNo = await nextCaseNo(tx, series, year);
      const row: CaseTable = {
        id,
        no: caseNo,
        kind: input.kind,
        channel: origin.channel,
        level: checked.level,
        category_id: category.id,
        sla_class: category.slaClass,
        answer_review: category.answerReview,
        title: checked.title,
        description: checked.description,
        address: checked.address,
        lat: input.lat ?? null,
        lng: input.lng ?? null,
        area_unit_id: area?.id ?? null,
        // A citizen's own report; the office files for others (hotline calls, walk-ins) without one.
        reporter_id: origin.channel === 'h5' ? caller.user.id : null,
        anonymous: input.anonymous,
        contact_name: input.contactName?.trim() || null,
        contact_phone_enc: checked.phone?.enc ?? null,
        contact_phone_hash: checked.phone?.hash ?? null,
        ip: origin.ip,
        first_unit_id: decision.unitId,
        unit_id: decision.unitId,
        returned_by_unit_id: null,
        state,
        version: 1,
        sla_color: 'green',
        due_at: null,
        answer: null,
        rating: null,
        rating_comment: null,
        reopen_count: 0,
        duplicate_of: null,
        public: category.public,
        hidden: false,
        hidden_reason: null,
        valid: null,
        follower_count: 0,
        external_source: origin.external?.source ?? null,
        external_no: origin.external?.no ?? null,
        external_hash: origin.external?.hash ?? null,
        dispatched_at: decision.unitId ? now.toISOString() : null,
        signed_at: null,
        answered_at: null,
        rated_at: null,
        closed_at: null,
        created_at: createdAt.toISOString(),
        updated_at: now.toISOString(),
      };
      await insertStoredFiles(tx, stored);
      await createRecord(ctx, tx, cal, caseMachine, caller, id, {
        state,
        attachments: photoIds,
        payload:
          decision.reason === 'rule'
            ? { routing: 'rule', ruleId: decision.ruleId }
            : { routing: decision.reason },
        insert: async () => {
          await tx.db.insertInto('cases').values(row).execute();
        },
        onCreate: onCaseCreated,
      });
      const { contact_phone_enc: _enc, contact_phone_hash: _hash, ...logged } = row;
      await tx.audit({
        action: 'case.create',
        entity: 'case',
        entityId: id,
        after: stored.length
          ? { ...logged, uploads: stored.map((f) => ({ id: f.id, ...uploadFacts(f) })) }
          : logged,
      });
      return caseNo;
    },
  );
  if (stored.some((f) => f.analysis === 'pending')) kickAnalysis(ctx);
  kickDelivery(ctx);
  return { id, no, state, unitId: decision.unitId, unitName: unit?.name ?? null };
}

/** A hotline re-import of a changed row: descriptive fields updated, one history row 'update'. */
export async function updateImportedCase(
  ctx: AppContext,
  caseId: string,
  fields: CaseImportUpdate,
  caller: Caller,
): Promise<void> {
  const db = ctx.database.db;
  const before = await db.selectFrom('cases').selectAll().where('id', '=', caseId).executeTakeFirst();
  if (!before) throw notFound();
  const values: Partial<CaseTable> = {};
  if (fields.title !== undefined) values.title = fields.title.trim().slice(0, TITLE_MAX);
  if (fields.description !== undefined) values.description = fields.description.trim();
  if (fields.address !== undefined) values.address = fields.address.trim().slice(0, ADDRESS_MAX);
  if (fields.categoryId !== undefined) {
    const category = await findCategory(db, fields.categoryId);
    if (!category) throw invalidField('categoryId', 'case.unknownCategory');
    values.category_id = category.id;
  }
  if (fields.areaUnitId !== undefined) {
    if (fields.areaUnitId && !(await loadArea(db, fields.areaUnitId)))
      throw invalidField('areaUnitId', 'case.unknownArea');
    values.area_unit_id = fields.areaUnitId;
  }
  if (fields.lat !== undefined) values.lat = fields.lat;
  if (fields.lng !== undefined) values.lng = fields.lng;
  if (fields.contactName !== undefined) values.contact_name = fields.contactName?.trim() || null;
  if (fields.contactPhone !== undefined) {
    const plain = fields.contactPhone ? normalizeContactNumber(fields.contactPhone) : null;
    if (fields.contactPhone && !plain) throw invalidField('contactPhone', 'field.pattern');
    values.contact_phone_enc = plain ? ctx.pii.encrypt(plain) : null;
    values.contact_phone_hash = plain ? ctx.pii.hash(plain) : null;
  }
  if (fields.hash !== undefined) values.external_hash = fields.hash;
  const changed = Object.keys(values).filter((k) => k !== 'contact_phone_enc' && k !== 'contact_phone_hash');
  await writeTx(ctx, { id: caller.user.id, name: caller.user.displayName, ip: caller.ip }, async (tx) => {
    const now = ctx.clock.now().toISOString();
    await tx.db
      .updateTable('cases')
      .set((eb) => ({ ...values, version: eb('version', '+', 1), updated_at: now }))
      .where('id', '=', caseId)
      .execute();
    const last = await tx.db
      .selectFrom('workflow_history')
      .select((eb) => eb.fn.max('seq').as('seq'))
      .where('record_type', '=', 'case')
      .where('record_id', '=', caseId)
      .executeTakeFirst();
    await tx.db
      .insertInto('workflow_history')
      .values({
        id: uuidv7(),
        record_type: 'case',
        record_id: caseId,
        seq: Number(last?.seq ?? 0) + 1,
        at: now,
        actor_id: caller.user.id,
        actor_name: caller.user.displayName,
        actor_unit_id: caller.user.unitId,
        from_state: before.state,
        action: 'update',
        to_state: before.state,
        note: null,
        payload: JSON.stringify({ fields: changed }),
        attachments: '[]',
      })
      .execute();
    await tx.audit({
      action: 'case.update',
      entity: 'case',
      entityId: caseId,
      before: Object.fromEntries(changed.map((k) => [k, before[k as keyof CaseTable]])),
      after: Object.fromEntries(changed.map((k) => [k, values[k as keyof CaseTable]])),
    });
  });
}
