import type { Kysely } from 'kysely';
import type { CaseState } from '../../../../../packages/contracts/src/index.ts';
import { CASE_REOPEN_DAYS } from '../../../../../packages/contracts/src/index.ts';
import { uuidv7 } from '../../db/ids.ts';
import { bool } from '../../db/normalize.ts';
import type { DB } from '../../db/schema.ts';
import type { Actor } from '../../platform/audit/audit.ts';
import { getCalendar } from '../../platform/calendar/service.ts';
import type { AppContext } from '../../platform/context.ts';
import { type FileMeta, filesOf, registerRecordAccess } from '../../platform/files/service.ts';
import { AppError, invalidField, notFound } from '../../platform/http/errors.ts';
import { kickDelivery } from '../../platform/notify/service.ts';
import { maskPhone } from '../../platform/pii/mask.ts';
import { type AuthUser, type Scope, scopeOf } from '../../platform/rbac/types.ts';
import { writeTx } from '../../platform/tx.ts';
import { colorOf } from '../../platform/workflow/deadlines.ts';
import { timeline, transition } from '../../platform/workflow/engine.ts';
import { allowedActions, type Caller, type TransitionInput } from '../../platform/workflow/machine.ts';
import { findUnitRow, inScope } from '../org/repo.ts';
import { findCategory } from './categories.ts';
import {
  CASE_STATE_LABELS,
  type CaseRecord,
  caseMachine,
  caseVisible,
  loadCase,
  refreshFollowerCount,
} from './machine.ts';
import { hiddenFileIds } from './moderation.ts';
import { type CaseListRow, deadlinesOf, pendingExtensionOf, ratingsOf, unitNames } from './repo.ts';
import { loadArea, loadRouteRules, routeCase } from './routing.ts';

/**
 * The caller as the case module sees them: staff read cases through their data scope; people without
 * case:read (citizens) have no scope and see their own cases only (the machine's `visible`).
 */
export function caseCaller(user: AuthUser, ip: string | null): Caller {
  const scope: Scope = user.permissions.has('case:read') ? scopeOf(user) : { kind: 'none' };
  return { user, scope, ip };
}

const actorOfCaller = (c: Caller): Actor => ({ id: c.user.id, name: c.user.displayName, ip: c.ip });

/** The farthest an extension may reach: a year from now. */
const MAX_EXTENSION_MS = 366 * 24 * 3600_000;
const DAY_MS = 24 * 3600_000;

async function visibleCase(ctx: AppContext, caller: Caller, id: string): Promise<CaseRecord> {
  const c = await loadCase(ctx.database.db, id);
  if (!c || !caseVisible(c, caller.scope, caller.user)) throw notFound();
  return c;
}

/** The office (dispatchers) sees who reported an anonymous case; units and others see 匿名. */
const isOffice = (user: AuthUser) => user.permissions.has('case:dispatch');

/** What the caller may do now; a closed case's redo request only within CASE_REOPEN_DAYS. */
function actionsFor(c: CaseRecord, user: AuthUser, now: Date): string[] {
  return allowedActions(caseMachine, user, c).filter(
    (a) =>
      !(
        a === 'reopen' &&
        c.state === 'closed' &&
        c.closed_at &&
        now.getTime() - Date.parse(c.closed_at) > CASE_REOPEN_DAYS * DAY_MS
      ),
  );
}

const baseKind = (kind: string) => kind.replace(/_urgent$/, '');

export async function getCaseDetail(ctx: AppContext, caller: Caller, id: string) {
  const c = await visibleCase(ctx, caller, id);
  return caseDetail(ctx, caller, c);
}

