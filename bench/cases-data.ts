// Generates the citizen-case dataset of bench/cases.ts into a fresh database, in its own process:
//
//   1. migrate and seed the Bazhou demo exactly as the server's first start does (main.ts), and the
//      default case categories;
//   2. generated villages under the demo townships (up to `villagesPerTownship` each), citizen accounts
//      (the reporters) with their phones, a signed-in session for some of them (the intake benchmark
//      files each report as the next of them), and routing rules: each category to a member unit, a
//      few of them overridden per township;
//   3. `cases` rows spread like a county's two years of reports: 随手拍 mostly, 说事, 12345 and Open311;
//      8 categories with uneven shares; areas skewed towards the bigger townships; handled by member
//      units, townships and villages; created over the two years before now, with more lately; old cases
//      closed (a few merged or rejected), recent ones in every state; open cases dispatched before their
//      answer deadline was due are overdue (red). Numbers per series and year, and the `sequences`
//      counters set past them so new reports continue the series.
//
// Not generated (the list does not read them): workflow history, deadlines, notifications, photos and
// ratings of the generated cases. Bulk rows go in by direct SQL like bench/campaigns-data.ts: SQLite in
// one transaction through a prepared statement; PostgreSQL as INSERT … SELECT FROM unnest(arrays),
// 20,000 rows per statement, then ANALYZE. Reads WENMING_DATA_DIR / DATABASE_URL like the server and
// BENCH_CASES_SCALE (full | small). Prints one line `BENCH_CASES_DATA {json}` (CasesGeneration) and
// writes the fixture file (CasesFixtures) into the data dir.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { loadConfig } from '../apps/server/src/config.ts';
import { uuidv7 } from '../apps/server/src/db/ids.ts';
import { int } from '../apps/server/src/db/normalize.ts';
import { ensureDefaultCategories } from '../apps/server/src/modules/cases/categories.ts';
import { type CaseSeries, formatCaseNo } from '../apps/server/src/modules/cases/numbers.ts';
import { SYSTEM_ACTOR } from '../apps/server/src/platform/audit/audit.ts';
import { createSession } from '../apps/server/src/platform/auth/session.ts';
import { createContext } from '../apps/server/src/platform/bootstrap.ts';
import { createLogger } from '../apps/server/src/platform/log.ts';
import { writeTx } from '../apps/server/src/platform/tx.ts';
import { seedDemo } from '../apps/server/src/seed/demo.ts';
import { type CasesFixtures, type CasesGeneration, casesScale } from './cases-shared.ts';
import { databaseBytes } from './database-size.ts';

const BLOCK = 20_000;
const DAY = 86_400_000;
const HOUR = 3_600_000;
/** Two years of reports, ending now. */
const SPAN_DAYS = 730;

/** mulberry32: a small seeded generator, so every run builds the same data. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Picks from `items` with the given weights. */
function weighted<T>(rand: () => number, items: readonly (readonly [T, number])[]): () => T {
  const total = items.reduce((s, [, w]) => s + w, 0);
  const cum: number[] = [];
  let acc = 0;
  for (const [, w] of items) {
    acc += w / total;
    cum.push(acc);
  }
  return () => {
    const x = rand();
    for (let i = 0; i < cum.length; i++) if (x < cum[i]) return items[i][0];
    return items[items.length - 1][0];
  };
}

const CATEGORY_SHARES: Record<string, number> = {
  environment: 30,
  traffic: 20,
  behaviour: 15,
  order: 10,
  other: 10,
  volunteer: 7,
  integrity: 5,
  rumour: 3,
};

