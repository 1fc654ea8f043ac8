import { createHash, randomInt } from 'node:crypto';
import * as OTPAuth from 'otpauth';
import type { LoginReply } from '../../../../../packages/contracts/src/index.ts';
import { uuidv7 } from '../../db/ids.ts';
import { bool } from '../../db/normalize.ts';
import type { Actor } from '../../platform/audit/audit.ts';
import { decoyHash, hashPassword, isStrongPassword, verifyPassword } from '../../platform/auth/password.ts';
import { createSession, loadAuthUser } from '../../platform/auth/session.ts';
import type { AppContext } from '../../platform/context.ts';
import { AppError } from '../../platform/http/errors.ts';
import { maskPhone, normalizePhone } from '../../platform/pii/mask.ts';
import type { AuthUser } from '../../platform/rbac/types.ts';
import { writeTx } from '../../platform/tx.ts';
import { newUserRow } from '../users/repo.ts';

export const MAX_FAILED_LOGINS = 5;
export const LOCK_MINUTES = 30;
export const SMS_CODE_TTL_MINUTES = 5;
export const SMS_RESEND_SECONDS = 60;
export const SMS_PER_PHONE_PER_DAY = 10;
export const SMS_PER_IP_PER_HOUR = 30;
export const SMS_MAX_ATTEMPTS = 5;

export interface NewSession {
  token: string;
  reply: LoginReply;
}

export function sessionUserView(ctx: AppContext, u: AuthUser): LoginReply['user'] {
  return {
    id: u.id,
    username: u.username,
    displayName: u.displayName,
    unitId: u.unitId,
    unitName: u.unitName,
    roles: u.roles,
    permissions: [...u.permissions].sort(),
    dataScope: u.dataScope,
    mustChangePassword: u.mustChangePassword,
    totpEnabled: u.totpEnabled,
    phone: u.phoneEnc ? maskPhone(ctx.pii.decrypt(u.phoneEnc)) : null,
  };
}

async function openSession(
  ctx: AppContext,
  userId: string,
  ip: string | null,
  ua: string | null,
): Promise<NewSession> {
  const user = await loadAuthUser(ctx.database.db, userId);
  if (!user) throw new AppError(403, 'ACCOUNT_DISABLED');
  const { token, csrfToken } = await createSession(ctx, userId, ip, ua);
  return { token, reply: { user: sessionUserView(ctx, user), csrfToken } };
}

const shanghai = (iso: string) =>
  new Date(iso).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false });

function totpFor(secretBase32: string, label: string): OTPAuth.TOTP {
  return new OTPAuth.TOTP({
    issuer: 'Wenming',
    label,
    algorithm: 'SHA1',
    digits: 6,
    period: 30,
    secret: OTPAuth.Secret.fromBase32(secretBase32),
  });
}

/**
 * The time step a code belongs to (±1 step of clock drift), or null when it is wrong or was already
 * used: a step at or before the last accepted one is a replay.
 */
function acceptTotp(
  secretBase32: string,
  code: string,
  now: Date,
  lastStep: number | string | null,
): number | null {
  const delta = totpFor(secretBase32, 'x').validate({ token: code, timestamp: now.getTime(), window: 1 });
  if (delta === null) return null;
  const step = Math.floor(now.getTime() / 30_000) + delta;
  return lastStep !== null && step <= Number(lastStep) ? null : step;
}

/**
 * Staff sign-in: argon2id password, lockout after 5 failures for 30 minutes, optional TOTP.
 * Unknown usernames cost the same time as known ones and get the same answer.
 */
