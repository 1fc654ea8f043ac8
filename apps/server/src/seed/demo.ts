import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { DataScope, OrgUnitType, Role } from '../../../../packages/contracts/src/index.ts';
import { uuidv7 } from '../db/ids.ts';
import type { OrgUnitTable, UserTable } from '../db/schema.ts';
import { newUserRow } from '../modules/users/repo.ts';
import { SYSTEM_ACTOR } from '../platform/audit/audit.ts';
import { hashPassword } from '../platform/auth/password.ts';
import type { AppContext } from '../platform/context.ts';
import { writeTx } from '../platform/tx.ts';

/** The password of every demo account (README lists the accounts). */
export const DEMO_PASSWORD = 'Wenming@2026';

interface Position {
  title: string;
  holderTitle: string;
  count: number;
}
interface BazhouData {
  region: { name: string; code: string };
  committee: { name: string; shortName: string };
  office: { name: string; shortName: string };
  leadershipGroup: { name: string; positions: Position[] };
  workingGroups: { name: string; duties: string; positions: Position[] }[];
  memberUnits: { name: string; aliases: string[]; category: string }[];
  townships: {
    name: string;
    code: string | null;
    kind: string;
    villages: { name: string; code: string }[];
  }[];
  /** memberUnits: every member unit; municipal / provincial: the member units of that category (市直 / 中省直驻霸). */
  groups: {
    name: string;
    aliases: string[];
    members: 'memberUnits' | 'townships' | 'municipal' | 'provincial';
  }[];
}

export function loadBazhou(): BazhouData {
  return JSON.parse(readFileSync(path.join(import.meta.dirname, 'bazhou.json'), 'utf8'));
}

/** Invented names for demo people (never the officials named in the source document). */
const SURNAMES = '王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕';
const GIVEN = [
  '文静',
  '志强',
  '海燕',
  '建华',
  '晓明',
  '丽娟',
  '国庆',
  '春梅',
  '立新',
  '玉兰',
  '振宇',
  '雪松',
  '思远',
  '嘉怡',
  '宏伟',
];
const inventedName = (i: number) => `${SURNAMES[(i * 7) % SURNAMES.length]}${GIVEN[(i * 11) % GIVEN.length]}`;

interface DemoAccount {
  username: string;
  displayName: string;
  role: Role;
  unit: string;
  scope: DataScope;
  title: string;
  phone?: string;
}

/** One account per role of SPEC §1, plus a township liaison; all with DEMO_PASSWORD. */
export const DEMO_ACCOUNTS: DemoAccount[] = [
  {
    username: 'sysadmin',
    displayName: '系统管理员',
    role: 'system_admin',
    unit: 'region',
    scope: 'all',
    title: '系统管理员',
  },
  {
    username: 'office_admin',
    displayName: '王文静',
    role: 'office_admin',
    unit: 'office',
    scope: 'all',
    title: '科员',
  },
  {
    username: 'leader',
    displayName: '李建华',
    role: 'leader',
    unit: 'leadership',
    scope: 'all',
    title: '组长',
  },
  {
    username: 'wg_member',
    displayName: '赵振宇',
    role: 'working_group',
    unit: '督导考核组',
    scope: 'all',
    title: '成员',
  },
  {
    username: 'liaison',
    displayName: '刘海燕',
    role: 'liaison',
    unit: '市卫生健康局',
    scope: 'own',
    title: '联络员',
    phone: '13800138000',
  },
  {
    username: 'unit_head',
    displayName: '陈立新',
    role: 'unit_head',
    unit: '市卫生健康局',
    scope: 'own',
    title: '局长',
  },
  {
    username: 'liaison_town',
    displayName: '杨春梅',
    role: 'liaison',
    unit: 'township:0',
    scope: 'subtree',
    title: '联络员',
    phone: '13800138004',
  },
  {
    // Reports for the demo campaign from a member unit (issue #4).
    username: 'liaison_xcb',
    displayName: '王嘉怡',
    role: 'liaison',
    unit: '市委宣传部',
    scope: 'own',
    title: '联络员',
  },
  {
    username: 'inspector',
    displayName: '周思远',
    role: 'inspector',
    unit: 'office',
    scope: 'all',
    title: '测评员',
  },
  {
    username: 'expert',
    displayName: '吴嘉怡',
    role: 'expert',
    unit: 'office',
    scope: 'own',
    title: '评审专家',
  },
  {
    username: 'volunteer',
    displayName: '徐晓明',
    role: 'volunteer',
    unit: 'township:1',
    scope: 'own',
    title: '志愿者',
    phone: '13800138001',
  },
  {
    username: 'citizen',
    displayName: '孙丽娟',
    role: 'citizen',
    unit: 'village:0',
    scope: 'own',
    title: '',
    phone: '13800138002',
  },
  {
    username: 'merchant',
    displayName: '胡国庆',
    role: 'merchant',
    unit: 'township:1',
    scope: 'own',
    title: '积分超市商户',
    phone: '13800138003',
  },
];

const TOWNSHIP_TYPE: OrgUnitType = 'township';

export async function isEmpty(ctx: AppContext): Promise<boolean> {
  const row = await ctx.database.db.selectFrom('org_units').select('id').limit(1).executeTakeFirst();
  return row === undefined;
}