/** The detail of a case the caller may see (staff in scope, or its reporter). */
export async function caseDetail(ctx: AppContext, caller: Caller, c: CaseRecord) {
  const db = ctx.database.db;
  const now = ctx.clock.now();
  const cal = await getCalendar(ctx);
  const user = caller.user;
  const [entries, files, hidden, ratings, deadlines, ext, followed, reporter, duplicateOf, category] =
    await Promise.all([
      timeline(db, 'case', c.id),
      filesOf(db, 'case', c.id),
      hiddenFileIds(db, c.id),
      ratingsOf(db, c.id),
      deadlinesOf(db, c.id),
      pendingExtensionOf(db, c.id),
      db
        .selectFrom('case_follows')
        .select('user_id')
        .where('case_id', '=', c.id)
        .where('user_id', '=', user.id)
        .executeTakeFirst(),
      c.reporter_id
        ? db.selectFrom('users').select('display_name').where('id', '=', c.reporter_id).executeTakeFirst()
        : undefined,
      c.duplicate_of
        ? db.selectFrom('cases').select(['id', 'no']).where('id', '=', c.duplicate_of).executeTakeFirst()
        : undefined,
      findCategory(db, c.category_id),
    ]);
  const unitIds = new Set<string>();
  for (const e of entries) if (e.actorUnitId) unitIds.add(e.actorUnitId);
  for (const d of deadlines) if (d.unit_id) unitIds.add(d.unit_id);
  if (c.first_unit_id) unitIds.add(c.first_unit_id);
  const units = await unitNames(db, [...unitIds]);
  const byId = new Map<string, FileMeta>(files.map((f) => [f.id, f]));
  const created = entries.find((e) => e.action === 'create');
  const reported = new Set(created?.attachments ?? []);
  const seeAnonymous = !bool(c.anonymous) || isOffice(user) || c.reporter_id === user.id;
  const photo = (f: FileMeta) => ({ ...f, hidden: hidden.has(f.id) });
  return {
    id: c.id,
    no: c.no,
    kind: c.kind,
    channel: c.channel,
    level: c.level,
    categoryId: c.category_id,
    categoryName: c.category_name,
    categoryNameEn: category?.nameEn ?? c.category_name,
    title: c.title,
    description: c.description,
    address: c.address,
    lat: c.lat === null ? null : Number(c.lat),
    lng: c.lng === null ? null : Number(c.lng),
    areaUnitId: c.area_unit_id,
    areaName: c.area_name,
    unitId: c.unit_id,
    unitName: c.unit_name,
    firstUnitId: c.first_unit_id,
    firstUnitName: c.first_unit_id ? (units.get(c.first_unit_id) ?? null) : null,
    returnedByUnitId: c.returned_by_unit_id,
    returnedByUnitName: c.returned_by_unit_id ? (units.get(c.returned_by_unit_id) ?? null) : null,
    state: c.state as CaseState,
    version: c.version,
    slaClass: c.sla_class,
    slaColor: c.sla_color,
    dueAt: c.due_at,
    answerReview: bool(c.answer_review),
    answer: c.answer,
    rating: c.rating === null ? null : Number(c.rating),
    ratingComment: c.rating_comment,
    reopenCount: c.reopen_count,
    anonymous: bool(c.anonymous),
    reporterName: seeAnonymous ? (reporter?.display_name ?? null) : '匿名',
    contactName: seeAnonymous ? c.contact_name : null,
    contactPhone:
      seeAnonymous && c.contact_phone_enc ? maskPhone(ctx.pii.decrypt(c.contact_phone_enc)) : null,
    public: bool(c.public),
    hidden: bool(c.hidden),
    hiddenReason: isOffice(user) ? c.hidden_reason : null,
    valid: c.valid === null ? null : bool(c.valid),
    followerCount: c.follower_count,
    followed: !!followed,
    duplicateOf: duplicateOf ? { id: duplicateOf.id, no: duplicateOf.no } : null,
    dispatchedAt: c.dispatched_at,
    signedAt: c.signed_at,
    answeredAt: c.answered_at,
    ratedAt: c.rated_at,
    closedAt: c.closed_at,
    createdAt: c.created_at,
    updatedAt: c.updated_at,
    photos: files.filter((f) => reported.has(f.id)).map(photo),
    afterPhotos: files.filter((f) => !reported.has(f.id)).map(photo),
    ratings,
    deadlines: deadlines.map((d) => ({
      kind: baseKind(d.kind),
      urgent: d.kind.endsWith('_urgent'),
      status: d.status,
      startsAt: d.starts_at,
      dueAt: d.due_at,
      originalDueAt: d.original_due_at,
      metAt: d.met_at,
      unitId: d.unit_id,
      unitName: d.unit_id ? (units.get(d.unit_id) ?? null) : null,
      color: d.status === 'open' ? colorOf(cal, 'case', [d], now) : null,
      late:
        d.status === 'met'
          ? !!d.met_at && d.met_at > d.due_at
          : d.status === 'open' && now.toISOString() >= d.due_at,
    })),
    pendingExtension: ext
      ? {
          requestedDueAt: ext.requested_due_at,
          oldDueAt: ext.old_due_at,
          reason: ext.reason,
          requestedAt: ext.requested_at,
          requestedBy: ext.requested_by_name ?? null,
        }
      : null,
    timeline: entries.map((e) => ({
      ...e,
      // A citizen's name is personal: shown to the office, the reporter (themself) and the units unless anonymous.
      actorName: e.actorId === c.reporter_id && !seeAnonymous ? '匿名' : e.actorName,
      actorUnitName: e.actorUnitId ? (units.get(e.actorUnitId) ?? null) : null,
      attachments: e.attachments.map((fid) => byId.get(fid)).filter((f) => f !== undefined),
    })),
    allowedActions: actionsFor(c, user, now),
  };
}

