/**
 * A small set of cases written straight into the database for the statistics and board tests, so every
 * expected figure is worked out by hand (see the table in tests/integration/cases-stats.test.ts).
 * Now is 2026-03-31T02:00Z (local 2026-03-31, a Tuesday; March 2026 has no holidays).
 */
import { uuidv7 } from '../../apps/server/src/db/ids.ts';
import type { CaseTable } from '../../apps/server/src/db/schema.ts';
import { type TestApp, unitId } from './app.ts';
import { caseRow } from './case-rows.ts';

export const NOW = '2026-03-31T02:00:00.000Z';

export interface CaseStatsFixture {
  cat: { A: string; N: string };
  unit: { H: string; Y: string; V: string; B: string };
  c: Record<'c1' | 'c2' | 'c3' | 'c4' | 'c5' | 'c6' | 'c7' | 'c8' | 'c9', string>;
  no: Record<string, string>;
  photo: { P1: string; P2: string; A1: string; P3: string };
  citizenId: string;
}

export async function seedCaseStats(t: TestApp): Promise<CaseStatsFixture> {
  const db = t.ctx.database.db;
  const now = NOW;
  const cat = { A: uuidv7(), N: uuidv7() };
  for (const [id, code, zh, en, pub, sort] of [
    [cat.A, 'zz_stats_a', '测试公开类', 'Test public', true, 901],
    [cat.N, 'zz_stats_n', '测试内部类', 'Test internal', false, 902],
  ] as const)
    await db
      .insertInto('case_categories')
      .values({
        id,
        code,
        name_zh: zh,
        name_en: en,
        description: '',
        sla_class: 'ordinary',
        photo_required: false,
        answer_review: false,
        public: pub,
        active: true,
        sort,
        created_at: now,
        updated_at: now,
      })
      .execute();
  const H = await unitId(t, '市卫生健康局');
  const Y = await unitId(t, '裕华街道');
  const B = await unitId(t, '霸州镇');
  const village = await db
    .selectFrom('org_units')
    .select('id')
    .where('parent_id', '=', Y)
    .orderBy('sort')
    .limit(1)
    .executeTakeFirstOrThrow();
  const V = village.id;
  const citizen = await db
    .selectFrom('users')
    .select('id')
    .where('username', '=', 'citizen')
    .executeTakeFirstOrThrow();

  const c = {
    c1: uuidv7(),
    c2: uuidv7(),
    c3: uuidv7(),
    c4: uuidv7(),
    c5: uuidv7(),
    c6: uuidv7(),
    c7: uuidv7(),
    c8: uuidv7(),
    c9: uuidv7(),
  };
  const no: Record<string, string> = {};
  let seq = 0;
  const insertCase = async (id: string, v: Partial<CaseTable>) => {
    seq++;
    const number = `SP-2026-${String(seq).padStart(6, '0')}`;
    no[id] = number;
    await db
      .insertInto('cases')
      .values(
        caseRow({
          id,
          no: number,
          category_id: cat.A,
          title: `诉求${seq}`,
          description: `描述${seq}`,
          address: `新华路${seq}号`,
          area_unit_id: V,
          reporter_id: citizen.id,
          contact_name: '张三丰',
          contact_phone_enc: 'enc:13912345678',
          contact_phone_hash: 'hash-13912345678',
          ip: '10.1.2.3',
          created_at: now,
          updated_at: now,
          ...v,
        }),
      )
      .execute();
  };
  const closed = (
    unit: string,
    created: string,
    dispatched: string,
    answered: string,
    closedAt: string,
    rating: number,
  ) => ({
    first_unit_id: unit,
    unit_id: unit,
    state: 'closed',
    created_at: created,
    dispatched_at: dispatched,
    answered_at: answered,
    closed_at: closedAt,
    answer: '已处理完毕',
    rating,
  });
  await insertCase(
    c.c1,
    closed(
      H,
      '2026-03-02T01:00:00.000Z',
      '2026-03-02T02:00:00.000Z',
      '2026-03-03T02:00:00.000Z',
      '2026-03-04T02:00:00.000Z',
      5,
    ),
  );
  await insertCase(c.c2, {
    ...closed(
      H,
      '2026-03-02T01:00:00.000Z',
      '2026-03-02T02:00:00.000Z',
      '2026-03-05T02:00:00.000Z',
      '2026-03-09T02:00:00.000Z',
      4,
    ),
    reopen_count: 1,
  });
  await insertCase(c.c3, {
    first_unit_id: H,
    unit_id: Y,
    state: 'processing',
    created_at: '2026-03-09T01:00:00.000Z',
    dispatched_at: '2026-03-10T02:00:00.000Z',
  });
  await insertCase(c.c4, {
    category_id: cat.N,
    public: false,
    first_unit_id: Y,
    unit_id: Y,
    state: 'rating',
    created_at: '2026-03-10T01:00:00.000Z',
    dispatched_at: '2026-03-11T02:00:00.000Z',
    answered_at: '2026-03-12T02:00:00.000Z',
  });
  await insertCase(c.c5, {
    first_unit_id: V,
    unit_id: V,
    state: 'dispatched',
    created_at: '2026-03-20T01:00:00.000Z',
    dispatched_at: '2026-03-20T02:00:00.000Z',
  });
  await insertCase(c.c6, {
    ...closed(
      B,
      '2026-03-05T01:00:00.000Z',
      '2026-03-05T02:00:00.000Z',
      '2026-03-20T02:00:00.000Z',
      '2026-03-21T02:00:00.000Z',
      3,
    ),
    kind: 'talk',
    level: 'township',
  });
  await insertCase(
    c.c7,
    closed(
      H,
      '2026-02-15T01:00:00.000Z',
      '2026-02-15T02:00:00.000Z',
      '2026-02-16T00:00:00.000Z',
      '2026-02-16T01:00:00.000Z',
      5,
    ),
  );
  await db.updateTable('cases').set({ rating: null }).where('id', '=', c.c7).execute();
  await insertCase(c.c8, { created_at: '2026-03-25T01:00:00.000Z' });
  await insertCase(c.c9, {
    ...closed(
      H,
      '2026-03-03T01:00:00.000Z',
      '2026-03-03T02:00:00.000Z',
      '2026-03-03T08:00:00.000Z',
      '2026-03-04T02:00:00.000Z',
      4,
    ),
    hidden: true,
    hidden_reason: '含个人信息',
  });

  const deadline = async (
    record: string,
    kind: string,
    unit: string,
    status: string,
    due: string,
    met: string | null,
  ) =>
    db
      .insertInto('deadlines')
      .values({
        id: uuidv7(),
        record_type: 'case',
        record_id: record,
        policy: 'case',
        kind,
        unit_id: unit,
        status,
        starts_at: '2026-03-01T00:00:00.000Z',
        due_at: due,
        original_due_at: due,
        round: 0,
        stage: 0,
        next_fire_at: null,
        met_at: met,
        created_at: now,
        updated_at: now,
      })
      .execute();
  await deadline(c.c1, 'answer', H, 'met', '2026-03-11T16:00:00.000Z', '2026-03-03T02:00:00.000Z');
  await deadline(c.c1, 'sign', H, 'met', '2026-03-02T03:00:00.000Z', '2026-03-03T00:00:00.000Z');
  await deadline(c.c2, 'answer', H, 'met', '2026-03-04T16:00:00.000Z', '2026-03-05T02:00:00.000Z');
  await deadline(c.c2, 'redo', H, 'met', '2026-03-20T16:00:00.000Z', '2026-03-08T02:00:00.000Z');
  await deadline(c.c3, 'answer', H, 'cancelled', '2026-03-18T16:00:00.000Z', null);
  await deadline(c.c3, 'answer', Y, 'open', '2026-03-20T16:00:00.000Z', null);
  await deadline(c.c4, 'answer', Y, 'met', '2026-03-20T16:00:00.000Z', '2026-03-12T02:00:00.000Z');
  await deadline(c.c5, 'answer', V, 'open', '2026-04-10T16:00:00.000Z', null);
  await deadline(c.c6, 'answer', B, 'met', '2026-03-10T16:00:00.000Z', '2026-03-20T02:00:00.000Z');
  await deadline(c.c9, 'answer', H, 'met', '2026-03-12T16:00:00.000Z', '2026-03-03T08:00:00.000Z');

  let r = 0;
  const rating = async (record: string, round: number, unit: string, score: number) =>
    db
      .insertInto('case_ratings')
      .values({
        id: uuidv7(),
        case_id: record,
        round,
        unit_id: unit,
        score,
        comment: `评价${++r}`,
        rated_by: citizen.id,
        created_at: now,
      })
      .execute();
  await rating(c.c1, 1, H, 5);
  await rating(c.c2, 1, H, 2);
  await rating(c.c2, 2, H, 4);
  await rating(c.c6, 1, B, 3);
  await rating(c.c9, 1, H, 4);

  // Photos: c1 has P1 (reported), P2 (reported, hidden by a moderator) and A1 (the answer's); c9 (a hidden
  // case) has P3.
  const photo = { P1: uuidv7(), P2: uuidv7(), A1: uuidv7(), P3: uuidv7() };
  let f = 0;
  for (const [id, caseId] of [
    [photo.P1, c.c1],
    [photo.P2, c.c1],
    [photo.A1, c.c1],
    [photo.P3, c.c9],
  ] as const) {
    f++;
    await db
      .insertInto('files')
      .values({
        id,
        sha256: String(f).repeat(64),
        size: 100,
        mime: 'image/jpeg',
        kind: 'image',
        original_name: `photo${f}.jpg`,
        analysis: 'done',
        uploaded_by: citizen.id,
        uploaded_at: now,
        width: 640,
        height: 480,
        taken_at: null,
        gps_lat: 39.1,
        gps_lng: 116.4,
        dhash: null,
        thumb_sha256: null,
        public_sha256: null,
      })
      .execute();
    await db
      .insertInto('file_links')
      .values({ file_id: id, record_type: 'case', record_id: caseId, linked_by: citizen.id, linked_at: now })
      .execute();
  }
  const history = async (record: string, seqNo: number, action: string, to: string, attachments: string[]) =>
    db
      .insertInto('workflow_history')
      .values({
        id: uuidv7(),
        record_type: 'case',
        record_id: record,
        seq: seqNo,
        at: now,
        actor_id: citizen.id,
        actor_name: '孙丽娟',
        actor_unit_id: null,
        from_state: null,
        action,
        to_state: to,
        note: null,
        payload: '{}',
        attachments: JSON.stringify(attachments),
      })
      .execute();
  await history(c.c1, 1, 'create', 'dispatched', [photo.P1, photo.P2]);
  await history(c.c1, 2, 'answer', 'rating', [photo.A1]);
  await history(c.c9, 1, 'create', 'dispatched', [photo.P3]);
  await db
    .insertInto('case_hidden_files')
    .values({ case_id: c.c1, file_id: photo.P2, reason: '拍到人脸', hidden_by: null, created_at: now })
    .execute();

  return { cat, unit: { H, Y, V, B }, c, no, photo, citizenId: citizen.id };
}