export async function loginWithPassword(
  ctx: AppContext,
  input: { username: string; password: string; totpCode?: string },
  ip: string | null,
  userAgent: string | null,
): Promise<NewSession> {
  const { db } = ctx.database;
  const now = ctx.clock.now();
  const actor: Actor = { id: null, name: input.username, ip };
  const user = await db
    .selectFrom('users')
    .selectAll()
    .where('username', '=', input.username)
    .executeTakeFirst();
  if (!user?.password_hash) {
    await verifyPassword(await decoyHash(), input.password);
    await writeTx(ctx, actor, (tx) =>
      tx.audit({
        action: 'auth.login.failed',
        entity: 'user',
        after: { username: input.username, reason: 'unknown' },
      }),
    );
    throw new AppError(401, 'INVALID_CREDENTIALS');
  }
  const userActor: Actor = { id: user.id, name: user.display_name, ip };
  if (user.locked_until && Date.parse(user.locked_until) > now.getTime()) {
    throw new AppError(423, 'ACCOUNT_LOCKED', { until: shanghai(user.locked_until) });
  }
  const passwordOk = await verifyPassword(user.password_hash, input.password);
  let failure: 'password' | 'totp' | null = passwordOk ? null : 'password';
  let totpStep: number | null = null;
  if (passwordOk && bool(user.totp_enabled) && user.totp_secret_enc) {
    if (!input.totpCode)
      throw new AppError(401, 'TOTP_REQUIRED', {}, [{ field: 'totpCode', code: 'TOTP_REQUIRED' }]);
    totpStep = acceptTotp(ctx.pii.decrypt(user.totp_secret_enc), input.totpCode, now, user.totp_last_step);
    if (totpStep === null) failure = 'totp';
  }
  if (failure) {
    // Counted in the database (not from the value read before the slow hash check), so parallel
    // guesses cannot share one count.
    const lockedUntil = await writeTx(ctx, userActor, async (tx) => {
      const row = await tx.db
        .updateTable('users')
        .set((eb) => ({ failed_logins: eb('failed_logins', '+', 1) }))
        .where('id', '=', user.id)
        .returning('failed_logins')
        .executeTakeFirstOrThrow();
      const failed = Number(row.failed_logins);
      const until =
        failed >= MAX_FAILED_LOGINS ? new Date(now.getTime() + LOCK_MINUTES * 60_000).toISOString() : null;
      if (until) {
        await tx.db
          .updateTable('users')
          .set({ failed_logins: 0, locked_until: until })
          .where('id', '=', user.id)
          .execute();
      }
      await tx.audit({
        action: until ? 'auth.login.locked' : 'auth.login.failed',
        entity: 'user',
        entityId: user.id,
        after: { reason: failure, failedLogins: failed, lockedUntil: until },
      });
      return until;
    });
    if (lockedUntil) throw new AppError(423, 'ACCOUNT_LOCKED', { until: shanghai(lockedUntil) });
    throw failure === 'totp'
      ? new AppError(401, 'TOTP_INVALID', {}, [{ field: 'totpCode', code: 'TOTP_INVALID' }])
      : new AppError(401, 'INVALID_CREDENTIALS');
  }
  if (user.status !== 'active') throw new AppError(403, 'ACCOUNT_DISABLED');
  await writeTx(ctx, userActor, async (tx) => {
    // Only if no parallel failure locked the account meanwhile (and no parallel sign-in spent the code).
    let update = tx.db
      .updateTable('users')
      .set({
        failed_logins: 0,
        locked_until: null,
        ...(totpStep === null ? {} : { totp_last_step: totpStep }),
      })
      .where('id', '=', user.id)
      .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<=', now.toISOString())]));
    if (totpStep !== null) {
      const step = totpStep;
      update = update.where((eb) =>
        eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', step)]),
      );
    }
    const res = await update.executeTakeFirst();
    if (Number(res.numUpdatedRows) !== 1 && totpStep !== null) {
      const spent = await tx.db
        .selectFrom('users')
        .select('totp_last_step')
        .where('id', '=', user.id)
        .executeTakeFirst();
      if (Number(spent?.totp_last_step ?? -1) >= totpStep) {
        throw new AppError(401, 'TOTP_INVALID', {}, [{ field: 'totpCode', code: 'TOTP_INVALID' }]);
      }
    }
    if (Number(res.numUpdatedRows) !== 1) {
      const locked = await tx.db
        .selectFrom('users')
        .select('locked_until')
        .where('id', '=', user.id)
        .executeTakeFirst();
      throw new AppError(423, 'ACCOUNT_LOCKED', {
        until: shanghai(locked?.locked_until ?? now.toISOString()),
      });
    }
    await tx.audit({
      action: 'auth.login',
      entity: 'user',
      entityId: user.id,
      after: { method: 'password' },
    });
  });
  return openSession(ctx, user.id, ip, userAgent);
}

export async function logout(ctx: AppContext, actor: Actor, sessionId: string): Promise<void> {
  await writeTx(ctx, actor, async (tx) => {
    await tx.db.deleteFrom('sessions').where('id', '=', sessionId).execute();
    await tx.audit({ action: 'auth.logout', entity: 'user', entityId: actor.id });
  });
}