/** Seeds Bazhou's organisation (from seed 001 and GB/T 2260) and the demo accounts, in one transaction. */
export async function seedDemo(ctx: AppContext): Promise<{ units: number; users: number }> {
  const data = loadBazhou();
  const now = ctx.clock.now().toISOString();
  const units: OrgUnitTable[] = [];
  const aliases: { alias: string; unit_id: string; created_at: string }[] = [];
  const byKey = new Map<string, OrgUnitTable>();

  const unit = (
    key: string,
    parent: OrgUnitTable | null,
    name: string,
    type: OrgUnitType,
    extra: Partial<OrgUnitTable> = {},
  ): OrgUnitTable => {
    const id = uuidv7();
    const u: OrgUnitTable = {
      id,
      parent_id: parent?.id ?? null,
      path: `${parent?.path ?? '/'}${id}/`,
      depth: parent ? parent.depth + 1 : 0,
      name,
      short_name: null,
      type,
      region_code: null,
      sort: units.length,
      created_at: now,
      updated_at: now,
      ...extra,
    };
    units.push(u);
    byKey.set(key, u);
    return u;
  };

  const region = unit('region', null, data.region.name, 'region', { region_code: data.region.code });
  const committee = unit('committee', region, data.committee.name, 'committee', {
    short_name: data.committee.shortName,
  });
  const office = unit('office', committee, data.office.name, 'office', { short_name: data.office.shortName });
  aliases.push({ alias: data.office.shortName, unit_id: office.id, created_at: now });
  aliases.push({ alias: data.committee.shortName, unit_id: committee.id, created_at: now });
  const leadership = unit('leadership', committee, data.leadershipGroup.name, 'working_group');
  for (const wg of data.workingGroups) unit(wg.name, leadership, wg.name, 'working_group');

  const memberIds: string[] = [];
  const categoryIds = new Map<string, string[]>();
  for (const m of data.memberUnits) {
    // The office is both the committee's office and a member unit named in plans.
    const u = m.name === office.name ? office : unit(m.name, committee, m.name, 'member_unit');
    memberIds.push(u.id);
    categoryIds.set(m.category, [...(categoryIds.get(m.category) ?? []), u.id]);
    for (const a of m.aliases) {
      if (!aliases.some((x) => x.alias === a)) aliases.push({ alias: a, unit_id: u.id, created_at: now });
    }
  }
  const townshipIds: string[] = [];
  data.townships.forEach((t, i) => {
    const tu = unit(`township:${i}`, region, t.name, TOWNSHIP_TYPE, { region_code: t.code });
    townshipIds.push(tu.id);
    t.villages.forEach((v, j) => {
      unit(i === 0 && j === 0 ? 'village:0' : `village:${i}:${j}`, tu, v.name, 'village', {
        region_code: v.code,
      });
    });
  });

  const hash = await hashPassword(DEMO_PASSWORD);
  const users: UserTable[] = [];
  const roles: { user_id: string; role: string }[] = [];
  const person = (
    p: Partial<UserTable> & Pick<UserTable, 'display_name' | 'unit_id' | 'kind' | 'data_scope'>,
  ) => {
    const u = newUserRow({ id: uuidv7(), created_at: now, ...p });
    users.push(u);
    return u;
  };

  for (const a of DEMO_ACCOUNTS) {
    const home = byKey.get(a.unit);
    if (!home) throw new Error(`demo account ${a.username}: no unit ${a.unit}`);
    const u = person({
      username: a.username,
      display_name: a.displayName,
      title: a.title || null,
      unit_id: home.id,
      kind: ['volunteer', 'citizen', 'merchant'].includes(a.role) ? 'citizen' : 'staff',
      data_scope: a.scope,
      password_hash: hash,
      ...(a.phone ? { phone_enc: ctx.pii.encrypt(a.phone), phone_hash: ctx.pii.hash(a.phone) } : {}),
    });
    roles.push({ user_id: u.id, role: a.role });
  }

  // The leadership group's and working groups' positions, held by invented people (no sign-in).
  let n = 0;
  const staff = (unitKey: string, positions: Position[], role: Role) => {
    const home = byKey.get(unitKey) as OrgUnitTable;
    for (const p of positions) {
      for (let i = 0; i < p.count; i++) {
        const u = person({
          display_name: inventedName(n++),
          title: `${p.title}（${p.holderTitle}）`,
          unit_id: home.id,
          kind: 'staff',
          data_scope: 'all',
        });
        roles.push({ user_id: u.id, role });
      }
    }
  };
  staff('leadership', data.leadershipGroup.positions, 'leader');
  for (const wg of data.workingGroups) staff(wg.name, wg.positions, 'working_group');

  await writeTx(ctx, SYSTEM_ACTOR, async (tx) => {
    for (let i = 0; i < units.length; i += 100)
      await tx.db
        .insertInto('org_units')
        .values(units.slice(i, i + 100))
        .execute();
    await tx.db.insertInto('org_aliases').values(aliases).execute();
    for (const g of data.groups) {
      const id = uuidv7();
      await tx.db
        .insertInto('org_groups')
        .values({
          id,
          name: g.name,
          description: null,
          aliases: JSON.stringify(g.aliases),
          created_at: now,
          updated_at: now,
        })
        .execute();
      const members =
        g.members === 'townships'
          ? townshipIds
          : g.members === 'memberUnits'
            ? memberIds
            : (categoryIds.get(g.members) ?? []);
      await tx.db
        .insertInto('org_group_members')
        .values(members.map((unit_id) => ({ group_id: id, unit_id })))
        .execute();
    }
    for (let i = 0; i < users.length; i += 50)
      await tx.db
        .insertInto('users')
        .values(users.slice(i, i + 50))
        .execute();
    await tx.db.insertInto('user_roles').values(roles).execute();
    await tx.audit({
      action: 'system.seed.demo',
      entity: 'system',
      after: {
        units: units.length,
        aliases: aliases.length,
        users: users.length,
        source: 'seeds/001 + GB/T 2260',
      },
    });
  });
  return { units: units.length, users: users.length };
}
