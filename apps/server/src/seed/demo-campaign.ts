/**
 * The demo campaign (issue #4): seed 001 (Bazhou's 双争 plan) imported and activated, its dates moved so
 * that today falls two thirds into its main phase, and a few units' progress reports — accepted, waiting,
 * returned, one counting toward two tasks, one with a photo another unit already used — so the battle map
 * opens on a live mix of colours. Everything goes through the same services as the console and the H5.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { recolorInstances } from '../modules/campaigns/colors/recolor.ts';
import { actOnReport, createReport } from '../modules/campaigns/ledger/service.ts';
import { createCampaign } from '../modules/campaigns/service.ts';
import { activateCampaign } from '../modules/campaigns/tasks/lifecycle.ts';
import { loadAuthUser } from '../platform/auth/session.ts';
import { getCalendar } from '../platform/calendar/service.ts';
import type { AppContext } from '../platform/context.ts';
import { saveUpload } from '../platform/files/service.ts';
import { scopeOf } from '../platform/rbac/types.ts';
import { writeTx } from '../platform/tx.ts';
import type { Caller } from '../platform/workflow/machine.ts';
import { monthsToNow, rebasePlanText } from './rebase.ts';

/** Seed 001 as the source gives it (the parser's acceptance tests read the same file). */
const PLAN_FILE = path.join(
  import.meta.dirname,
  '../modules/campaigns/plan/fixtures/001_785ff53e928aa9e6.txt',
);
/** The plan's first month: its 动员部署 phase starts in September 2022. */
const PLAN_FIRST = { year: 2022, month: 9 };

