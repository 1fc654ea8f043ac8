/**
 * The demo's citizen cases (issue #5): routing rules that send each township's cases to the township,
 * online rumours to the cyberspace office and breaches of trust to market supervision, and a dozen
 * cases from three residents in every state of the loop — closed with a before/after photo, rated
 * unsatisfied and reopened, overdue, waiting for the citizen's rating, unrouted in the office's queue,
 * merged as a duplicate. Each case is walked through the same services as the H5 and the console,
 * with the clock set back to the moment each step happened, so timelines and deadlines read true.
 */
import { ensureDefaultCategories } from '../modules/cases/categories.ts';
import { intakeCase } from '../modules/cases/intake.ts';
import { loadCase } from '../modules/cases/machine.ts';
import { actOnCase, createRule, setValidity } from '../modules/cases/service.ts';
import type { AppContext, Clock } from '../platform/context.ts';
import { saveUpload } from '../platform/files/service.ts';
import { sweepDeadlines } from '../platform/workflow/deadlines.ts';
import type { Caller } from '../platform/workflow/machine.ts';
import { callerOf, photo } from './demo-campaign.ts';

const HOUR = 3600_000;
const DAY = 24 * HOUR;

export interface DemoCasesResult {
  rules: number;
  cases: number;
}

interface Step {
  /** Hours after the case came in. */
  at: number;
  who: Caller;
  action: string;
  note?: string;
  payload?: Record<string, unknown>;
  /** Photo seeds to upload and attach (the answer's after photos). */
  photos?: number[];
}

interface DemoCase {
  /** Days before now the case came in (fractions allowed). */
  daysAgo: number;
  who: Caller;
  category: string;
  kind?: 'snapshot' | 'talk';
  level?: 'village' | 'township' | 'county';
  /** A township index and optionally a village index in the demo organisation; none: no area. */
  area?: { township: number; village?: number };
  address: string;
  description: string;
  anonymous?: boolean;
  photos: number[];
  steps: Step[];
}

