import { randomBytes } from 'node:crypto';
import {
  DATA_SCOPES,
  type DataScope,
  type Page,
  permissionsOf,
  type Role,
  STAFF_ROLES,
  type UserView,
} from '../../../../../packages/contracts/src/index.ts';
import { uuidv7 } from '../../db/ids.ts';
import type { Actor } from '../../platform/audit/audit.ts';
import { hashPassword, isStrongPassword, temporaryPassword } from '../../platform/auth/password.ts';
import type { AppContext } from '../../platform/context.ts';
import { AppError, invalidField, notFound } from '../../platform/http/errors.ts';
import { normalizeIdCard, normalizePhone } from '../../platform/pii/mask.ts';
import { type AuthUser, type Scope, scopeOf } from '../../platform/rbac/types.ts';
import { writeTx } from '../../platform/tx.ts';
import { findUnitRow, inScope } from '../org/repo.ts';
import { findUserRow, listUserRows, newUserRow, rolesOf, toUserView, type UserFilter } from './repo.ts';

export interface UserInput {
  username: string;
  displayName: string;
  title?: string | null;
  unitId: string;
  roles: Role[];
  dataScope: DataScope;
  phone?: string | null;
  idCard?: string | null;
  password: string;
}

export interface UserPatch {
  displayName?: string;
  title?: string | null;
  unitId?: string;
  roles?: Role[];
  dataScope?: DataScope;
  phone?: string | null;
  idCard?: string | null;
  status?: 'active' | 'disabled';
}

const kindOf = (roles: Role[]) => (roles.some((r) => STAFF_ROLES.includes(r)) ? 'staff' : 'citizen');

/** Nobody hands out more than they hold: roles whose permissions they lack, or a wider data scope. */
function assertCanGrant(actor: AuthUser, roles: Role[], dataScope: DataScope): void {
  if (actor.roles.includes('system_admin')) return;
  const tooMuch =
    roles.includes('system_admin') ||
    [...permissionsOf(roles)].some((p) => !actor.permissions.has(p)) ||
    DATA_SCOPES.indexOf(dataScope) > DATA_SCOPES.indexOf(actor.dataScope);
  if (tooMuch) throw new AppError(403, 'SCOPE_EXCEEDED');
}

async function view(ctx: AppContext, scope: Scope, id: string): Promise<UserView> {
  const row = await findUserRow(ctx.database.db, scope, id);
  if (!row) throw notFound();
  const roles = await rolesOf(ctx.database.db, [id]);
  return toUserView(row, roles.get(id) ?? [], ctx.pii);
}

export async function listUsers(ctx: AppContext, scope: Scope, filter: UserFilter): Promise<Page<UserView>> {
  const { rows, total } = await listUserRows(ctx.database.db, scope, filter);
  const roles = await rolesOf(
    ctx.database.db,
    rows.map((r) => r.id),
  );
  return { items: rows.map((r) => toUserView(r, roles.get(r.id) ?? [], ctx.pii)), total };
}

export function getUser(ctx: AppContext, scope: Scope, id: string): Promise<UserView> {
  return view(ctx, scope, id);
}

async function checkUnit(ctx: AppContext, scope: Scope, unitId: string): Promise<void> {
  const unit = await findUnitRow(ctx.database.db, unitId);
  if (!unit || !inScope(unit, scope)) throw invalidField('unitId', 'field.unknownUnit');
}

function piiColumns(ctx: AppContext, field: 'phone' | 'idCard', raw: string | null | undefined) {
  if (raw === undefined) return {};
  const enc = field === 'phone' ? 'phone_enc' : 'id_card_enc';
  const hash = field === 'phone' ? 'phone_hash' : 'id_card_hash';
  if (raw === null || raw === '') return { [enc]: null, [hash]: null };
  const value = field === 'phone' ? normalizePhone(raw) : normalizeIdCard(raw);
  if (!value) {
    throw new AppError(400, 'VALIDATION_FAILED', {}, [
      { field, code: field === 'phone' ? 'INVALID_PHONE' : 'INVALID_ID_CARD' },
    ]);
  }
  return { [enc]: ctx.pii.encrypt(value), [hash]: ctx.pii.hash(value) };
}

