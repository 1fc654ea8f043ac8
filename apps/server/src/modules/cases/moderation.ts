import { isIP } from 'node:net';
import { type Kysely, sql } from 'kysely';
import type { CaseBan } from '../../../../../packages/contracts/src/index.ts';
import { uuidv7 } from '../../db/ids.ts';
import type { Database } from '../../db/index.ts';
import { bool, int } from '../../db/normalize.ts';
import type { DB } from '../../db/schema.ts';
import type { Actor } from '../../platform/audit/audit.ts';
import { perDatabase } from '../../platform/cache/cache.ts';
import type { AppContext } from '../../platform/context.ts';
import { AppError, invalidField, notFound } from '../../platform/http/errors.ts';
import { maskPhone, normalizePhone } from '../../platform/pii/mask.ts';
import { unitInScope } from '../../platform/rbac/scope-sql.ts';
import type { Scope } from '../../platform/rbac/types.ts';
import { writeTx } from '../../platform/tx.ts';

/** The record type case photos are linked under (the workflow machine's type). */
const CASE_RECORD = 'case';

// ---- hidden photos, as the public view needs them ------------------------------------------------------

/**
 * The photos of a case left out of every public view: those a moderator hid, and those whose image
 * analysis failed (a file that does not decode as the image it claims to be). Staff still see them.
 */
export async function hiddenFileIds(db: Kysely<DB>, caseId: string): Promise<Set<string>> {
  const rows = await db
    .selectFrom('case_hidden_files')
    .select('file_id')
    .where('case_id', '=', caseId)
    .union(
      db
        .selectFrom('file_links as l')
        .innerJoin('files as f', 'f.id', 'l.file_id')
        .select('l.file_id')
        .where('l.record_type', '=', CASE_RECORD)
        .where('l.record_id', '=', caseId)
        .where('f.analysis', '=', 'failed'),
    )
    .execute();
  return new Set(rows.map((r) => r.file_id));
}

/** Whether one photo of a case is left out of public views (see `hiddenFileIds`). */
export async function isHiddenCaseFile(db: Kysely<DB>, caseId: string, fileId: string): Promise<boolean> {
  return (await hiddenFileIds(db, caseId)).has(fileId);
}

// ---- hiding a case or a photo ----------------------------------------------------------------------

export interface CaseVisibility {
  id: string;
  hidden: boolean;
  hiddenReason: string | null;
}

export interface FileVisibility {
  caseId: string;
  fileId: string;
  hidden: boolean;
  reason: string | null;
}

/** The case if it lies in the caller's scope (its unit, first unit, returning unit or area); else 404. */
async function caseInScope(db: Kysely<DB>, scope: Scope, caseId: string) {
  const row = await db
    .selectFrom('cases as c')
    .leftJoin('org_units as u', 'u.id', 'c.unit_id')
    .leftJoin('org_units as f', 'f.id', 'c.first_unit_id')
    .leftJoin('org_units as r', 'r.id', 'c.returned_by_unit_id')
    .leftJoin('org_units as a', 'a.id', 'c.area_unit_id')
    .select(['c.id', 'c.no', 'c.hidden', 'c.hidden_reason'])
    .where('c.id', '=', caseId)
    .where(
      sql<boolean>`(${unitInScope(scope, 'u.path', 'u.id')} or ${unitInScope(scope, 'f.path', 'f.id')}
        or ${unitInScope(scope, 'r.path', 'r.id')} or ${unitInScope(scope, 'a.path', 'a.id')})`,
    )
    .executeTakeFirst();
  if (!row) throw notFound();
  return row;
}

/** Takes a case off every public view (list, board, detail); staff keep seeing it, marked hidden. */
export async function hideCase(
  ctx: AppContext,
  actor: Actor,
  scope: Scope,
  caseId: string,
  reason: string,
): Promise<CaseVisibility> {
  return writeTx(ctx, actor, async (tx) => {
    const c = await caseInScope(tx.db, scope, caseId);
    const before = { hidden: bool(c.hidden), reason: c.hidden_reason };
    await tx.db
      .updateTable('cases')
      .set({ hidden: true, hidden_reason: reason, updated_at: tx.clock.now().toISOString() })
      .where('id', '=', caseId)
      .execute();
    await tx.audit({
      action: 'case.hide',
      entity: 'case',
      entityId: caseId,
      before,
      after: { hidden: true, reason },
    });
    return { id: caseId, hidden: true, hiddenReason: reason };
  });
}