/** Seeds the demo cases unless cases exist already; null when it did nothing. */
export async function seedDemoCases(ctx: AppContext): Promise<DemoCasesResult | null> {
  const db = ctx.database.db;
  if (await db.selectFrom('cases').select('id').limit(1).executeTakeFirst()) return null;
  await ensureDefaultCategories(ctx);
  const office = await callerOf(ctx, 'office_admin');
  const town = await callerOf(ctx, 'liaison_town');
  const citizen = await callerOf(ctx, 'citizen');
  const volunteer = await callerOf(ctx, 'volunteer');
  const merchant = await callerOf(ctx, 'merchant');

  const categories = new Map(
    (await db.selectFrom('case_categories').select(['id', 'code']).execute()).map((c) => [c.code, c.id]),
  );
  const category = (code: string) => {
    const id = categories.get(code);
    if (!id) throw new Error(`demo cases: no category ${code}`);
    return id;
  };
  const townships = await db
    .selectFrom('org_units')
    .select(['id', 'name'])
    .where('type', '=', 'township')
    .orderBy('sort')
    .execute();
  const villagesOf = (townshipId: string) =>
    db
      .selectFrom('org_units')
      .select(['id', 'name'])
      .where('parent_id', '=', townshipId)
      .where('type', '=', 'village')
      .orderBy('sort')
      .execute();
  const unitNamed = async (name: string) =>
    (await db.selectFrom('org_units').select('id').where('name', '=', name).executeTakeFirstOrThrow()).id;

  // Routing: each township's cases to the township (属地); rumours and breaches of trust reported without
  // a place to the departments in charge. Anything else without a place waits in the office's queue.
  const actor = { id: office.user.id, name: office.user.displayName, ip: null };
  let rules = 0;
  for (const t of townships) {
    await createRule(ctx, actor, { categoryId: null, areaUnitId: t.id, unitId: t.id, note: '属地管理' });
    rules++;
  }
  await createRule(ctx, actor, {
    categoryId: category('rumour'),
    areaUnitId: null,
    unitId: await unitNamed('市委网络安全和信息化委员会办公室'),
    note: '网络谣言由网信办处置',
  });
  await createRule(ctx, actor, {
    categoryId: category('integrity'),
    areaUnitId: null,
    unitId: await unitNamed('市市场监督管理局'),
    note: '诚信缺失由市场监管局核查',
  });
  rules += 2;

  const t0 = townships[0];
  const t0villages = await villagesOf(t0.id);
  const areaId = (a: DemoCase['area']) => {
    if (!a) return null;
    if (a.village === undefined) return townships[a.township].id;
    if (a.township !== 0) throw new Error('demo cases: villages only in the first township');
    return t0villages[a.village].id;
  };

  const cases: DemoCase[] = [
    {
      daysAgo: 12,
      who: citizen,
      category: 'environment',
      area: { township: 0, village: 0 },
      address: '村委会东侧排水沟',
      description: '村委会东侧排水沟堵塞，垃圾堆积发臭，夏天蚊蝇很多，希望尽快清理。',
      photos: [501],
      steps: [
        { at: 2, who: town, action: 'sign' },
        { at: 20, who: town, action: 'start' },
        {
          at: 50,
          who: town,
          action: 'answer',
          note: '已组织保洁人员清淤清运垃圾3车，并安排每周巡查一次。',
          photos: [502],
        },
        { at: 60, who: citizen, action: 'rate', payload: { score: 5, comment: '处理很快，谢谢！' } },
      ],
    },
    {
      daysAgo: 9,
      who: citizen,
      category: 'traffic',
      area: { township: 0 },
      address: '育才路小学门口',
      description: '育才路小学门口早晚接送时段车辆乱停乱放，经常堵塞，孩子过马路很危险。',
      photos: [503],
      steps: [
        { at: 1, who: town, action: 'sign' },
        { at: 30, who: town, action: 'answer', note: '已联系交警中队，上下学时段安排人员疏导。' },
        {
          at: 40,
          who: citizen,
          action: 'rate',
          payload: { score: 2, comment: '只来了两天，现在又乱停了。' },
        },
        { at: 44, who: citizen, action: 'reopen', note: '问题没有根本解决，请设置固定停车区域。' },
      ],
    },
    {
      daysAgo: 16,
      who: merchant,
      category: 'behaviour',
      area: { township: 0, village: 1 },
      address: '农贸市场南门',
      description: '农贸市场南门附近有商户长期占道经营，随意倾倒污水。',
      photos: [504],
      anonymous: true,
      steps: [{ at: 3, who: town, action: 'sign' }],
    },
    {
      daysAgo: 0.2,
      who: citizen,
      category: 'order',
      area: { township: 0, village: 2 },
      address: '文化广场',
      description: '文化广场晚上广场舞音响声音过大，影响周边居民休息。',
      photos: [],
      steps: [],
    },
    {
      daysAgo: 5,
      who: volunteer,
      category: 'environment',
      area: { township: 0, village: 0 },
      address: '村东头垃圾点',
      description: '村东头垃圾点垃圾满溢，已经三天没人清运了。',
      photos: [505],
      steps: [
        { at: 1, who: town, action: 'sign' },
        {
          at: 26,
          who: town,
          action: 'answer',
          note: '已协调环卫公司清运，并增加一个垃圾桶。',
          photos: [506],
        },
      ],
    },
    {
      daysAgo: 1,
      who: volunteer,
      category: 'other',
      kind: 'talk',
      level: 'county',
      address: '',
      description: '建议在城区增设几处公益性停车场，缓解老城区停车难问题。',
      photos: [],
      steps: [],
    },
    {
      daysAgo: 4,
      who: citizen,
      category: 'environment',
      area: { township: 0, village: 0 },
      address: '村委会东侧排水沟',
      description: '排水沟又堵了，和上次同一个地方。',
      photos: [507],
      steps: [],
    },
    {
      daysAgo: 0.05,
      who: merchant,
      category: 'rumour',
      address: '',
      description: '微信群里流传“自来水被污染不能喝”的消息，引起恐慌，请核实辟谣。',
      photos: [],
      steps: [],
    },
    {
      daysAgo: 11,
      who: volunteer,
      category: 'volunteer',
      area: { township: 1 },
      address: '敬老院',
      description: '敬老院需要志愿者周末陪护老人、理发，希望组织志愿服务。',
      photos: [],
      steps: [],
    },
    {
      daysAgo: 20,
      who: citizen,
      category: 'behaviour',
      area: { township: 0, village: 3 },
      address: '村口公交站',
      description: '公交站候车亭被人乱贴小广告，影响市容。',
      photos: [508],
      steps: [
        { at: 4, who: town, action: 'sign' },
        { at: 28, who: town, action: 'answer', note: '已清理小广告并张贴文明提示。', photos: [509] },
        { at: 36, who: citizen, action: 'rate', payload: { score: 4, comment: '清理干净了。' } },
      ],
    },
  ];

  const realClock: Clock = ctx.clock;
  const now = realClock.now().getTime();
  let at = now;
  ctx.clock = { now: () => new Date(at) };
  const ids: string[] = [];
  try {
    for (const [i, c] of cases.entries()) {
      const start = now - c.daysAgo * DAY;
      at = start;
      const photoIds: string[] = [];
      for (const seed of c.photos) {
        const bytes = await photo(seed);
        const meta = await saveUpload(
          ctx,
          { id: c.who.user.id, name: c.who.user.displayName, ip: null },
          { filename: `photo-${seed}.jpg`, bytes },
        );
        photoIds.push(meta.id);
      }
      const filed = await intakeCase(
        ctx,
        {
          kind: c.kind ?? 'snapshot',
          categoryId: category(c.category),
          description: c.description,
          level: c.level ?? null,
          areaUnitId: areaId(c.area),
          address: c.address,
          anonymous: c.anonymous ?? false,
          photoIds,
        },
        { caller: c.who, channel: 'h5', ip: null },
      );
      ids.push(filed.id);
      for (const s of c.steps) {
        at = Math.min(start + s.at * HOUR, now - 60_000);
        const attachments: string[] = [];
        for (const seed of s.photos ?? []) {
          const meta = await saveUpload(
            ctx,
            { id: s.who.user.id, name: s.who.user.displayName, ip: null },
            { filename: `after-${seed}.jpg`, bytes: await photo(seed) },
          );
          attachments.push(meta.id);
        }
        const record = await loadCase(db, filed.id);
        if (!record) throw new Error(`demo cases: case ${i} vanished`);
        await actOnCase(ctx, s.who, filed.id, {
          action: s.action,
          version: record.version,
          note: s.note ?? null,
          payload: s.payload,
          attachments: attachments.length ? attachments : undefined,
        });
      }
    }
    // The office's day: the county-level suggestion is sent on, the repeated drain report merged into
    // the first one, and the first report recognised as valid (its reporter will earn points).
    at = now - 2 * HOUR;
    const merged = await loadCase(db, ids[6]);
    if (merged) {
      await actOnCase(ctx, office, ids[6], {
        action: 'merge',
        version: merged.version,
        note: '与此前同一地点的排水沟堵塞诉求重复',
        payload: { originalId: ids[0] },
      });
    }
    await setValidity(ctx, office, ids[0], { valid: true, note: '问题属实，已整改' });
  } finally {
    ctx.clock = realClock;
  }
  // Deadlines that passed while the clock was set back fire now (the overdue report turns red).
  await sweepDeadlines(ctx);
  return { rules, cases: ids.length };
}