export type CaseDetailView = Awaited<ReturnType<typeof caseDetail>>;

/** Checks what a transition's payload must carry before the engine runs it. */
async function checkPayload(ctx: AppContext, caller: Caller, c: CaseRecord, input: TransitionInput) {
  const p = input.payload ?? {};
  if (input.action === 'dispatch' || input.action === 'reassign') {
    if (typeof p.unitId !== 'string') throw invalidField('payload.unitId', 'field.required');
    const unit = await findUnitRow(ctx.database.db, p.unitId);
    if (!unit || !inScope(unit, caller.scope)) throw invalidField('payload.unitId', 'field.unknownUnit');
    if (input.action === 'reassign' && p.unitId === c.unit_id && c.state !== 'pending') {
      throw invalidField('payload.unitId', 'case.sameUnit');
    }
  }
  if (input.action === 'request_extension') {
    if (typeof p.dueAt !== 'string') throw invalidField('payload.dueAt', 'field.required');
    const due = Date.parse(p.dueAt);
    if (!Number.isFinite(due)) throw invalidField('payload.dueAt', 'field.format', { format: 'date-time' });
    if (due > ctx.clock.now().getTime() + MAX_EXTENSION_MS) {
      throw invalidField('payload.dueAt', 'CASE_EXTENSION_TOO_FAR');
    }
  }
  if (input.action === 'rate') {
    const score = p.score;
    if (typeof score !== 'number' || !Number.isInteger(score))
      throw invalidField('payload.score', 'field.required');
  }
  if (input.action === 'merge' && typeof p.originalId !== 'string') {
    throw invalidField('payload.originalId', 'field.required');
  }
}

export async function actOnCase(ctx: AppContext, caller: Caller, id: string, input: TransitionInput) {
  const c = await visibleCase(ctx, caller, id);
  // The engine answers actions the caller may not take now (403 / 409); their payload is not looked at.
  if (allowedActions(caseMachine, caller.user, c).includes(input.action))
    await checkPayload(ctx, caller, c, input);
  await transition(ctx, caseMachine, id, input, caller);
  kickDelivery(ctx);
  return getCaseDetail(ctx, caller, id);
}

/** The office's verdict on a report; a valid report of a citizen records the points event once. */
export async function setValidity(
  ctx: AppContext,
  caller: Caller,
  id: string,
  input: { valid: boolean; note?: string | null },
) {
  const c = await visibleCase(ctx, caller, id);
  await writeTx(ctx, actorOfCaller(caller), async (tx) => {
    const now = ctx.clock.now().toISOString();
    await tx.db
      .updateTable('cases')
      .set({ valid: input.valid, updated_at: now })
      .where('id', '=', id)
      .execute();
    let event = false;
    if (input.valid && c.reporter_id) {
      const res = await tx.db
        .insertInto('domain_events')
        .values({
          id: uuidv7(),
          type: 'case.valid',
          subject_type: 'case',
          subject_id: id,
          user_id: c.reporter_id,
          payload: JSON.stringify({ no: c.no, categoryCode: c.category_code }),
          created_at: now,
          consumed_at: null,
        })
        .onConflict((oc) => oc.columns(['type', 'subject_type', 'subject_id']).doNothing())
        .executeTakeFirst();
      event = Number(res.numInsertedOrUpdatedRows ?? 0) > 0;
    }
    await tx.audit({
      action: 'case.validity',
      entity: 'case',
      entityId: id,
      before: { valid: c.valid === null ? null : bool(c.valid) },
      after: { valid: input.valid, note: input.note?.trim() || null, event },
    });
  });
  return getCaseDetail(ctx, caller, id);
}

// ---- follows -----------------------------------------------------------------------------------------

/** A case the public sees: its category public, not hidden by a moderator, not merged or rejected. */
function publiclyShown(c: CaseRecord): boolean {
  return bool(c.public) && !bool(c.hidden) && c.state !== 'merged' && c.state !== 'rejected';
}