/** Shows a hidden case to the public again (a case that is not hidden is left as it is). */
export async function unhideCase(
  ctx: AppContext,
  actor: Actor,
  scope: Scope,
  caseId: string,
): Promise<CaseVisibility> {
  return writeTx(ctx, actor, async (tx) => {
    const c = await caseInScope(tx.db, scope, caseId);
    if (!bool(c.hidden)) return { id: caseId, hidden: false, hiddenReason: null };
    await tx.db
      .updateTable('cases')
      .set({ hidden: false, hidden_reason: null, updated_at: tx.clock.now().toISOString() })
      .where('id', '=', caseId)
      .execute();
    await tx.audit({
      action: 'case.unhide',
      entity: 'case',
      entityId: caseId,
      before: { hidden: true, reason: c.hidden_reason },
      after: { hidden: false, reason: null },
    });
    return { id: caseId, hidden: false, hiddenReason: null };
  });
}

async function assertAttached(db: Kysely<DB>, caseId: string, fileId: string): Promise<void> {
  const link = await db
    .selectFrom('file_links')
    .select('file_id')
    .where('file_id', '=', fileId)
    .where('record_type', '=', CASE_RECORD)
    .where('record_id', '=', caseId)
    .executeTakeFirst();
  if (!link) throw notFound();
}

/** Takes one photo of a case off the public view; the file is kept and staff see it marked. */
export async function hideCaseFile(
  ctx: AppContext,
  actor: Actor,
  scope: Scope,
  caseId: string,
  fileId: string,
  reason: string,
): Promise<FileVisibility> {
  return writeTx(ctx, actor, async (tx) => {
    await caseInScope(tx.db, scope, caseId);
    await assertAttached(tx.db, caseId, fileId);
    const prior = await tx.db
      .selectFrom('case_hidden_files')
      .select('reason')
      .where('case_id', '=', caseId)
      .where('file_id', '=', fileId)
      .executeTakeFirst();
    const now = tx.clock.now().toISOString();
    if (prior) {
      await tx.db
        .updateTable('case_hidden_files')
        .set({ reason, hidden_by: actor.id, created_at: now })
        .where('case_id', '=', caseId)
        .where('file_id', '=', fileId)
        .execute();
    } else {
      await tx.db
        .insertInto('case_hidden_files')
        .values({ case_id: caseId, file_id: fileId, reason, hidden_by: actor.id, created_at: now })
        .execute();
    }
    await tx.audit({
      action: 'case.file.hide',
      entity: 'case',
      entityId: caseId,
      before: { fileId, hidden: !!prior, reason: prior?.reason ?? null },
      after: { fileId, hidden: true, reason },
    });
    return { caseId, fileId, hidden: true, reason };
  });
}

/** Shows a photo a moderator hid again (a photo whose analysis failed stays off the public view). */
export async function unhideCaseFile(
  ctx: AppContext,
  actor: Actor,
  scope: Scope,
  caseId: string,
  fileId: string,
): Promise<FileVisibility> {
  return writeTx(ctx, actor, async (tx) => {
    await caseInScope(tx.db, scope, caseId);
    await assertAttached(tx.db, caseId, fileId);
    const prior = await tx.db
      .deleteFrom('case_hidden_files')
      .where('case_id', '=', caseId)
      .where('file_id', '=', fileId)
      .returning('reason')
      .executeTakeFirst();
    if (prior) {
      await tx.audit({
        action: 'case.file.unhide',
        entity: 'case',
        entityId: caseId,
        before: { fileId, hidden: true, reason: prior.reason },
        after: { fileId, hidden: false, reason: null },
      });
    }
    return { caseId, fileId, hidden: false, reason: null };
  });
}

// ---- the ban list ----------------------------------------------------------------------------------

/** How long this process trusts its copy of the ban list (another process's new ban counts after this). */
const BAN_CACHE_MS = 30_000;

/** Only the address itself: an IPv4 address reached over IPv6 ('::ffff:1.2.3.4') is '1.2.3.4'. */
export function normalizeIp(ip: string): string {
  const s = ip.trim().toLowerCase();
  return /^::ffff:\d+\.\d+\.\d+\.\d+$/.test(s) ? s.slice(7) : s;
}

