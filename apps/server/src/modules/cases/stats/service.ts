/**
 * Case statistics (issue #5): per unit and per category for a period, the circular (通报) of slow and
 * unsatisfying units as a .docx, the public board, and the case columns of the battle map's rankings.
 *
 * The cases counted are those created in the period (local dates, Asia/Shanghai, both ends included).
 * Per unit: 首接 (received: first dispatched to it) and how many of those another unit now holds
 * (transferred); the cases it holds now (held), answered, closed (resolution rate = closed / held), reopened
 * (Σ redo rounds); its answer/redo deadlines met on time, met late, open past due (on-time rate = on time /
 * all three); the ratings attributed to it (mean score, % of 3 or more). Times are calendar hours: dispatch
 * → answer for the answer time, intake → closure for the time to resolve.
 */
import type { Kysely } from 'kysely';
import type {
  BoardCase,
  BoardFigures,
  BoardPhoto,
  CaseBoard,
  CaseCircular,
  CategoryStat,
  UnitStat,
} from '../../../../../../packages/contracts/src/index.ts';
import { uuidv7 } from '../../../db/ids.ts';
import type { DB } from '../../../db/schema.ts';
import type { Actor } from '../../../platform/audit/audit.ts';
import { parseLocalDate, type WorkCalendar } from '../../../platform/calendar/calendar.ts';
import { getCalendar } from '../../../platform/calendar/service.ts';
import type { AppContext } from '../../../platform/context.ts';
import { buildDocx, DOCX_MIME } from '../../../platform/docx/docx.ts';
import { blobStore, registerRecordAccess } from '../../../platform/files/service.ts';
import { invalidField, notFound } from '../../../platform/http/errors.ts';
import type { Lang } from '../../../platform/http/messages.ts';
import type { Scope } from '../../../platform/rbac/types.ts';
import { writeTx } from '../../../platform/tx.ts';
import {
  type CircularThresholds,
  circularDocument,
  DEFAULT_THRESHOLDS,
  type LateDeadline,
  selectUnits,
} from './circular.ts';
import { addCounts, type CaseCounts, type CaseFigures, emptyCounts, figuresOf } from './figures.ts';
import * as repo from './repo.ts';

export interface StatsCaller {
  actor: Actor;
  scope: Scope;
  lang: Lang;
}

export interface StatsQuery {
  from?: string;
  to?: string;
  categoryId?: string;
  kind?: string;
}

export interface Period {
  from: string;
  to: string;
}

const DAY_MS = 86_400_000;
const n = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));
const startOfLocal = (date: string) => new Date(`${date}T00:00:00+08:00`).toISOString();
const nextLocal = (date: string) => new Date(Date.parse(`${date}T00:00:00+08:00`) + DAY_MS).toISOString();

/** The period asked for (default: 1 January of this year to today), checked. */
function periodOf(cal: WorkCalendar, now: Date, q: { from?: string; to?: string }): Period {
  const today = cal.localDate(now);
  const from = q.from ?? `${today.slice(0, 4)}-01-01`;
  const to = q.to ?? today;
  if (!parseLocalDate(from)) throw invalidField('from', 'field.format', { format: 'date' });
  if (!parseLocalDate(to)) throw invalidField('to', 'field.format', { format: 'date' });
  if (to < from) throw invalidField('to', 'caseStats.periodOrder');
  return { from, to };
}

function cohortOf(p: Period, q: StatsQuery): repo.CaseCohort {
  return { from: startOfLocal(p.from), to: nextLocal(p.to), categoryId: q.categoryId, kind: q.kind };
}

async function checkCategory(db: Kysely<DB>, id: string | undefined, publicOnly = false): Promise<void> {
  if (!id) return;
  const c = await repo.categoryById(db, id);
  if (!c || (publicOnly && !c.public)) throw invalidField('categoryId', 'field.invalid');
}

type Keyed = Map<string, CaseCounts>;

function counts(map: Keyed, key: string): CaseCounts {
  let c = map.get(key);
  if (!c) {
    c = emptyCounts();
    map.set(key, c);
  }
  return c;
}