const PROBLEMS: Record<string, string[]> = {
  environment: [
    '路边垃圾堆放多日无人清理，气味很大，影响居民出行',
    '小区门口污水外溢，路面结冰，老人孩子容易滑倒',
    '绿化带被毁种菜，黄土裸露，刮风时扬尘严重',
    '街边小广告乱贴乱画，墙面脏乱，影响市容',
  ],
  traffic: [
    '路口红绿灯损坏，早晚高峰车辆拥堵，存在安全隐患',
    '机动车长期占用人行道停放，行人只能走机动车道',
    '学校门口接送车辆乱停乱放，交通秩序混乱',
    '电动车逆行闯红灯现象突出，希望加强管理',
  ],
  behaviour: [
    '有人在公园内随地吐痰、乱扔烟头，劝阻无效',
    '广场舞音响声音过大，夜间十点后仍未停止',
    '遛狗不牵绳不清理粪便，多次发生惊吓行人事件',
    '公交站台有人插队吵闹，秩序混乱',
  ],
  order: [
    '集贸市场摊位占道经营，消防通道被堵塞',
    '夜市油烟噪声扰民，附近居民无法休息',
    '楼道内堆放杂物，存在火灾隐患',
  ],
  other: ['村内路灯不亮已有半月，夜间出行不便', '希望在社区增设便民健身器材', '公共厕所无人管理，卫生条件差'],
  volunteer: [
    '独居老人需要志愿者定期上门帮助打扫卫生',
    '社区图书室需要志愿者周末值守',
    '希望组织志愿者清理河道周边垃圾',
  ],
  integrity: ['商户缺斤短两，消费者多次反映未解决', '装修公司收取定金后不施工也不退款'],
  rumour: ['网络上流传本地停水停电的不实消息，引起群众恐慌', '有人在群里散布虚假招工信息骗取押金'],
};

const SERIES_OF = (kind: string, channel: string): CaseSeries =>
  channel === 'hotline' ? 'RX' : channel === 'open311' ? 'OP' : kind === 'talk' ? 'SS' : 'SP';

/** The answer deadline's length by SLA class, in calendar time (working days ≈ 7/5 calendar days). */
const ANSWER_MS: Record<string, number> = { emergency: 2 * HOUR, ordinary: 10 * DAY, complex: 21 * DAY };

const CASE_COLS = [
  'id',
  'no',
  'kind',
  'channel',
  'level',
  'category_id',
  'sla_class',
  'answer_review',
  'title',
  'description',
  'address',
  'lat',
  'lng',
  'area_unit_id',
  'reporter_id',
  'anonymous',
  'contact_name',
  'contact_phone_enc',
  'contact_phone_hash',
  'ip',
  'first_unit_id',
  'unit_id',
  'returned_by_unit_id',
  'state',
  'version',
  'sla_color',
  'due_at',
  'answer',
  'rating',
  'rating_comment',
  'reopen_count',
  'duplicate_of',
  'public',
  'hidden',
  'hidden_reason',
  'valid',
  'follower_count',
  'external_source',
  'external_no',
  'external_hash',
  'dispatched_at',
  'signed_at',
  'answered_at',
  'rated_at',
  'closed_at',
  'created_at',
  'updated_at',
] as const;
type Col = (typeof CASE_COLS)[number];
type Row = Record<Col, string | number | boolean | null>;

const PG_TYPE: Partial<Record<Col, string>> = {
  lat: 'float8[]',
  lng: 'float8[]',
  version: 'int[]',
  rating: 'int[]',
  reopen_count: 'int[]',
  follower_count: 'int[]',
  answer_review: 'bool[]',
  anonymous: 'bool[]',
  public: 'bool[]',
  hidden: 'bool[]',
  valid: 'bool[]',
};