/** A demo photo: coloured shapes (different seeds are different pictures to the near-duplicate check). */
export async function photo(seed: number): Promise<Buffer> {
  let s = seed * 2654435761;
  const rand = () => {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    return s / 0x7fffffff;
  };
  const shapes = Array.from({ length: 8 }, (_, i) => {
    const x = Math.round(rand() * 640);
    const y = Math.round(rand() * 480);
    const r = Math.round(40 + rand() * 120);
    const fill = `hsl(${Math.round(rand() * 360)},60%,${Math.round(35 + rand() * 30)}%)`;
    return i % 2 === 0
      ? `<circle cx="${x}" cy="${y}" r="${r}" fill="${fill}"/>`
      : `<rect x="${x - r}" y="${y - r / 2}" width="${2 * r}" height="${r}" fill="${fill}"/>`;
  });
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="640" height="480"><rect width="640" height="480" fill="hsl(${(seed * 47) % 360},40%,85%)"/>${shapes.join('')}</svg>`;
  return sharp(Buffer.from(svg)).jpeg({ quality: 80 }).toBuffer();
}

export async function callerOf(ctx: AppContext, username: string): Promise<Caller> {
  const row = await ctx.database.db
    .selectFrom('users')
    .select('id')
    .where('username', '=', username)
    .executeTakeFirstOrThrow();
  const user = await loadAuthUser(ctx.database.db, row.id);
  if (!user) throw new Error(`demo campaign: no user ${username}`);
  return { user, scope: scopeOf(user), ip: null };
}

const actorOf = (c: Caller) => ({ id: c.user.id, name: c.user.displayName, ip: null });

export interface DemoCampaignResult {
  campaignId: string;
  instances: number;
  reports: number;
}

/** Imports and fills the demo campaign unless a campaign exists already. */
export async function seedDemoCampaign(ctx: AppContext): Promise<DemoCampaignResult | null> {
  const db = ctx.database.db;
  if (await db.selectFrom('campaigns').select('id').limit(1).executeTakeFirst()) return null;
  const cal = await getCalendar(ctx);
  const today = cal.localDate(ctx.clock.now());
  const shift = monthsToNow(PLAN_FIRST.year, PLAN_FIRST.month, today);
  const text = rebasePlanText(readFileSync(PLAN_FILE, 'utf8'), shift);
  const year = Math.floor((PLAN_FIRST.year * 12 + PLAN_FIRST.month - 1 + shift) / 12);

  const office = await callerOf(ctx, 'office_admin');
  const campaign = await createCampaign(ctx, actorOf(office), office.scope, {
    name: `霸州市“双争”活动（${year}）`,
    year,
    text,
  });
  const { instances } = await activateCampaign(ctx, actorOf(office), office.scope, campaign.id);

  const health = await callerOf(ctx, 'liaison');
  const town = await callerOf(ctx, 'liaison_town');
  const publicity = await callerOf(ctx, 'liaison_xcb');

  /** The open instances of a unit for the activities numbered n (earliest cycle first). */
  const instancesOf = async (caller: Caller, numeral: string) =>
    (
      await db
        .selectFrom('task_instances as i')
        .innerJoin('campaign_activities as a', 'a.id', 'i.activity_id')
        .select(['i.id', 'i.cycle', 'i.due_on'])
        .where('i.campaign_id', '=', campaign.id)
        .where('i.unit_id', '=', caller.user.unitId ?? '')
        .where('a.numeral', '=', numeral)
        .orderBy('i.due_on')
        .execute()
    ).map((r) => r.id);

  const upload = async (caller: Caller, name: string, bytes: Buffer) =>
    (await saveUpload(ctx, actorOf(caller), { filename: name, bytes })).id;

  let reports = 0;
  const report = async (
    caller: Caller,
    summary: string,
    items: { instanceId: string; amounts: number[] }[],
    fileIds: string[],
    outcome: 'submitted' | 'accepted' | 'returned',
  ): Promise<string> => {
    const r = await createReport(ctx, caller, { campaignId: campaign.id, summary, items, fileIds });
    const submitted = await actOnReport(ctx, caller, r.id, { action: 'submit', version: r.version });
    reports++;
    if (outcome === 'accepted')
      await actOnReport(ctx, office, r.id, {
        action: 'accept',
        version: submitted.version,
        note: '材料齐全，予以通过。',
      });
    if (outcome === 'returned')
      await actOnReport(ctx, office, r.id, {
        action: 'return',
        version: submitted.version,
        note: '照片未体现活动现场，请补充活动签到表和现场照片。',
      });
    return r.id;
  };

  const square = await photo(1);
  const lecture = await photo(2);
  const health11 = await instancesOf(health, '11.');
  await report(
    health,
    '在人民公园、市民广场开展“文明健康 有你有我”健康知识宣传6场，发放宣传册2000余份，义诊咨询300余人次。',
    [{ instanceId: health11[0], amounts: [] }],
    [await upload(health, '健康宣传活动现场.jpg', square)],
    'accepted',
  );
  const health14 = await instancesOf(health, '14.');
  await report(
    health,
    '推荐“最美医生”候选人3名，已完成事迹材料整理，待市文明办审核。',
    [{ instanceId: health14[0], amounts: [] }],
    [await upload(health, '最美医生推荐会.jpg', lecture)],
    'submitted',
  );

  // The township reuses the health bureau's photo: the reviewer sees it flagged beside the original.
  const town11 = await instancesOf(town, '11.');
  await report(
    town,
    '组织各村开展环境卫生大扫除和健康生活方式宣传，覆盖全镇村街。',
    [{ instanceId: town11[0], amounts: [] }],
    [await upload(town, 'IMG_20260915.jpg', square)],
    'submitted',
  );
  const town6 = await instancesOf(town, '6.');
  const returned = await report(
    town,
    '召开移风易俗工作推进会。',
    [{ instanceId: town6[0], amounts: [] }],
    [],
    'returned',
  );

  const pub1 = await instancesOf(publicity, '1.');
  await report(
    publicity,
    '举办“奋进新征程 建功新时代”主题宣讲12场，市委党校专家授课，覆盖党员干部1500余人次。',
    [{ instanceId: pub1[0], amounts: [] }],
    [await upload(publicity, '主题宣讲.jpg', await photo(3))],
    'accepted',
  );
  const pub2 = await instancesOf(publicity, '2.');
  await report(
    publicity,
    '梳理党史学习教育主题参观线路1条（胜芳古镇—红色教育基地），已组织参观4批次。',
    [{ instanceId: pub2[0], amounts: [1] }],
    [await upload(publicity, '参观线路.jpg', await photo(4))],
    'accepted',
  );
  // One report, two tasks: a single event counted for 13 and 14 (report once, count everywhere).
  const pub13 = await instancesOf(publicity, '13.');
  const pub14 = await instancesOf(publicity, '14.');
  await report(
    publicity,
    '“我和我的家乡·身边的榜样”融媒体专栏上线，发布家乡变化和身边榜样稿件20篇。',
    [
      { instanceId: pub13[0], amounts: [] },
      { instanceId: pub14[0], amounts: [] },
    ],
    [await upload(publicity, '融媒体专栏.jpg', await photo(5))],
    'accepted',
  );
  // The quarterly task's latest cycle is reported; an earlier cycle left empty is overdue (red).
  const pub12 = await instancesOf(publicity, '12.');
  if (pub12.length > 1)
    await report(
      publicity,
      '本季度开展“争当文明市民”主题实践活动，评选文明市民20名。',
      [{ instanceId: pub12[pub12.length - 1], amounts: [] }],
      [],
      'submitted',
    );

  // The returned report has waited a week: move its return back so the ledger shows it overdue for
  // resubmission (yellow) today, as an office would find it.
  const weekAgo = new Date(ctx.clock.now().getTime() - 7 * 86_400_000).toISOString();
  await writeTx(ctx, actorOf(office), async (tx) => {
    await tx.db
      .updateTable('ledger_reports')
      .set({ reviewed_at: weekAgo })
      .where('id', '=', returned)
      .execute();
    await tx.db
      .updateTable('workflow_history')
      .set({ at: weekAgo })
      .where('record_id', '=', returned)
      .where('action', '=', 'return')
      .execute();
    await recolorInstances(tx, cal, { instanceIds: town6 }, 'review');
    await tx.audit({
      action: 'system.seed.demo_campaign',
      entity: 'campaign',
      entityId: campaign.id,
      after: { shift, reports },
    });
  });
  return { campaignId: campaign.id, instances, reports };
}
