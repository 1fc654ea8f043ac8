/**
 * `wenming plan parse FILE` against a migrated, seeded database (both engines), and the unit directory
 * the parser reads from the org tree.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bazhouDirectory } from '../../apps/server/src/modules/campaigns/plan/fixtures/bazhou-directory.ts';
import { loadUnitDirectory } from '../../apps/server/src/modules/campaigns/plan/load-directory.ts';
import { parsePlan } from '../../apps/server/src/modules/campaigns/plan/parse.ts';
import type { ParsedPlan } from '../../apps/server/src/modules/campaigns/plan/types.ts';
import { makeTestApp, runCliOn, signedIn, type TestApp, unitId } from '../helpers/app.ts';
import { ENGINE } from '../helpers/db.ts';

const SEED = path.join(
  import.meta.dirname,
  '../../apps/server/src/modules/campaigns/plan/fixtures/001_785ff53e928aa9e6.txt',
);
const dir = mkdtempSync(path.join(tmpdir(), 'wenming-plan-'));
const file = (name: string, content: string | Buffer) => {
  const p = path.join(dir, name);
  writeFileSync(p, content);
  return p;
};
/** The JSON the command printed (messages on stderr follow it). */
const printed = (out: string): ParsedPlan => JSON.parse(out.slice(0, out.lastIndexOf('\n}') + 2));
const namesByActivity = (plan: ParsedPlan) =>
  plan.sections.flatMap((s) => s.activities.map((a) => a.resolvedUnits.map((u) => u.name).sort()));

let t: TestApp;
beforeAll(async () => {
  t = await makeTestApp();
});
afterAll(async () => {
  await t?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe(`wenming plan parse on ${ENGINE}`, () => {
  it('prints seed 001 as JSON: 5 sections, 18 activities, 3 phases, units resolved to the org tree', async () => {
    const { code, out } = await runCliOn(t, ['plan', 'parse', SEED]);
    expect(code).toBe(0);
    const plan = printed(out);
    expect(plan.stats).toMatchObject({ sections: 5, activities: 18, phases: 3, unresolvedReferences: 0 });
    expect(plan.warnings).toEqual([]);
    const first = plan.sections[0].activities[0];
    expect(first.resolvedUnits).toEqual([
      { unitId: await unitId(t, '市委宣传部'), name: '市委宣传部' },
      { unitId: await unitId(t, '市委组织部'), name: '市委组织部' },
      { unitId: await unitId(t, '市委党校'), name: '市委党校' },
    ]);
    const ninth = plan.sections[2].activities[0];
    expect(ninth.resolvedUnits).toHaveLength(56);
    expect(ninth.resolvedUnits.map((u) => u.name)).toEqual(
      expect.arrayContaining(['裕华街道', '霸州经济技术开发区']),
    );
    expect(plan.phases.map((p) => [p.from, p.to])).toEqual([
      ['2022-09-01', '2022-09-30'],
      ['2022-09-01', '2022-12-31'],
      ['2023-01-01', null],
    ]);
  });

  it('reads the org tree as the seed defines it (the same units as the unit tests’ directory)', async () => {
    const source = readFileSync(SEED, 'utf8');
    const fromDb = parsePlan(source, await loadUnitDirectory(t.ctx.database.db));
    const fromSeedFile = parsePlan(source, bazhouDirectory());
    expect(namesByActivity(fromDb)).toEqual(namesByActivity(fromSeedFile));
  });

  it('flags an unknown unit, and resolves it once the mapping is saved as an alias', async () => {
    const plan = file('unknown.txt', '一、重点任务\n1.开展“清朗网络”行动。责任单位：市委网信办、市网信局\n');
    const before = printed((await runCliOn(t, ['plan', 'parse', plan])).out);
    expect(before.sections[0].activities[0].units.map((u) => [u.text, u.warning ?? null])).toEqual([
      ['市委网信办', null],
      ['市网信局', 'unknown_unit'],
    ]);
    expect(before.warnings).toContainEqual({ line: 2, text: '市网信局', code: 'unknown_unit' });

    const admin = await signedIn(t.app, 'office_admin');
    const office = await unitId(t, '市委网络安全和信息化委员会办公室');
    expect((await admin.post(`/api/org/units/${office}/aliases`, { alias: '市网信局' })).statusCode).toBe(
      200,
    );
    const after = printed((await runCliOn(t, ['plan', 'parse', plan])).out);
    expect(after.sections[0].activities[0].units[1]).toMatchObject({ text: '市网信局', via: 'alias' });
    expect(after.sections[0].activities[0].resolvedUnits).toEqual([
      { unitId: office, name: '市委网络安全和信息化委员会办公室' },
    ]);
  });

  it('expands a new group expression once it is configured as an org group', async () => {
    const plan = file('group.txt', '一、重点任务\n1.开展“美丽庭院”创建。责任单位：市妇联，各镇（街道）\n');
    const before = printed((await runCliOn(t, ['plan', 'parse', plan])).out);
    expect(before.sections[0].activities[0].units[1]).toMatchObject({
      text: '各镇（街道）',
      warning: 'unknown_group',
    });

    const admin = await signedIn(t.app, 'office_admin');
    const towns = [await unitId(t, '霸州镇'), await unitId(t, '南孟镇'), await unitId(t, '裕华街道')];
    const created = await admin.post('/api/org/groups', {
      name: '各镇（街道）',
      aliases: ['各镇(街道)'],
      memberIds: towns,
    });
    expect(created.statusCode).toBe(201);
    const after = printed((await runCliOn(t, ['plan', 'parse', plan])).out);
    const [, group] = after.sections[0].activities[0].units;
    expect(group).toMatchObject({ text: '各镇（街道）', via: 'group', group: '各镇（街道）' });
    expect(group.resolved?.map((u) => u.unitId).sort()).toEqual([...towns].sort());
  });

  it('refuses what it cannot read, with a message and a non-zero exit', async () => {
    const empty = await runCliOn(t, ['plan', 'parse', file('empty.txt', '  \n')]);
    expect(empty).toEqual({ code: 1, out: expect.stringMatching(/empty\.txt is empty/) });
    const doc = await runCliOn(t, [
      'plan',
      'parse',
      file('old.doc', Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0, 0, 0, 0])),
    ]);
    expect(doc).toEqual({ code: 1, out: expect.stringMatching(/legacy Word \.doc/) });
    const missing = await runCliOn(t, ['plan', 'parse', path.join(dir, 'missing.txt')]);
    expect(missing.code).toBe(1);
    const prose = await runCliOn(t, ['plan', 'parse', file('prose.txt', '一段没有编号的文字。')]);
    expect(prose.code).toBe(1);
    expect(prose.out).toMatch(/no numbered activities found/);
    expect(printed(prose.out).unparsed).toEqual([{ line: 1, text: '一段没有编号的文字。', kind: 'text' }]);
    expect((await runCliOn(t, ['plan', 'parse'])).code).toBe(2);
  });
});

describe(`wenming plan parse on an empty org tree (${ENGINE})`, () => {
  let bare: TestApp;
  beforeAll(async () => {
    bare = await makeTestApp({ seed: false });
  });
  afterAll(async () => {
    await bare?.close();
  });

  it('still prints the structure, every unit flagged, and says why', async () => {
    const { code, out } = await runCliOn(bare, ['plan', 'parse', SEED]);
    expect(code).toBe(0);
    expect(out).toMatch(/the database has no org units/);
    const plan = printed(out);
    expect(plan.stats).toMatchObject({ activities: 18, unitReferences: 128, unresolvedReferences: 128 });
  });
});