/** Every grouped figure of a cohort, by unit or category ('' = no unit / the office). */
async function gather(
  ctx: AppContext,
  scope: Scope,
  cohort: repo.CaseCohort,
  by: repo.GroupBy,
): Promise<Keyed> {
  const { db, engine } = ctx.database;
  const now = ctx.clock.now().toISOString();
  const [held, received, deadlines, ratings] = await Promise.all([
    repo.heldFigures(db, engine, scope, cohort, by),
    by === 'unit' ? repo.receivedFigures(db, engine, scope, cohort) : Promise.resolve([]),
    repo.deadlineFigures(db, engine, scope, cohort, by, now),
    repo.ratingFigures(db, engine, scope, cohort, by),
  ]);
  const map: Keyed = new Map();
  for (const r of held) {
    const c = counts(map, r.key ?? '');
    c.held += n(r.held);
    c.answered += n(r.answered);
    c.closed += n(r.closed);
    c.reopened += n(r.reopened);
    c.answerHours += n(r.answer_hours);
    c.answerN += n(r.answer_n);
    c.resolveHours += n(r.resolve_hours);
    c.resolveN += n(r.resolve_n);
    if (by === 'category') c.received += n(r.held);
  }
  for (const r of received) {
    const c = counts(map, r.key);
    c.received += n(r.received);
    c.transferred += n(r.transferred);
  }
  for (const r of deadlines) {
    const c = counts(map, r.key ?? '');
    c.onTime += n(r.on_time);
    c.late += n(r.late);
    c.overdue += n(r.overdue);
  }
  for (const r of ratings) {
    const c = counts(map, r.key ?? '');
    c.ratings += n(r.ratings);
    c.scoreSum += n(r.score_sum);
    c.satisfied += n(r.satisfied);
  }
  return map;
}

// ---- per unit, per category ----------------------------------------------------------------------------

export interface UnitStats {
  period: Period;
  units: UnitStat[];
  totals: CaseFigures;
}

const collator = new Intl.Collator('zh-CN');

async function unitRows(ctx: AppContext, scope: Scope, cohort: repo.CaseCohort) {
  const map = await gather(ctx, scope, cohort, 'unit');
  map.delete('');
  const units = await repo.unitsByIds(ctx.database.db, [...map.keys()]);
  const totals = emptyCounts();
  const rows = units.map((u) => {
    const c = map.get(u.id) as CaseCounts;
    addCounts(totals, c);
    return {
      unitId: u.id,
      unitName: u.name,
      unitType: u.type,
      sort: n(u.sort),
      ...figuresOf(c),
    };
  });
  // Most cases first; then the org's order and the name.
  rows.sort(
    (a, b) =>
      b.received + b.held - (a.received + a.held) ||
      a.sort - b.sort ||
      collator.compare(a.unitName, b.unitName),
  );
  return { units: rows.map(({ sort: _sort, ...r }) => r), totals: figuresOf(totals) };
}

/** The units that held cases created in the period, within the caller's data scope, most cases first. */
export async function unitStats(ctx: AppContext, scope: Scope, q: StatsQuery): Promise<UnitStats> {
  const period = periodOf(await getCalendar(ctx), ctx.clock.now(), q);
  await checkCategory(ctx.database.db, q.categoryId);
  return { period, ...(await unitRows(ctx, scope, cohortOf(period, q))) };
}

export interface CategoryStats {
  period: Period;
  categories: CategoryStat[];
  totals: CaseFigures;
}

async function categoryRows(ctx: AppContext, scope: Scope, cohort: repo.CaseCohort, lang: Lang) {
  const map = await gather(ctx, scope, cohort, 'category');
  const totals = emptyCounts();
  const categories: CategoryStat[] = [];
  for (const cat of await repo.categories(ctx.database.db)) {
    const c = map.get(cat.id);
    if (!c) continue;
    addCounts(totals, c);
    categories.push({
      categoryId: cat.id,
      code: cat.code,
      name: lang === 'en-US' ? cat.name_en : cat.name_zh,
      ...figuresOf(c),
    });
  }
  categories.sort((a, b) => b.received - a.received);
  return { categories, totals: figuresOf(totals) };
}