async function main(): Promise<void> {
  const t0 = performance.now();
  const scale = casesScale(process.env.BENCH_CASES_SCALE);
  const config = loadConfig({ ...process.env, LOG_LEVEL: 'warn' });
  const ctx = await createContext(config, createLogger('warn'));
  const { db } = ctx.database;
  const engine = ctx.database.engine;
  const nowMs = Date.now();
  const now = new Date(nowMs).toISOString();
  try {
    await seedDemo(ctx);
    await ensureDefaultCategories(ctx);
    const tSeed = performance.now();
    const rand = prng(20261122);

    // ---- villages, citizens, sessions, routing rules ------------------------------------------------
    const townships = await db
      .selectFrom('org_units')
      .select(['id', 'name', 'path', 'depth'])
      .where('type', '=', 'township')
      .orderBy('sort')
      .execute();
    const villages = await db
      .selectFrom('org_units')
      .select(['id', 'parent_id', 'name'])
      .where('type', '=', 'village')
      .execute();
    const members = await db
      .selectFrom('org_units')
      .select(['id', 'name'])
      .where('type', '=', 'member_unit')
      .orderBy('sort')
      .execute();
    if (townships.length === 0 || members.length === 0)
      throw new Error('the demo has no townships or member units');
    const newVillages: {
      id: string;
      parent_id: string;
      path: string;
      depth: number;
      name: string;
      short_name: null;
      type: string;
      region_code: null;
      sort: number;
      created_at: string;
      updated_at: string;
    }[] = [];
    for (const t of townships) {
      const have = villages.filter((v) => v.parent_id === t.id).length;
      for (let k = have; k < scale.villagesPerTownship; k++) {
        const id = uuidv7();
        newVillages.push({
          id,
          parent_id: t.id,
          path: `${t.path}${id}/`,
          depth: int(t.depth) + 1,
          name: `${t.name.replace(/(镇|乡|街道|办事处)$/, '')}基准村 ${k + 1}`,
          short_name: null,
          type: 'village',
          region_code: null,
          sort: 1000 + k,
          created_at: now,
          updated_at: now,
        });
      }
    }
    const categories = await db
      .selectFrom('case_categories')
      .select(['id', 'code', 'sla_class', 'public'])
      .execute();
    const citizenIds = Array.from({ length: scale.citizens }, () => uuidv7());
    const phones = citizenIds.map((_, i) => `139${String(10_000_000 + i).slice(-8)}`);
    const phoneEnc = phones.map((p) => ctx.pii.encrypt(p));
    const phoneHash = phones.map((p) => ctx.pii.hash(p));
    const allVillages = [
      ...villages.map((v) => ({ id: v.id, parent_id: v.parent_id as string })),
      ...newVillages,
    ];
    const rules: { category: string; unit: string; area: string | null }[] = [];
    await writeTx(ctx, SYSTEM_ACTOR, async (tx) => {
      for (let i = 0; i < newVillages.length; i += 200)
        await tx.db
          .insertInto('org_units')
          .values(newVillages.slice(i, i + 200))
          .execute();
      for (let i = 0; i < citizenIds.length; i += 200) {
        const ids = citizenIds.slice(i, i + 200);
        await tx.db
          .insertInto('users')
          .values(
            ids.map((id, k) => ({
              id,
              username: null,
              display_name: `基准群众 ${i + k + 1}`,
              title: null,
              unit_id: allVillages[(i + k) % allVillages.length].id,
              kind: 'citizen',
              data_scope: 'own',
              status: 'active',
              password_hash: null,
              must_change_password: false,
              failed_logins: 0,
              locked_until: null,
              phone_enc: phoneEnc[i + k],
              phone_hash: phoneHash[i + k],
              id_card_enc: null,
              id_card_hash: null,
              totp_secret_enc: null,
              totp_enabled: false,
              totp_last_step: null,
              password_changed_at: null,
              created_at: now,
              updated_at: now,
            })),
          )
          .execute();
        await tx.db
          .insertInto('user_roles')
          .values(ids.map((id) => ({ user_id: id, role: 'citizen' })))
          .execute();
      }
      // Each category goes to a member unit; for the first three townships 市容环境 goes to the township.
      const ruleRows = categories.map((c, i) => ({
        id: uuidv7(),
        category_id: c.id,
        area_unit_id: null as string | null,
        unit_id: members[(i * 5) % members.length].id,
        note: '基准测试分拨规则',
        created_by: null,
        created_at: now,
        updated_at: now,
      }));
      const env = categories.find((c) => c.code === 'environment');
      if (env)
        for (const t of townships.slice(0, 3))
          ruleRows.push({
            ...ruleRows[0],
            id: uuidv7(),
            category_id: env.id,
            area_unit_id: t.id,
            unit_id: t.id,
          });
      await tx.db.insertInto('case_routing_rules').values(ruleRows).execute();
      for (const r of ruleRows)
        rules.push({ category: r.category_id as string, unit: r.unit_id, area: r.area_unit_id });
      await tx.audit({
        action: 'bench.generate',
        entity: 'case',
        entityId: null,
        after: { villages: newVillages.length, citizens: citizenIds.length, rules: ruleRows.length },
      });
    });
    const sessions: CasesFixtures['citizens'] = [];
    for (let i = 0; i < scale.sessions; i++) {
      const s = await createSession(ctx, citizenIds[i], '127.0.0.1', 'wenming-bench');
      sessions.push({ cookie: `wm_session=${s.token}`, csrf: s.csrfToken });
    }
    const tStructure = performance.now();

    // ---- the cases ---------------------------------------------------------------------------------
    const byCode = new Map(categories.map((c) => [c.code, c]));
    const pickCategory = weighted(
      rand,
      categories.map((c) => [c, CATEGORY_SHARES[c.code] ?? 5] as const),
    );
    // Bigger townships get more reports (weights 1/(k+1)^0.7); a case's area is a village four times in five.
    const townshipVillages = new Map(
      townships.map((t) => [t.id, allVillages.filter((v) => v.parent_id === t.id)]),
    );
    const pickTownship = weighted(
      rand,
      townships.map((t, k) => [t, 1 / (k + 1) ** 0.7] as const),
    );
    const pickChannel = weighted(rand, [
      ['h5', 70],
      ['hotline', 20],
      ['console', 7],
      ['open311', 3],
    ] as const);
    const ruleUnit = (categoryId: string, townshipId: string) =>
      (
        rules.find((r) => r.category === categoryId && r.area === townshipId) ??
        rules.find((r) => r.category === categoryId && r.area === null)
      )?.unit ?? null;
    const counters = new Map<string, number>();
    const byState: Record<string, number> = {};
    let overdue = 0;
    const fixtureNos: string[] = [];
    // Created times: the last two years, denser lately (the service grew): t = now − span·(1 − u^0.8).
    const createdMs = Array.from(
      { length: scale.cases },
      () => nowMs - SPAN_DAYS * DAY * (1 - rand() ** 0.8),
    );
    createdMs.sort((a, b) => a - b);

    function* blocks(): Generator<Row[]> {
      let block: Row[] = [];
      for (let i = 0; i < scale.cases; i++) {
        const created = createdMs[i];
        const ageDays = (nowMs - created) / DAY;
        const category = pickCategory();
        const channel = pickChannel();
        const kind = channel === 'h5' && rand() < 0.25 ? 'talk' : 'snapshot';
        const township = pickTownship();
        const vs = townshipVillages.get(township.id) ?? [];
        const village = vs.length && rand() < 0.8 ? vs[Math.floor(rand() * vs.length)] : null;
        const areaId = village?.id ?? township.id;
        const level =
          kind === 'talk'
            ? rand() < 0.6
              ? 'village'
              : rand() < 0.7
                ? 'township'
                : 'county'
            : village
              ? 'village'
              : 'township';
        // State by age: the older, the more likely finished.
        const x = rand();
        const openShare = ageDays < 3 ? 0.9 : ageDays < 15 ? 0.5 : ageDays < 60 ? 0.12 : 0.01;
        let state: string;
        if (x < openShare) {
          const y = rand();
          state =
            y < 0.12
              ? 'pending'
              : y < 0.3
                ? 'dispatched'
                : y < 0.45
                  ? 'signed'
                  : y < 0.8
                    ? 'processing'
                    : y < 0.86
                      ? 'answered'
                      : y < 0.96
                        ? 'rating'
                        : 'unsatisfied';
        } else {
          const y = rand();
          state = y < 0.92 ? 'closed' : y < 0.96 ? 'merged' : 'rejected';
        }
        byState[state] = (byState[state] ?? 0) + 1;
        const handled = state !== 'pending' && state !== 'rejected' && !(state === 'merged' && rand() < 0.5);
        const routed = ruleUnit(category.id as string, township.id);
        const unitId = handled
          ? rand() < 0.6
            ? (routed ?? members[Math.floor(rand() * members.length)].id)
            : rand() < 0.75
              ? township.id
              : areaId
          : null;
        const returnedBy =
          state === 'pending' && rand() < 0.1 ? members[Math.floor(rand() * members.length)].id : null;
        const dispatched = unitId ? created + rand() * 6 * HOUR : null;
        const signed = dispatched && state !== 'dispatched' ? dispatched + rand() * 12 * HOUR : null;
        const answerMs = ANSWER_MS[category.sla_class as string] ?? 10 * DAY;
        const dueMs = dispatched ? dispatched + answerMs : null;
        const answeredStates = ['answered', 'rating', 'unsatisfied', 'closed'];
        const answered =
          signed && answeredStates.includes(state) ? Math.min(nowMs, signed + rand() * answerMs) : null;
        const closed = state === 'closed' && answered ? Math.min(nowMs, answered + rand() * 3 * DAY) : null;
        const rated = closed || state === 'unsatisfied' ? (closed ?? answered) : null;
        const open =
          ['dispatched', 'signed', 'processing', 'unsatisfied'].includes(state) ||
          (state === 'pending' && returnedBy);
        const due = open && dueMs ? dueMs : null;
        let slaColor = 'green';
        if (due !== null && due < nowMs) {
          slaColor = 'red';
          overdue++;
        } else if (due !== null && due - nowMs < DAY) slaColor = 'yellow';
        else if (closed && answered && dueMs && answered > dueMs) slaColor = 'red';
        const year = new Date(created + 8 * HOUR).getUTCFullYear();
        const series = SERIES_OF(kind, channel);
        const key = `case:${series}:${year}`;
        const n = (counters.get(key) ?? 0) + 1;
        counters.set(key, n);
        const no = formatCaseNo(series, year, n);
        if (i % Math.max(1, Math.floor(scale.cases / 50)) === 0) fixtureNos.push(no);
        const citizen = channel === 'h5' ? Math.floor(rand() * scale.citizens) : -1;
        const problems = PROBLEMS[category.code as string] ?? PROBLEMS.other;
        const description = `${problems[Math.floor(rand() * problems.length)]}（${village ? '村' : '镇'}内第 ${1 + (i % 97)} 处）。`;
        const lastChange = closed ?? rated ?? answered ?? signed ?? dispatched ?? created;
        const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
        block.push({
          id: uuidv7(),
          no,
          kind,
          channel,
          level,
          category_id: category.id as string,
          sla_class: category.sla_class as string,
          answer_review: false,
          title: Array.from(description).slice(0, 30).join(''),
          description,
          address: `${township.name}${1 + Math.floor(rand() * 200)}号附近`,
          lat: kind === 'snapshot' ? 38.95 + rand() * 0.3 : null,
          lng: kind === 'snapshot' ? 116.2 + rand() * 0.5 : null,
          area_unit_id: areaId,
          reporter_id: citizen >= 0 ? citizenIds[citizen] : null,
          anonymous: citizen >= 0 && rand() < 0.15,
          contact_name: citizen >= 0 ? null : `来电人${1 + (i % 500)}`,
          contact_phone_enc: phoneEnc[citizen >= 0 ? citizen : i % phoneEnc.length],
          contact_phone_hash: phoneHash[citizen >= 0 ? citizen : i % phoneHash.length],
          ip: channel === 'h5' ? `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}` : null,
          first_unit_id: unitId,
          unit_id: unitId,
          returned_by_unit_id: returnedBy,
          state,
          version: 1 + (signed ? 1 : 0) + (answered ? 1 : 0) + (closed ? 1 : 0),
          sla_color: slaColor,
          due_at: iso(due),
          answer: answered ? '已安排人员现场处理，问题已解决。' : null,
          rating: rated ? (state === 'unsatisfied' ? 2 : 3 + Math.floor(rand() * 3)) : null,
          rating_comment: rated ? '' : null,
          reopen_count: 0,
          duplicate_of: null,
          public: Boolean(category.public),
          hidden: rand() < 0.005,
          hidden_reason: null,
          valid: closed ? rand() < 0.9 : null,
          follower_count: rand() < 0.05 ? 1 + Math.floor(rand() * 5) : 0,
          external_source: channel === 'hotline' ? '12345' : null,
          external_no: channel === 'hotline' ? `BZ${year}${String(n).padStart(8, '0')}` : null,
          external_hash: channel === 'hotline' ? 'bench' : null,
          dispatched_at: iso(dispatched),
          signed_at: iso(signed),
          answered_at: iso(answered),
          rated_at: iso(rated),
          closed_at: iso(closed),
          created_at: iso(created) as string,
          updated_at: iso(lastChange) as string,
        });
        if (block.length >= BLOCK) {
          yield block;
          block = [];
        }
      }
      if (block.length) yield block;
    }

    if (engine === 'sqlite') {
      const raw = ctx.database.sqlite;
      if (!raw) throw new Error('SQLite without its driver handle');
      // A million rows into a dozen indexes in random key order: with the default 2 MB page cache every
      // insert spills pages to the WAL. 512 MB for the load, then back to the default.
      const cacheSize = raw.pragma('cache_size', { simple: true });
      raw.pragma('cache_size = -524288');
      const ins = raw.prepare(
        `insert into cases (${CASE_COLS.join(', ')}) values (${CASE_COLS.map(() => '?').join(', ')})`,
      );
      raw.transaction(() => {
        for (const b of blocks())
          for (const r of b)
            ins.run(CASE_COLS.map((c) => (typeof r[c] === 'boolean' ? (r[c] ? 1 : 0) : r[c])));
      })();
      raw.pragma(`cache_size = ${Number(cacheSize)}`);
    } else {
      for (const b of blocks())
        await sql`insert into cases (${sql.join(CASE_COLS.map((c) => sql.ref(c)))})
          select * from unnest(${sql.join(
            CASE_COLS.map((c) => sql`${b.map((r) => r[c])}::${sql.raw(PG_TYPE[c] ?? 'text[]')}`),
          )})`.execute(db);
    }
    // New reports continue each series after the generated numbers.
    for (const [name, value] of counters)
      await db
        .insertInto('sequences')
        .values({ name, value })
        .onConflict((oc) => oc.column('name').doUpdateSet({ value }))
        .execute();
    const tBulk = performance.now();
    if (engine === 'postgres') await sql`analyze`.execute(db);
    const tAnalyze = performance.now();

    // ---- fixtures ----------------------------------------------------------------------------------
    const busiest = await db
      .selectFrom('cases')
      .select(['unit_id', (eb) => eb.fn.countAll().as('n')])
      .where(
        'unit_id',
        'in',
        members.map((m) => m.id),
      )
      .groupBy('unit_id')
      .orderBy('n', 'desc')
      .limit(1)
      .executeTakeFirstOrThrow();
    const unit = members.find((m) => m.id === busiest.unit_id) ?? members[0];
    const township = townships[1] ?? townships[0];
    const village = townshipVillages.get(township.id)?.[0] ?? allVillages[0];
    const photoCategory = byCode.get('environment') ?? categories[0];
    const filterCategory = byCode.get('traffic') ?? categories[0];
    const no = fixtureNos[Math.floor(fixtureNos.length / 2)];
    const fixtures: CasesFixtures = {
      citizens: sessions,
      intakeCategoryId: photoCategory.id,
      intakeAreaId: (townshipVillages.get(townships[townships.length - 1].id)?.[0] ?? village).id,
      filters: {
        unitId: unit.id,
        unitName: unit.name,
        townshipId: township.id,
        townshipName: township.name,
        villageId: village.id,
        categoryId: filterCategory.id,
        categoryCode: filterCategory.code,
        noPrefix: no.slice(0, 10),
        no,
      },
    };
    const fixtureFile = path.join(config.dataDir, 'bench-cases-fixtures.json');
    writeFileSync(fixtureFile, JSON.stringify(fixtures));
    const result: CasesGeneration = {
      engine: engine === 'postgres' ? 'PostgreSQL' : 'SQLite',
      scale: scale.name,
      cases: scale.cases,
      casesByState: byState,
      overdue,
      areas: townships.length + allVillages.length,
      citizens: scale.citizens,
      seconds: {
        seed: (tSeed - t0) / 1000,
        structure: (tStructure - tSeed) / 1000,
        bulk: (tBulk - tStructure) / 1000,
        analyze: (tAnalyze - tBulk) / 1000,
        total: (tAnalyze - t0) / 1000,
      },
      fixtureFile,
      databaseBytes: await databaseBytes(ctx.database, config.dataDir),
    };
    console.log(`BENCH_CASES_DATA ${JSON.stringify(result)}`);
  } finally {
    await ctx.database.close();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
