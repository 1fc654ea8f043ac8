import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowHash, verifyAuditChain } from '../../apps/server/src/platform/audit/audit.ts';
import { writeTx } from '../../apps/server/src/platform/tx.ts';
import { makeTestApp, runCliOn, signedIn, type TestApp, unitId } from '../helpers/app.ts';
import { ENGINE } from '../helpers/db.ts';

let t: TestApp;
beforeAll(async () => {
  t = await makeTestApp();
  const admin = await signedIn(t.app, 'office_admin');
  const town = await unitId(t, '南孟镇');
  for (let i = 0; i < 5; i++)
    await admin.post('/api/org/units', { parentId: town, name: `审计村${i}`, type: 'village' });
});
afterAll(async () => {
  await t?.close();
});

async function tamper(statement: ReturnType<typeof sql>) {
  const db = t.ctx.database.db;
  // The log is append-only in the database: a tamperer must first get rid of the guard.
  if (ENGINE === 'postgres') {
    await sql`alter table audit_log disable trigger audit_log_no_update`.execute(db);
    await statement.execute(db);
    await sql`alter table audit_log enable trigger audit_log_no_update`.execute(db);
    return;
  }
  await sql`drop trigger audit_log_no_update`.execute(db);
  await sql`drop trigger audit_log_no_delete`.execute(db);
  await statement.execute(db);
  await sql`create trigger audit_log_no_update before update on audit_log begin select raise(abort, 'append-only'); end`.execute(
    db,
  );
  await sql`create trigger audit_log_no_delete before delete on audit_log begin select raise(abort, 'append-only'); end`.execute(
    db,
  );
}

const cli = (args: string[]) => runCliOn(t, args);

describe(`hash-chained audit log on ${ENGINE}`, () => {
  it('is intact after ordinary use, with actor, IP and before/after on each write', async () => {
    const r = await verifyAuditChain(t.ctx.database.db);
    expect(r.ok).toBe(true);
    expect(r.checked).toBeGreaterThanOrEqual(7);
    const row = await t.ctx.database.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'org.unit.create')
      .executeTakeFirstOrThrow();
    expect(row.actor_name).toBe('王文静');
    expect(row.ip).toBe('127.0.0.1');
    expect(JSON.parse(row.after_json ?? '{}').name).toMatch(/^审计村/);
  });

  it('records what a row said when it was appended, though it is chained only at the commit', async () => {
    const after = { state: 'first' };
    await writeTx(t.ctx, { id: null, name: 'audit test', ip: null }, async (tx) => {
      await tx.audit({ action: 'test.snapshot', entity: 'test', entityId: 'snapshot', after });
      after.state = 'changed later in the transaction';
    });
    const row = await t.ctx.database.db
      .selectFrom('audit_log')
      .select('after_json')
      .where('action', '=', 'test.snapshot')
      .executeTakeFirstOrThrow();
    expect(JSON.parse(row.after_json ?? 'null')).toEqual({ state: 'first' });
    expect((await verifyAuditChain(t.ctx.database.db)).ok).toBe(true);
  });

  it('chains rows of any content as the verifier hashes them (the database chains them on PostgreSQL)', async () => {
    const odd = [
      'quotes " \' and a backslash \\ and\na newline, a tab\t',
      '汉字、全角：（一）😀 and U+2028 \u2028 U+2029 \u2029',
      '',
    ];
    await writeTx(t.ctx, { id: null, name: '测试 "actor"\n', ip: '::1' }, async (tx) => {
      for (const [i, text] of odd.entries())
        await tx.audit({
          action: 'test.content',
          entity: 'test',
          entityId: text || null,
          before: null,
          after: { i, text },
        });
      await tx.audit({ action: 'test.content', entity: 'test' });
    });
    const rows = await t.ctx.database.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'test.content')
      .orderBy('seq')
      .execute();
    expect(rows).toHaveLength(4);
    expect(rows.map((r) => r.entity_id)).toEqual([...odd.slice(0, 2), null, null]);
    for (const [i, r] of rows.entries()) {
      expect(r.hash).toBe(rowHash({ ...r, seq: Number(r.seq) }));
      if (i > 0) expect(r.prev_hash).toBe(rows[i - 1]?.hash);
    }
    expect((await verifyAuditChain(t.ctx.database.db)).ok).toBe(true);
  });

  it('shows a subtree-scoped auditor only what people of its subtree did', async () => {
    const sys = await signedIn(t.app, 'sysadmin');
    const town = await unitId(t, '南孟镇');
    const created = await sys.post('/api/users', {
      username: 'town.auditor',
      displayName: '镇审计员',
      unitId: town,
      roles: ['office_admin'],
      dataScope: 'subtree',
      password: 'Start#2026x',
    });
    expect(created.statusCode).toBe(201);
    const auditor = await signedIn(t.app, 'town.auditor', 'Start#2026x');
    expect(
      (await auditor.post('/api/auth/password', { oldPassword: 'Start#2026x', newPassword: 'Other#2026y' }))
        .statusCode,
    ).toBe(204);
    await auditor.post('/api/org/units', { parentId: town, name: '镇里新村', type: 'village' });
    const items = (await auditor.get('/api/audit?pageSize=200')).json().items as { actorId: string | null }[];
    expect(items.length).toBeGreaterThan(0);
    expect(new Set(items.map((i) => i.actorId))).toEqual(new Set([created.json().id]));
    const all = (await sys.get('/api/audit?pageSize=200')).json().items as { actorId: string | null }[];
    expect(new Set(all.map((i) => i.actorId)).size).toBeGreaterThan(1);
  });

  it('refuses updates and deletes at the database level', async () => {
    const db = t.ctx.database.db;
    await expect(
      db.updateTable('audit_log').set({ action: 'x' }).where('seq', '=', 1).execute(),
    ).rejects.toThrow(/append-only/);
    await expect(db.deleteFrom('audit_log').where('seq', '=', 1).execute()).rejects.toThrow(/append-only/);
  });

  it('names the first tampered row when a past entry is edited (API and CLI), and is whole again once restored', async () => {
    const db = t.ctx.database.db;
    const original = await db
      .selectFrom('audit_log')
      .select('after_json')
      .where('seq', '=', 4)
      .executeTakeFirstOrThrow();
    await tamper(sql`update audit_log set after_json = '{"name":"改过了"}' where seq = 4`);
    expect(await verifyAuditChain(db)).toMatchObject({ ok: false, firstBadSeq: 4, checked: 3 });
    const sys = await signedIn(t.app, 'sysadmin');
    expect((await sys.get('/api/audit/verify')).json()).toMatchObject({ ok: false, firstBadSeq: 4 });
    const run = await cli(['audit', 'verify']);
    expect(run.code).toBe(1);
    expect(run.out).toContain('row 4');

    await tamper(sql`update audit_log set after_json = ${original.after_json} where seq = 4`);
    expect((await verifyAuditChain(db)).ok).toBe(true);
    expect((await cli(['audit', 'verify'])).code).toBe(0);
  });

  it('detects a deleted row', async () => {
    await tamper(sql`delete from audit_log where seq = 6`);
    expect(await verifyAuditChain(t.ctx.database.db)).toMatchObject({
      ok: false,
      firstBadSeq: 6,
      reason: 'row missing',
    });
  });
});