async function assertPhoneFree(ctx: AppContext, phoneHash: string | null | undefined, exceptId?: string) {
  if (!phoneHash) return;
  const other = await ctx.database.db
    .selectFrom('users')
    .select('id')
    .where('phone_hash', '=', phoneHash)
    .executeTakeFirst();
  if (other && other.id !== exceptId)
    throw new AppError(409, 'PHONE_TAKEN', {}, [{ field: 'phone', code: 'PHONE_TAKEN' }]);
}

export async function createUser(
  ctx: AppContext,
  actor: Actor,
  caller: AuthUser,
  input: UserInput,
): Promise<UserView> {
  const scope = scopeOf(caller);
  assertCanGrant(caller, input.roles, input.dataScope);
  await checkUnit(ctx, scope, input.unitId);
  if (!isStrongPassword(input.password)) {
    throw new AppError(400, 'WEAK_PASSWORD', {}, [{ field: 'password', code: 'WEAK_PASSWORD' }]);
  }
  const phone = piiColumns(ctx, 'phone', input.phone) as { phone_hash?: string | null };
  const idCard = piiColumns(ctx, 'idCard', input.idCard);
  await assertPhoneFree(ctx, phone.phone_hash);
  const passwordHash = await hashPassword(input.password);
  const id = uuidv7();
  await writeTx(ctx, actor, async (tx) => {
    const taken = await tx.db
      .selectFrom('users')
      .select('id')
      .where('username', '=', input.username)
      .executeTakeFirst();
    if (taken) throw new AppError(409, 'USERNAME_TAKEN', {}, [{ field: 'username', code: 'USERNAME_TAKEN' }]);
    const now = ctx.clock.now().toISOString();
    await tx.db
      .insertInto('users')
      .values(
        newUserRow({
          id,
          username: input.username,
          display_name: input.displayName.trim(),
          title: input.title?.trim() || null,
          unit_id: input.unitId,
          kind: kindOf(input.roles),
          data_scope: input.dataScope,
          password_hash: passwordHash,
          must_change_password: true,
          ...phone,
          ...idCard,
          created_at: now,
        }),
      )
      .execute();
    const roles = [...new Set(input.roles)];
    if (roles.length)
      await tx.db
        .insertInto('user_roles')
        .values(roles.map((role) => ({ user_id: id, role })))
        .execute();
    const row = await findUserRow(tx.db, { kind: 'all' }, id);
    if (!row) throw notFound();
    await tx.audit({
      action: 'user.create',
      entity: 'user',
      entityId: id,
      after: toUserView(row, roles, ctx.pii),
    });
  });
  return view(ctx, { kind: 'all' }, id);
}