/** The active bans, as intake checks them: the latest end of a ban per phone hash and per IP. */
export class ActiveBans {
  readonly #phones = new Map<string, number>();
  readonly #ips = new Map<string, number>();
  #latestPhoneEnd = Number.NEGATIVE_INFINITY;

  constructor(rows: { phone_hash: string | null; ip: string | null; until: string | null }[]) {
    for (const r of rows) {
      const end = r.until === null ? Number.POSITIVE_INFINITY : Date.parse(r.until);
      if (r.phone_hash !== null) {
        this.#phones.set(r.phone_hash, Math.max(end, this.#phones.get(r.phone_hash) ?? end));
        this.#latestPhoneEnd = Math.max(this.#latestPhoneEnd, end);
      }
      if (r.ip !== null) {
        const ip = normalizeIp(r.ip);
        this.#ips.set(ip, Math.max(end, this.#ips.get(ip) ?? end));
      }
    }
  }

  /** Whether some phone ban is still in force (otherwise nobody's phone needs looking up). */
  anyPhone(now: Date): boolean {
    return this.#latestPhoneEnd > now.getTime();
  }

  phoneBanned(phoneHash: string, now: Date): boolean {
    return (this.#phones.get(phoneHash) ?? Number.NEGATIVE_INFINITY) > now.getTime();
  }

  ipBanned(ip: string, now: Date): boolean {
    return (this.#ips.get(normalizeIp(ip)) ?? Number.NEGATIVE_INFINITY) > now.getTime();
  }
}

const banCache = perDatabase((): { bans: ActiveBans | null; loadedAt: number } => ({
  bans: null,
  loadedAt: 0,
}));

/** Makes the next intake read the ban list again (after a ban is added or lifted in this process). */
export function forgetBans(database: Database): void {
  banCache(database).bans = null;
}

/**
 * The ban list in force, from memory: read again after a change made here, or BAN_CACHE_MS after the
 * last reading (the interval is measured on the process's monotonic clock: it is a cache's age, not
 * business time; whether a ban is still in force is decided on `ctx.clock`).
 */
export async function activeBans(ctx: AppContext): Promise<ActiveBans> {
  const cache = banCache(ctx.database);
  const age = performance.now() - cache.loadedAt;
  if (cache.bans && age < BAN_CACHE_MS) return cache.bans;
  const rows = await ctx.database.db
    .selectFrom('case_bans')
    .select(['phone_hash', 'ip', 'until'])
    .where('lifted_at', 'is', null)
    .where((eb) => eb.or([eb('until', 'is', null), eb('until', '>', ctx.clock.now().toISOString())]))
    .execute();
  cache.bans = new ActiveBans(rows);
  cache.loadedAt = performance.now();
  return cache.bans;
}

type BanRow = {
  id: string;
  phone_masked: string | null;
  ip: string | null;
  reason: string;
  until: string | null;
  created_at: string;
  created_by: string | null;
  creator_name: string | null;
  lifted_at: string | null;
};

function toBan(r: BanRow, now: Date): CaseBan {
  return {
    id: r.id,
    phoneMasked: r.phone_masked,
    ip: r.ip,
    reason: r.reason,
    until: r.until,
    createdAt: r.created_at,
    createdBy: r.created_by ? { id: r.created_by, name: r.creator_name ?? '' } : null,
    liftedAt: r.lifted_at,
    active: r.lifted_at === null && (r.until === null || Date.parse(r.until) > now.getTime()),
  };
}

function banQuery(db: Kysely<DB>) {
  return db
    .selectFrom('case_bans as b')
    .leftJoin('users as u', 'u.id', 'b.created_by')
    .select([
      'b.id',
      'b.phone_masked',
      'b.ip',
      'b.reason',
      'b.until',
      'b.created_at',
      'b.created_by',
      'u.display_name as creator_name',
      'b.lifted_at',
    ]);
}

/** Bans, newest first; `active` keeps only those in force now. Phones only masked. */
export async function listBans(
  ctx: AppContext,
  q: { page: number; pageSize: number; active?: boolean },
): Promise<{ items: CaseBan[]; total: number }> {
  const { db } = ctx.database;
  const now = ctx.clock.now();
  const nowIso = now.toISOString();
  const filter = <T extends ReturnType<typeof banQuery>>(qb: T): T =>
    (q.active
      ? qb
          .where('b.lifted_at', 'is', null)
          .where((eb) => eb.or([eb('b.until', 'is', null), eb('b.until', '>', nowIso)]))
      : qb) as T;
  const [rows, count] = await Promise.all([
    filter(banQuery(db))
      .orderBy('b.created_at', 'desc')
      .orderBy('b.id', 'desc')
      .limit(q.pageSize)
      .offset((q.page - 1) * q.pageSize)
      .execute(),
    filter(banQuery(db))
      .clearSelect()
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirst(),
  ]);
  return { items: rows.map((r) => toBan(r, now)), total: int(count?.n) };
}

export interface BanInput {
  phone?: string;
  ip?: string;
  reason: string;
  until?: string | null;
}

/**
 * Bans a phone (kept only as its search hash and masked form) or an IP address from filing cases,
 * until a moment or until lifted. One of the two, never both; one active ban per phone or address.
 */
export async function createBan(ctx: AppContext, actor: Actor, input: BanInput): Promise<CaseBan> {
  const hasPhone = input.phone !== undefined && input.phone !== '';
  const hasIp = input.ip !== undefined && input.ip !== '';
  if (hasPhone === hasIp) throw invalidField(hasPhone ? 'ip' : 'phone', 'caseBan.phoneOrIp');
  let phoneHash: string | null = null;
  let phoneMasked: string | null = null;
  let ip: string | null = null;
  if (hasPhone) {
    const phone = normalizePhone(input.phone ?? '');
    if (!phone) throw invalidField('phone', 'INVALID_PHONE');
    phoneHash = ctx.pii.hash(phone);
    phoneMasked = maskPhone(phone);
  } else {
    ip = normalizeIp(input.ip ?? '');
    if (isIP(ip) === 0) throw invalidField('ip', 'caseBan.ipInvalid');
  }
  const now = ctx.clock.now();
  const until = input.until ? new Date(input.until) : null;
  if (until && until.getTime() <= now.getTime()) throw invalidField('until', 'caseBan.untilPast');
  const nowIso = now.toISOString();
  const ban = await writeTx(ctx, actor, async (tx) => {
    const existing = await tx.db
      .selectFrom('case_bans')
      .select('id')
      .where(phoneHash !== null ? 'phone_hash' : 'ip', '=', (phoneHash ?? ip) as string)
      .where('lifted_at', 'is', null)
      .where((eb) => eb.or([eb('until', 'is', null), eb('until', '>', nowIso)]))
      .executeTakeFirst();
    if (existing) throw new AppError(409, 'CASE_BAN_EXISTS');
    const id = uuidv7(now.getTime());
    const row = {
      id,
      phone_hash: phoneHash,
      phone_masked: phoneMasked,
      ip,
      reason: input.reason,
      until: until?.toISOString() ?? null,
      created_by: actor.id,
      created_at: nowIso,
      lifted_at: null,
    };
    await tx.db.insertInto('case_bans').values(row).execute();
    await tx.audit({
      action: 'case.ban.create',
      entity: 'case_ban',
      entityId: id,
      after: { phone: phoneMasked, ip, reason: input.reason, until: row.until },
    });
    return toBan({ ...row, creator_name: actor.name }, now);
  });
  forgetBans(ctx.database);
  return ban;
}

/** Ends a ban now. Lifting a ban that is no longer in force is refused (409). */
export async function liftBan(ctx: AppContext, actor: Actor, id: string): Promise<CaseBan> {
  const now = ctx.clock.now();
  const nowIso = now.toISOString();
  const ban = await writeTx(ctx, actor, async (tx) => {
    const row = await banQuery(tx.db).where('b.id', '=', id).executeTakeFirst();
    if (!row) throw notFound();
    if (!toBan(row, now).active) throw new AppError(409, 'CASE_BAN_NOT_ACTIVE');
    await tx.db.updateTable('case_bans').set({ lifted_at: nowIso }).where('id', '=', id).execute();
    await tx.audit({
      action: 'case.ban.lift',
      entity: 'case_ban',
      entityId: id,
      before: { liftedAt: null },
      after: { liftedAt: nowIso },
    });
    return toBan({ ...row, lifted_at: nowIso }, now);
  });
  forgetBans(ctx.database);
  return ban;
}