/** The same figures per category (the cases of units in the caller's scope; scope "all" adds the office's queue). */
export async function categoryStats(
  ctx: AppContext,
  scope: Scope,
  q: StatsQuery,
  lang: Lang,
): Promise<CategoryStats> {
  const period = periodOf(await getCalendar(ctx), ctx.clock.now(), q);
  await checkCategory(ctx.database.db, q.categoryId);
  return { period, ...(await categoryRows(ctx, scope, cohortOf(period, q), lang)) };
}

// ---- the battle map's case columns ----------------------------------------------------------------------

export interface UnitCaseColumns {
  casesReceived: number;
  caseOnTimeRate: number | null;
  caseSatisfaction: number | null;
}

/** Cases received, on-time rate and mean rating of these units for cases created between two local dates. */
export async function unitCaseColumns(
  ctx: AppContext,
  unitIds: string[],
  from: string,
  to: string,
): Promise<Map<string, UnitCaseColumns>> {
  const out = new Map<string, UnitCaseColumns>();
  if (unitIds.length === 0) return out;
  const map = await gather(ctx, { kind: 'all' }, { from: startOfLocal(from), to: nextLocal(to) }, 'unit');
  for (const id of unitIds) {
    const f = figuresOf(map.get(id) ?? emptyCounts());
    out.set(id, { casesReceived: f.received, caseOnTimeRate: f.onTimeRate, caseSatisfaction: f.avgScore });
  }
  return out;
}

// ---- the circular (通报) --------------------------------------------------------------------------------

export interface CircularInput {
  from: string;
  to: string;
  title?: string;
  thresholds?: Partial<CircularThresholds>;
}

const seqName = (year: number) => `case:SQTB:${year}`;
const circularNo = (year: number, seq: number) => `SQTB-${year}-${String(seq).padStart(4, '0')}`;

class NumberTaken extends Error {}

async function officeName(db: Kysely<DB>): Promise<string> {
  const office = await db
    .selectFrom('org_units')
    .select('name')
    .where('type', '=', 'office')
    .orderBy('sort')
    .orderBy('name')
    .limit(1)
    .executeTakeFirst();
  return office?.name ?? '';
}

/**
 * Generates the circular of the period as .docx (SQTB-YYYY-NNNN, its own yearly series in `sequences`:
 * the TB series of platform/workflow/numbers.ts counts campaign supervision records only), stores it in
 * the evidence store, links it as record 'case_circular' and audits it. The document carries its number,
 * so it is built before the transaction with the number expected then, and built again if another
 * circular took that number meanwhile.
 */