export async function changePassword(
  ctx: AppContext,
  actor: Actor,
  user: AuthUser,
  sessionId: string,
  oldPassword: string,
  newPassword: string,
): Promise<void> {
  const row = await ctx.database.db
    .selectFrom('users')
    .select('password_hash')
    .where('id', '=', user.id)
    .executeTakeFirst();
  if (!row?.password_hash) throw new AppError(400, 'NO_PASSWORD');
  if (!(await verifyPassword(row.password_hash, oldPassword))) {
    throw new AppError(400, 'WRONG_PASSWORD', {}, [{ field: 'oldPassword', code: 'WRONG_PASSWORD' }]);
  }
  if (!isStrongPassword(newPassword)) {
    throw new AppError(400, 'WEAK_PASSWORD', {}, [{ field: 'newPassword', code: 'WEAK_PASSWORD' }]);
  }
  if (newPassword === oldPassword) {
    throw new AppError(400, 'PASSWORD_REUSED', {}, [{ field: 'newPassword', code: 'PASSWORD_REUSED' }]);
  }
  const hash = await hashPassword(newPassword);
  await writeTx(ctx, actor, async (tx) => {
    const now = ctx.clock.now().toISOString();
    await tx.db
      .updateTable('users')
      .set({ password_hash: hash, must_change_password: false, password_changed_at: now, updated_at: now })
      .where('id', '=', user.id)
      .execute();
    // Other sessions of this account end: whoever knew the old password is out.
    await tx.db.deleteFrom('sessions').where('user_id', '=', user.id).where('id', '!=', sessionId).execute();
    await tx.audit({ action: 'auth.password.change', entity: 'user', entityId: user.id });
  });
}

export async function setupTotp(
  ctx: AppContext,
  actor: Actor,
  user: AuthUser,
): Promise<{ secret: string; otpauthUrl: string }> {
  if (user.kind !== 'staff') throw new AppError(400, 'TOTP_NOT_FOR_CITIZENS');
  // A new secret would switch the factor off: disabling needs a current code (POST /totp/disable).
  if (user.totpEnabled) throw new AppError(409, 'TOTP_ALREADY_ENABLED');
  const secret = new OTPAuth.Secret({ size: 20 }).base32;
  await writeTx(ctx, actor, async (tx) => {
    await tx.db
      .updateTable('users')
      .set({ totp_secret_enc: ctx.pii.encrypt(secret), totp_enabled: false })
      .where('id', '=', user.id)
      .execute();
    await tx.audit({ action: 'auth.totp.setup', entity: 'user', entityId: user.id });
  });
  return { secret, otpauthUrl: totpFor(secret, user.username ?? user.id).toString() };
}

export async function switchTotp(
  ctx: AppContext,
  actor: Actor,
  user: AuthUser,
  code: string,
  enable: boolean,
): Promise<void> {
  const row = await ctx.database.db
    .selectFrom('users')
    .select(['totp_secret_enc', 'totp_last_step'])
    .where('id', '=', user.id)
    .executeTakeFirst();
  if (!row?.totp_secret_enc) throw new AppError(400, 'TOTP_NOT_SET_UP');
  const step = acceptTotp(ctx.pii.decrypt(row.totp_secret_enc), code, ctx.clock.now(), row.totp_last_step);
  if (step === null) throw new AppError(400, 'TOTP_INVALID', {}, [{ field: 'code', code: 'TOTP_INVALID' }]);
  await writeTx(ctx, actor, async (tx) => {
    await tx.db
      .updateTable('users')
      .set(
        enable
          ? { totp_enabled: true, totp_last_step: step }
          : { totp_enabled: false, totp_secret_enc: null, totp_last_step: null },
      )
      .where('id', '=', user.id)
      .execute();
    await tx.audit({
      action: enable ? 'auth.totp.enable' : 'auth.totp.disable',
      entity: 'user',
      entityId: user.id,
    });
  });
}

const codeHash = (phoneHash: string, code: string) =>
  createHash('sha256').update(`${phoneHash}:${code}`).digest('hex');

function invalidPhone(): AppError {
  return new AppError(400, 'VALIDATION_FAILED', {}, [{ field: 'phone', code: 'INVALID_PHONE' }]);
}