export async function follow(ctx: AppContext, caller: Caller, id: string, on: boolean) {
  const c = await loadCase(ctx.database.db, id);
  if (!c || (!publiclyShown(c) && !caseVisible(c, caller.scope, caller.user))) throw notFound();
  if (on && !publiclyShown(c)) throw new AppError(409, 'CASE_NOT_PUBLIC');
  await writeTx(ctx, actorOfCaller(caller), async (tx) => {
    const db = tx.db as unknown as Kysely<DB>;
    if (on) {
      await tx.db
        .insertInto('case_follows')
        .values({ case_id: id, user_id: caller.user.id, created_at: ctx.clock.now().toISOString() })
        .onConflict((oc) => oc.columns(['case_id', 'user_id']).doNothing())
        .execute();
    } else {
      await tx.db
        .deleteFrom('case_follows')
        .where('case_id', '=', id)
        .where('user_id', '=', caller.user.id)
        .execute();
    }
    await refreshFollowerCount(db, id);
    await tx.audit({ action: on ? 'case.follow' : 'case.unfollow', entity: 'case', entityId: id });
  });
  const row = await ctx.database.db
    .selectFrom('cases')
    .select('follower_count')
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
  return { followed: on, followerCount: Number(row.follower_count) };
}

// ---- the public view ----------------------------------------------------------------------------------

const publicPhoto = (id: string) => ({
  id,
  url: `/api/public/files/${id}`,
  thumbUrl: `/api/public/files/${id}`,
});

/**
 * A public case without personal data: no reporter, phone or contact name, no notes of the timeline
 * (they may name people), unit names only; the photos as EXIF-stripped copies, hidden ones left out.
 * A merged case answers with `mergedInto` so the page sends the public to the original.
 */
export async function publicCase(ctx: AppContext, user: AuthUser | null, id: string) {
  const db = ctx.database.db;
  const c = await loadCase(db, id);
  if (!c || !bool(c.public) || bool(c.hidden) || c.state === 'rejected') throw notFound();
  const [entries, files, hidden, category, original, followed] = await Promise.all([
    timeline(db, 'case', c.id),
    filesOf(db, 'case', c.id),
    hiddenFileIds(db, c.id),
    findCategory(db, c.category_id),
    c.duplicate_of
      ? db.selectFrom('cases').select(['id', 'no']).where('id', '=', c.duplicate_of).executeTakeFirst()
      : undefined,
    user
      ? db
          .selectFrom('case_follows')
          .select('user_id')
          .where('case_id', '=', c.id)
          .where('user_id', '=', user.id)
          .executeTakeFirst()
      : undefined,
  ]);
  const shown = new Set(files.filter((f) => f.kind === 'image' && !hidden.has(f.id)).map((f) => f.id));
  const created = entries.find((e) => e.action === 'create');
  const photos = (created?.attachments ?? []).filter((f) => shown.has(f));
  const units = await unitNames(db, [
    ...new Set(entries.map((e) => e.actorUnitId).filter((u): u is string => u !== null)),
  ]);
  // Only staff act for a unit: a resident's "unit" is where they live, which the public must not learn.
  const actorIds = [...new Set(entries.map((e) => e.actorId).filter((a): a is string => a !== null))];
  const staff = new Set(
    actorIds.length
      ? (
          await db
            .selectFrom('users')
            .select('id')
            .where('id', 'in', actorIds)
            .where('kind', '=', 'staff')
            .execute()
        ).map((u) => u.id)
      : [],
  );
  const steps = entries.filter((e) => e.from !== e.to || e.action === 'create' || e.action === 'answer');
  return {
    id: c.id,
    no: c.no,
    kind: c.kind,
    level: c.level,
    state: c.state as CaseState,
    stateName: CASE_STATE_LABELS[c.state as CaseState],
    categoryId: c.category_id,
    categoryName: c.category_name,
    categoryNameEn: category?.nameEn ?? c.category_name,
    title: c.title,
    description: c.description,
    address: c.address,
    areaName: c.area_name,
    unitName: c.unit_name,
    answer: c.answer,
    rating: c.rating === null ? null : Number(c.rating),
    followerCount: c.follower_count,
    followed: !!followed,
    public: true,
    createdAt: c.created_at,
    closedAt: c.closed_at,
    mergedInto: c.state === 'merged' && original ? { id: original.id, no: original.no } : null,
    photos: photos.map(publicPhoto),
    timeline: steps.map((e) => ({
      seq: e.seq,
      at: e.at,
      action: e.action,
      from: e.from,
      to: e.to,
      note: null,
      actorName: null,
      actorUnitName:
        e.actorUnitId && e.actorId && staff.has(e.actorId) ? (units.get(e.actorUnitId) ?? null) : null,
      attachments: e.attachments.filter((f) => shown.has(f)).map(publicPhoto),
    })),
  };
}