export async function updateUser(
  ctx: AppContext,
  actor: Actor,
  caller: AuthUser,
  id: string,
  patch: UserPatch,
): Promise<UserView> {
  const scope = scopeOf(caller);
  const before = await view(ctx, scope, id);
  if (id === caller.id && (patch.status === 'disabled' || patch.roles || patch.dataScope || patch.unitId)) {
    throw new AppError(403, 'CANNOT_CHANGE_SELF');
  }
  // Changing a user also requires being able to grant what they already hold.
  assertCanGrant(caller, patch.roles ?? before.roles, patch.dataScope ?? before.dataScope);
  assertCanGrant(caller, before.roles, before.dataScope);
  if (patch.unitId) await checkUnit(ctx, scope, patch.unitId);
  const phone = piiColumns(ctx, 'phone', patch.phone) as { phone_hash?: string | null };
  const idCard = piiColumns(ctx, 'idCard', patch.idCard);
  await assertPhoneFree(ctx, phone.phone_hash, id);
  await writeTx(ctx, actor, async (tx) => {
    await tx.db
      .updateTable('users')
      .set({
        ...(patch.displayName !== undefined ? { display_name: patch.displayName.trim() } : {}),
        ...(patch.title !== undefined ? { title: patch.title?.trim() || null } : {}),
        ...(patch.unitId ? { unit_id: patch.unitId } : {}),
        ...(patch.dataScope ? { data_scope: patch.dataScope } : {}),
        ...(patch.status ? { status: patch.status } : {}),
        ...(patch.roles ? { kind: kindOf(patch.roles) } : {}),
        ...phone,
        ...idCard,
        updated_at: ctx.clock.now().toISOString(),
      })
      .where('id', '=', id)
      .execute();
    if (patch.roles) {
      await tx.db.deleteFrom('user_roles').where('user_id', '=', id).execute();
      const roles = [...new Set(patch.roles)];
      if (roles.length)
        await tx.db
          .insertInto('user_roles')
          .values(roles.map((role) => ({ user_id: id, role })))
          .execute();
    }
    if (patch.status === 'disabled') await tx.db.deleteFrom('sessions').where('user_id', '=', id).execute();
    const row = await findUserRow(tx.db, { kind: 'all' }, id);
    if (!row) throw notFound();
    const roles = await rolesOf(tx.db, [id]);
    await tx.audit({
      action: 'user.update',
      entity: 'user',
      entityId: id,
      before,
      after: toUserView(row, roles.get(id) ?? [], ctx.pii),
    });
  });
  return view(ctx, scope, id);
}

/** Admin reset: a temporary password the user must change at next sign-in; sessions and lockout cleared. */
export async function resetPassword(
  ctx: AppContext,
  actor: Actor,
  caller: AuthUser,
  id: string,
): Promise<{ temporaryPassword: string }> {
  const target = await view(ctx, scopeOf(caller), id);
  assertCanGrant(caller, target.roles, target.dataScope);
  const password = temporaryPassword(randomBytes);
  const hash = await hashPassword(password);
  await writeTx(ctx, actor, async (tx) => {
    await tx.db
      .updateTable('users')
      .set({
        password_hash: hash,
        must_change_password: true,
        failed_logins: 0,
        locked_until: null,
        updated_at: ctx.clock.now().toISOString(),
      })
      .where('id', '=', id)
      .execute();
    await tx.db.deleteFrom('sessions').where('user_id', '=', id).execute();
    await tx.audit({ action: 'user.password.reset', entity: 'user', entityId: id });
  });
  return { temporaryPassword: password };
}

export async function unlockUser(
  ctx: AppContext,
  actor: Actor,
  caller: AuthUser,
  id: string,
): Promise<UserView> {
  const scope = scopeOf(caller);
  const before = await view(ctx, scope, id);
  assertCanGrant(caller, before.roles, before.dataScope);
  await writeTx(ctx, actor, async (tx) => {
    await tx.db
      .updateTable('users')
      .set({ failed_logins: 0, locked_until: null })
      .where('id', '=', id)
      .execute();
    await tx.audit({
      action: 'user.unlock',
      entity: 'user',
      entityId: id,
      before: { lockedUntil: before.lockedUntil },
      after: { lockedUntil: null },
    });
  });
  return view(ctx, scope, id);
}

/** The unmasked numbers; every call is written to the audit log. */
export async function readPii(
  ctx: AppContext,
  actor: Actor,
  scope: Scope,
  id: string,
): Promise<{ phone: string | null; idCard: string | null }> {
  const row = await findUserRow(ctx.database.db, scope, id);
  if (!row) throw notFound();
  await writeTx(ctx, actor, (tx) =>
    tx.audit({
      action: 'user.pii.read',
      entity: 'user',
      entityId: id,
      after: { fields: ['phone', 'idCard'] },
    }),
  );
  return {
    phone: row.phone_enc ? ctx.pii.decrypt(row.phone_enc) : null,
    idCard: row.id_card_enc ? ctx.pii.decrypt(row.id_card_enc) : null,
  };
}