/** Sends a 6-digit sign-in code; limited per phone (1/min, 10/day) and per IP (30/hour). */
export async function sendSmsCode(
  ctx: AppContext,
  rawPhone: string,
  ip: string | null,
): Promise<{ sent: true; retryAfterSeconds: number }> {
  const phone = normalizePhone(rawPhone);
  if (!phone) throw invalidPhone();
  const { db } = ctx.database;
  const now = ctx.clock.now();
  const phoneHash = ctx.pii.hash(phone);
  const since = (ms: number) => new Date(now.getTime() - ms).toISOString();
  const recent = await db
    .selectFrom('otp_codes')
    .select(['created_at'])
    .where('phone_hash', '=', phoneHash)
    .where('created_at', '>', since(24 * 3600_000))
    .orderBy('created_at', 'desc')
    .execute();
  if (recent.length > 0) {
    const wait = SMS_RESEND_SECONDS - Math.floor((now.getTime() - Date.parse(recent[0].created_at)) / 1000);
    if (wait > 0) throw new AppError(429, 'RATE_LIMITED', { seconds: wait });
  }
  if (recent.length >= SMS_PER_PHONE_PER_DAY) throw new AppError(429, 'RATE_LIMITED', { seconds: 3600 });
  if (ip) {
    const perIp = await db
      .selectFrom('otp_codes')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('ip', '=', ip)
      .where('created_at', '>', since(3600_000))
      .executeTakeFirst();
    if (Number(perIp?.n ?? 0) >= SMS_PER_IP_PER_HOUR)
      throw new AppError(429, 'RATE_LIMITED', { seconds: 600 });
  }
  const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
  await writeTx(ctx, { id: null, name: maskPhone(phone), ip }, async (tx) => {
    await tx.db
      .insertInto('otp_codes')
      .values({
        id: uuidv7(),
        phone_hash: phoneHash,
        code_hash: codeHash(phoneHash, code),
        ip,
        attempts: 0,
        used: false,
        created_at: now.toISOString(),
        expires_at: new Date(now.getTime() + SMS_CODE_TTL_MINUTES * 60_000).toISOString(),
      })
      .execute();
    await tx.audit({ action: 'auth.sms.send', entity: 'otp_code', after: { phone: maskPhone(phone) } });
  });
  await ctx.sms.send(
    phone,
    `【文明】您的登录验证码是 ${code}，${SMS_CODE_TTL_MINUTES} 分钟内有效。如非本人操作请忽略。`,
  );
  return { sent: true, retryAfterSeconds: SMS_RESEND_SECONDS };
}

/** Phone + code sign-in for the H5. A first sign-in creates a citizen account for that phone. */
export async function loginWithSmsCode(
  ctx: AppContext,
  rawPhone: string,
  code: string,
  ip: string | null,
  userAgent: string | null,
): Promise<NewSession> {
  const phone = normalizePhone(rawPhone);
  if (!phone) throw invalidPhone();
  const { db } = ctx.database;
  const now = ctx.clock.now();
  const phoneHash = ctx.pii.hash(phone);
  const otp = await db
    .selectFrom('otp_codes')
    .selectAll()
    .where('phone_hash', '=', phoneHash)
    .orderBy('created_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  const usable =
    otp && !bool(otp.used) && otp.attempts < SMS_MAX_ATTEMPTS && Date.parse(otp.expires_at) > now.getTime();
  const wrong = () => new AppError(400, 'CODE_INVALID', {}, [{ field: 'code', code: 'CODE_INVALID' }]);
  if (!otp || !usable) throw wrong();
  const masked = maskPhone(phone);
  // Reserve one attempt atomically: parallel guesses cannot exceed the limit.
  const reserved = await db
    .updateTable('otp_codes')
    .set((eb) => ({ attempts: eb('attempts', '+', 1) }))
    .where('id', '=', otp.id)
    .where('attempts', '<', SMS_MAX_ATTEMPTS)
    .where('used', '=', false)
    .executeTakeFirst();
  if (Number(reserved.numUpdatedRows) !== 1) throw wrong();
  if (otp.code_hash !== codeHash(phoneHash, code)) {
    await writeTx(ctx, { id: null, name: masked, ip }, (tx) =>
      tx.audit({ action: 'auth.sms.failed', entity: 'otp_code', entityId: otp.id, after: { phone: masked } }),
    );
    throw wrong();
  }
  const existing = await db
    .selectFrom('users')
    .select(['id', 'status'])
    .where('phone_hash', '=', phoneHash)
    .executeTakeFirst();
  if (existing && existing.status !== 'active') throw new AppError(403, 'ACCOUNT_DISABLED');
  const userId = existing?.id ?? uuidv7();
  await writeTx(ctx, { id: userId, name: masked, ip }, async (tx) => {
    const consumed = await tx.db
      .updateTable('otp_codes')
      .set({ used: true })
      .where('id', '=', otp.id)
      .where('used', '=', false)
      .executeTakeFirst();
    if (Number(consumed.numUpdatedRows) !== 1) throw wrong();
    if (!existing) {
      const ts = now.toISOString();
      await tx.db
        .insertInto('users')
        .values(
          newUserRow({
            id: userId,
            display_name: `市民${phone.slice(-4)}`,
            kind: 'citizen',
            data_scope: 'own',
            phone_enc: ctx.pii.encrypt(phone),
            phone_hash: phoneHash,
            created_at: ts,
          }),
        )
        .execute();
      await tx.db.insertInto('user_roles').values({ user_id: userId, role: 'citizen' }).execute();
      await tx.audit({
        action: 'user.register',
        entity: 'user',
        entityId: userId,
        after: { phone: masked, roles: ['citizen'] },
      });
    }
    await tx.audit({ action: 'auth.login', entity: 'user', entityId: userId, after: { method: 'sms' } });
  });
  return openSession(ctx, userId, ip, userAgent);
}