// ---- routing rules ----------------------------------------------------------------------------------

export interface RuleInput {
  categoryId: string | null;
  areaUnitId: string | null;
  unitId: string;
  note?: string;
}

export async function listRules(db: Kysely<DB>) {
  const rows = await db
    .selectFrom('case_routing_rules as r')
    .leftJoin('case_categories as k', 'k.id', 'r.category_id')
    .leftJoin('org_units as a', 'a.id', 'r.area_unit_id')
    .innerJoin('org_units as u', 'u.id', 'r.unit_id')
    .select([
      'r.id',
      'r.category_id',
      'k.name_zh as category_name',
      'r.area_unit_id',
      'a.name as area_name',
      'r.unit_id',
      'u.name as unit_name',
      'r.note',
      'r.created_at',
      'r.updated_at',
    ])
    .orderBy('k.sort')
    .orderBy('a.path')
    .orderBy('r.created_at')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    categoryId: r.category_id,
    categoryName: r.category_name,
    areaUnitId: r.area_unit_id,
    areaName: r.area_name,
    unitId: r.unit_id,
    unitName: r.unit_name,
    note: r.note,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  }));
}

async function checkRule(db: Kysely<DB>, input: RuleInput, exceptId?: string) {
  if (input.categoryId && !(await findCategory(db, input.categoryId))) {
    throw invalidField('categoryId', 'case.unknownCategory');
  }
  if (input.areaUnitId && !(await loadArea(db, input.areaUnitId)))
    throw invalidField('areaUnitId', 'case.unknownArea');
  if (!(await findUnitRow(db, input.unitId))) throw invalidField('unitId', 'field.unknownUnit');
  // NULLs are distinct in the unique index: "any category × any area" twice is caught here.
  let q = db
    .selectFrom('case_routing_rules')
    .select('id')
    .where((eb) =>
      input.categoryId === null ? eb('category_id', 'is', null) : eb('category_id', '=', input.categoryId),
    )
    .where((eb) =>
      input.areaUnitId === null ? eb('area_unit_id', 'is', null) : eb('area_unit_id', '=', input.areaUnitId),
    );
  if (exceptId) q = q.where('id', '!=', exceptId);
  if (await q.executeTakeFirst()) throw invalidField('categoryId', 'case.ruleExists');
}

async function ruleView(db: Kysely<DB>, id: string) {
  const rule = (await listRules(db)).find((r) => r.id === id);
  if (!rule) throw notFound();
  return rule;
}

export async function createRule(ctx: AppContext, actor: Actor, input: RuleInput) {
  const db = ctx.database.db;
  await checkRule(db, input);
  const now = ctx.clock.now().toISOString();
  const row = {
    id: uuidv7(),
    category_id: input.categoryId,
    area_unit_id: input.areaUnitId,
    unit_id: input.unitId,
    note: input.note?.trim() ?? '',
    created_by: actor.id,
    created_at: now,
    updated_at: now,
  };
  await writeTx(ctx, actor, async (tx) => {
    await tx.db.insertInto('case_routing_rules').values(row).execute();
    await tx.audit({ action: 'case_rule.create', entity: 'case_rule', entityId: row.id, after: row });
  });
  return ruleView(db, row.id);
}

export async function updateRule(ctx: AppContext, actor: Actor, id: string, patch: Partial<RuleInput>) {
  const db = ctx.database.db;
  const before = await db
    .selectFrom('case_routing_rules')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirst();
  if (!before) throw notFound();
  const next: RuleInput = {
    categoryId: patch.categoryId === undefined ? before.category_id : patch.categoryId,
    areaUnitId: patch.areaUnitId === undefined ? before.area_unit_id : patch.areaUnitId,
    unitId: patch.unitId ?? before.unit_id,
    note: patch.note ?? before.note,
  };
  await checkRule(db, next, id);
  const values = {
    category_id: next.categoryId,
    area_unit_id: next.areaUnitId,
    unit_id: next.unitId,
    note: next.note?.trim() ?? '',
    updated_at: ctx.clock.now().toISOString(),
  };
  await writeTx(ctx, actor, async (tx) => {
    await tx.db.updateTable('case_routing_rules').set(values).where('id', '=', id).execute();
    await tx.audit({ action: 'case_rule.update', entity: 'case_rule', entityId: id, before, after: values });
  });
  return ruleView(db, id);
}