export async function createCaseCircular(
  ctx: AppContext,
  caller: StatsCaller,
  input: CircularInput,
): Promise<CaseCircular> {
  const db = ctx.database.db;
  const cal = await getCalendar(ctx);
  const now = ctx.clock.now();
  const period = periodOf(cal, now, input);
  const th: CircularThresholds = { ...DEFAULT_THRESHOLDS, ...input.thresholds };
  const cohort = cohortOf(period, {});
  const { units } = await unitRows(ctx, caller.scope, cohort);
  const late = await repo.lateDeadlines(db, ctx.database.engine, caller.scope, cohort, now.toISOString());
  const spans = new Map<string, number>();
  const lateList: LateDeadline[] = late.map((d) => {
    const end = d.status === 'open' || !d.met_at ? now : new Date(d.met_at);
    const due = new Date(d.due_at);
    const key = `${cal.localDate(due)}|${cal.localDate(end)}`;
    let days = spans.get(key);
    if (days === undefined) {
      days = cal.workingDaysBetween(due, end);
      spans.set(key, days);
    }
    return { unitId: d.unit_id as string, caseNo: d.no, workingDaysLate: days, open: d.status === 'open' };
  });
  const content = selectUnits(
    units.map((u) => ({ unitId: u.unitId, unitName: u.unitName, figures: u })),
    lateList,
    th,
  );
  const title = input.title?.trim() || '关于群众诉求办理情况的通报';
  const office = await officeName(db);
  const today = cal.localDate(now);
  const year = Number(today.slice(0, 4));
  const store = blobStore(ctx);

  for (let attempt = 0; ; attempt++) {
    const expected = (await repo.lastCircularSeq(db, seqName(year))) + 1;
    const number = circularNo(year, expected);
    const bytes = await buildDocx(
      circularDocument(
        { title, number, from: period.from, to: period.to, office, issuedOn: today },
        content,
        th,
      ),
    );
    const sha = await store.put(bytes);
    try {
      return await writeTx(ctx, caller.actor, async (tx) => {
        if ((await repo.bumpCircularSeq(tx.db, seqName(year))) !== expected) throw new NumberTaken();
        const at = tx.clock.now().toISOString();
        const id = uuidv7();
        const fileId = uuidv7();
        const name = `${number} ${title}.docx`.replace(/[\\/:*?"<>|]/g, '_');
        await tx.db
          .insertInto('files')
          .values({
            id: fileId,
            sha256: sha,
            size: bytes.length,
            mime: DOCX_MIME,
            kind: 'office',
            original_name: name,
            analysis: 'done',
            uploaded_by: caller.actor.id,
            uploaded_at: at,
            width: null,
            height: null,
            taken_at: null,
            gps_lat: null,
            gps_lng: null,
            dhash: null,
            thumb_sha256: null,
            public_sha256: null,
          })
          .execute();
        await tx.db
          .insertInto('file_links')
          .values({
            file_id: fileId,
            record_type: repo.CIRCULAR_RECORD,
            record_id: id,
            linked_by: caller.actor.id,
            linked_at: at,
          })
          .execute();
        await tx.audit({
          action: 'case.circular',
          entity: repo.CIRCULAR_RECORD,
          entityId: id,
          after: {
            number,
            title,
            period,
            thresholds: th,
            file: { id: fileId, sha256: sha, size: bytes.length },
            named: {
              serious: content.serious.map((u) => ({ unitId: u.unitId, count: u.count })),
              slow: content.slow.map((u) => u.unitId),
              unsatisfying: content.unsatisfying.map((u) => u.unitId),
            },
          },
        });
        return {
          id,
          number,
          fileId,
          name,
          size: bytes.length,
          createdAt: at,
          createdBy: caller.actor.name,
        };
      });
    } catch (e) {
      if (!(e instanceof NumberTaken) || attempt >= 4) throw e;
    }
  }
}

/** The circulars issued so far, newest first. */
export async function listCaseCirculars(ctx: AppContext): Promise<CaseCircular[]> {
  const rows = await repo.circularFiles(ctx.database.db, 100);
  return rows.map((r) => ({
    id: r.id,
    number: r.original_name.split(' ')[0],
    fileId: r.file_id,
    name: r.original_name,
    size: n(r.size),
    createdAt: r.uploaded_at,
    createdBy: r.created_by,
  }));
}

export async function caseCircularFile(ctx: AppContext, id: string) {
  const file = await repo.circularFile(ctx.database.db, id);
  if (!file) throw notFound();
  return file;
}

registerRecordAccess(repo.CIRCULAR_RECORD, {
  async canRead(_ctx, user) {
    return user.permissions.has('case:dispatch');
  },
});

// ---- the public board ------------------------------------------------------------------------------------

export interface BoardQuery {
  categoryId?: string;
  unitId?: string;
}

/** The board's window: the last 365 days up to today. */
const BOARD_DAYS = 365;
const RECENT = 10;
/** The board is public and may be hammered: answers are kept this long per query (and language). */
export const BOARD_CACHE_MS = 30_000;
const BOARD_CACHE_MAX = 500;

const boardCaches = new WeakMap<AppContext, Map<string, { at: number; value: CaseBoard }>>();

function boardFigures(f: CaseFigures): BoardFigures {
  return {
    received: f.held,
    resolved: f.closed,
    resolutionRate: f.resolutionRate,
    avgResolveHours: f.avgResolveHours,
    ratings: f.ratings,
    avgScore: f.avgScore,
    satisfiedRate: f.satisfiedRate,
  };
}

/**
 * 公开看板: the public cases (public category, not hidden, not merged or rejected) of the last 365 days —
 * totals, by the unit holding them, by category — and the latest resolved ones with their photos (the
 * report's as "before", the answer's as "after", hidden photos left out) served as EXIF-stripped copies by
 * /api/public/files/:id. No reporter, contact or note of anyone. Kept BOARD_CACHE_MS per query.
 */
export async function caseBoard(ctx: AppContext, q: BoardQuery, lang: Lang): Promise<CaseBoard> {
  const key = `${lang}|${q.categoryId ?? ''}|${q.unitId ?? ''}`;
  let cache = boardCaches.get(ctx);
  if (!cache) {
    cache = new Map();
    boardCaches.set(ctx, cache);
  }
  const nowMs = ctx.clock.now().getTime();
  const hit = cache.get(key);
  if (hit && nowMs - hit.at < BOARD_CACHE_MS && nowMs >= hit.at) return hit.value;
  const value = await buildBoard(ctx, q, lang);
  if (cache.size >= BOARD_CACHE_MAX) cache.clear();
  cache.set(key, { at: nowMs, value });
  return value;
}

async function buildBoard(ctx: AppContext, q: BoardQuery, lang: Lang): Promise<CaseBoard> {
  const db = ctx.database.db;
  await checkCategory(db, q.categoryId, true);
  if (q.unitId && !(await repo.unitById(db, q.unitId))) throw invalidField('unitId', 'field.invalid');
  const cal = await getCalendar(ctx);
  const now = ctx.clock.now();
  const to = cal.localDate(now);
  const from = cal.localDate(new Date(now.getTime() - (BOARD_DAYS - 1) * DAY_MS));
  const cohort: repo.CaseCohort = {
    from: startOfLocal(from),
    to: nextLocal(to),
    categoryId: q.categoryId,
    unitId: q.unitId,
    publicOnly: true,
  };
  const all: Scope = { kind: 'all' };
  const [byUnit, byCategory, recent] = await Promise.all([
    unitRows(ctx, all, cohort),
    categoryRows(ctx, all, cohort, lang),
    repo.recentResolved(db, ctx.database.engine, cohort, RECENT),
  ]);
  return {
    period: { from, to },
    totals: boardFigures(byCategory.totals),
    units: byUnit.units
      .filter((u) => u.held > 0)
      .sort((a, b) => b.held - a.held || collator.compare(a.unitName, b.unitName))
      .map((u) => ({ unitId: u.unitId, unitName: u.unitName, ...boardFigures(u) })),
    categories: byCategory.categories.map((c) => ({
      categoryId: c.categoryId,
      name: c.name,
      ...boardFigures(c),
    })),
    recent: await withPhotos(db, recent, lang),
    generatedAt: now.toISOString(),
  };
}

type RecentRow = Awaited<ReturnType<typeof repo.recentResolved>>[number];

async function withPhotos(db: Kysely<DB>, rows: RecentRow[], lang: Lang): Promise<BoardCase[]> {
  const ids = rows.map((r) => r.id);
  const [images, history] = await Promise.all([repo.visibleImages(db, ids), repo.attachmentRows(db, ids)]);
  // Files that came with an answer are "after"; with any other later action, neither; the rest "before".
  const after = new Set<string>();
  const later = new Set<string>();
  for (const h of history) {
    const files = JSON.parse(h.attachments) as string[];
    for (const f of files) {
      if (h.action === 'answer') after.add(`${h.record_id}|${f}`);
      else if (h.action !== 'create') later.add(`${h.record_id}|${f}`);
    }
  }
  const photos = new Map<string, { before: BoardPhoto[]; after: BoardPhoto[] }>(
    ids.map((id) => [id, { before: [], after: [] }]),
  );
  for (const img of images) {
    const k = `${img.case_id}|${img.id}`;
    const photo = {
      id: img.id,
      url: `/api/public/files/${img.id}`,
      width: img.width === null ? null : n(img.width),
      height: img.height === null ? null : n(img.height),
    };
    const p = photos.get(img.case_id);
    if (!p) continue;
    if (after.has(k)) p.after.push(photo);
    else if (!later.has(k)) p.before.push(photo);
  }
  return rows.map((r) => ({
    id: r.id,
    no: r.no,
    title: r.title,
    category: lang === 'en-US' ? r.name_en : r.name_zh,
    unitName: r.unit_name,
    areaName: r.area_name,
    address: r.address,
    answer: r.answer,
    rating: r.rating === null ? null : n(r.rating),
    createdAt: r.created_at,
    closedAt: r.closed_at as string,
    ...(photos.get(r.id) as { before: BoardPhoto[]; after: BoardPhoto[] }),
  }));
}