export async function deleteRule(ctx: AppContext, actor: Actor, id: string) {
  const before = await ctx.database.db
    .selectFrom('case_routing_rules')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirst();
  if (!before) throw notFound();
  await writeTx(ctx, actor, async (tx) => {
    await tx.db.deleteFrom('case_routing_rules').where('id', '=', id).execute();
    await tx.audit({ action: 'case_rule.delete', entity: 'case_rule', entityId: id, before });
  });
}

/** Which unit a case of this category and area would go to, and why (the console's "try" box). */
export async function resolveRoute(
  ctx: AppContext,
  q: {
    categoryId: string;
    areaUnitId?: string;
    kind?: 'snapshot' | 'talk';
    level?: 'village' | 'township' | 'county';
  },
) {
  const db = ctx.database.db;
  if (!(await findCategory(db, q.categoryId))) throw invalidField('categoryId', 'case.unknownCategory');
  const area = q.areaUnitId ? await loadArea(db, q.areaUnitId) : null;
  if (q.areaUnitId && !area) throw invalidField('areaUnitId', 'case.unknownArea');
  const decision = routeCase(await loadRouteRules(db), {
    categoryId: q.categoryId,
    kind: q.kind ?? 'snapshot',
    level: q.level ?? 'county',
    area: area ?? null,
  });
  const unit = decision.unitId ? await findUnitRow(db, decision.unitId) : undefined;
  return {
    unitId: decision.unitId,
    unitName: unit?.name ?? null,
    ruleId: decision.reason === 'rule' ? decision.ruleId : null,
    reason: decision.reason,
  };
}

/** Townships with their villages, in the organisation's order (the H5 location picker). */
export async function caseAreas(db: Kysely<DB>) {
  const rows = await db
    .selectFrom('org_units')
    .select(['id', 'name', 'type', 'parent_id'])
    .where('type', 'in', ['township', 'village'])
    .orderBy('sort')
    .orderBy('name')
    .execute();
  const towns = rows
    .filter((r) => r.type === 'township')
    .map((t) => ({ id: t.id, name: t.name, villages: [] as { id: string; name: string }[] }));
  const byId = new Map(towns.map((t) => [t.id, t]));
  for (const v of rows) {
    if (v.type === 'village' && v.parent_id) byId.get(v.parent_id)?.villages.push({ id: v.id, name: v.name });
  }
  return towns;
}

/** The full contact phone of a case, for the office with pii:read (audited, like users' phones). */
export async function revealContact(ctx: AppContext, caller: Caller, id: string) {
  const c = await visibleCase(ctx, caller, id);
  const phone = c.contact_phone_enc ? ctx.pii.decrypt(c.contact_phone_enc) : null;
  await writeTx(ctx, actorOfCaller(caller), (tx) =>
    tx.audit({ action: 'case.contact.reveal', entity: 'case', entityId: id }),
  );
  return { contactName: c.contact_name, contactPhone: phone };
}

// ---- who may read a case's files ---------------------------------------------------------------------

/** Staff in scope and the reporter read a case's photos; the public ones are public (hidden ones not). */
registerRecordAccess('case', {
  async canRead(ctx, user, recordId) {
    const c = await loadCase(ctx.database.db, recordId);
    return !!c && caseVisible(c, caseCaller(user, null).scope, user);
  },
  async isPublic(ctx, recordId, fileId) {
    const c = await ctx.database.db
      .selectFrom('cases')
      .select(['public', 'hidden', 'state'])
      .where('id', '=', recordId)
      .executeTakeFirst();
    if (!c || !bool(c.public) || bool(c.hidden) || c.state === 'rejected') return false;
    // A photo a moderator hid (or one that could not be analysed) stays off the public link too.
    return !(await hiddenFileIds(ctx.database.db, recordId)).has(fileId);
  },
});

/** A list row as the public sees it (the office's bookkeeping left out). */
export function publicListItem(r: CaseListRow) {
  const { hidden: _hidden, returnedByUnitId: _rid, returnedByUnitName: _rname, version: _v, ...rest } = r;
  return rest;
}
