/**
 * Automatic supervision: a task instance turning yellow or orange gets a reminder (催办), one turning red a
 * supervision notice (督办单, DB-YYYY-NNNN). The colour hook only hears real changes, so each colour
 * episode is supervised once: yellow → blue → yellow reminds twice, red staying red does not order again.
 * The unit's reporting users get one message per unit and kind listing the tasks, not one per task.
 */
import {
  type Color,
  type ColorReason,
  colorReasonText,
} from '../../../../../../packages/contracts/src/index.ts';
import { uuidv7 } from '../../../db/ids.ts';
import type { SupervisionRecordTable } from '../../../db/schema.ts';
import { type NotifyInput, notifyMany } from '../../../platform/notify/service.ts';
import type { Tx } from '../../../platform/tx.ts';
import { formatNumber, reserveSupervisionNumbers } from '../../../platform/workflow/numbers.ts';
import { type ColorChange, onColorChanges } from '../colors/recolor.ts';
import { campaignNames, insertRecords, taskLines } from './repo.ts';
import { NOTIFY_RECORD, REPORT_ROLES, shanghaiDate, type TaskLine, taskList } from './text.ts';
import './templates.ts';

/** What an automatic record keeps in `details`. */
export interface AutoDetails {
  automatic: true;
  color: Color;
  previous: Color | null;
  reason: ColorReason;
  /** Orange (Shangqiu rules): an interview with the unit head is suggested. */
  suggestInterview: boolean;
}

const REMIND: ReadonlySet<Color> = new Set<Color>(['yellow', 'orange']);

export async function superviseColorChanges(tx: Tx, changes: ColorChange[]): Promise<void> {
  // The last change of an instance wins when a batch names it twice.
  const latest = new Map<string, ColorChange>();
  for (const c of changes) latest.set(c.instanceId, c);
  const due = [...latest.values()].filter((c) => REMIND.has(c.color) || c.color === 'red');
  if (due.length === 0) return;

  const now = tx.clock.now();
  const nowIso = now.toISOString();
  const year = Number(shanghaiDate(now).slice(0, 4));
  const reds = due.filter((c) => c.color === 'red').length;
  let seq = reds > 0 ? await reserveSupervisionNumbers(tx, year, reds) : 0;

  const rows: SupervisionRecordTable[] = due.map((c) => {
    const details: AutoDetails = {
      automatic: true,
      color: c.color,
      previous: c.previous,
      reason: c.reason,
      suggestInterview: c.color === 'orange',
    };
    return {
      id: uuidv7(),
      campaign_id: c.campaignId,
      instance_id: c.instanceId,
      unit_id: c.unitId,
      kind: c.color === 'red' ? 'order' : 'reminder',
      number: c.color === 'red' ? formatNumber('DB', year, seq++) : null,
      body: colorReasonText(c.color, c.reason, 'zh-CN'),
      details: JSON.stringify(details),
      file_id: null,
      created_by: null,
      created_at: nowIso,
    };
  });
  await insertRecords(tx.db, rows);

  const lines = await taskLines(
    tx.db,
    due.map((c) => c.instanceId),
  );
  const campaigns = await campaignNames(tx.db, [...new Set(due.map((c) => c.campaignId))]);
  const groups = new Map<string, { campaignId: string; unitId: string; kind: string; rows: number[] }>();
  rows.forEach((r, i) => {
    const key = `${r.campaign_id}|${r.unit_id}|${r.kind}`;
    const g = groups.get(key) ?? {
      campaignId: r.campaign_id,
      unitId: r.unit_id ?? '',
      kind: r.kind,
      rows: [],
    };
    g.rows.push(i);
    groups.set(key, g);
  });
  // One message per unit, campaign and kind, written together (a sweep reminds thousands of units).
  const messages: NotifyInput[] = [...groups.values()].map((g) => {
    const tasks: TaskLine[] = g.rows.map((i) => ({
      ...(lines.get(due[i].instanceId) ?? { title: '', cycle: 'once' }),
      color: due[i].color,
      reason: due[i].reason,
    }));
    const numbers = g.rows.map((i) => rows[i].number).filter((n): n is string => !!n);
    const interview = g.rows.some((i) => due[i].color === 'orange');
    return {
      units: { unitIds: [g.unitId], roles: REPORT_ROLES },
      kind: g.kind === 'order' ? 'supervision.order' : 'supervision.reminder',
      params: {
        campaign: campaigns.get(g.campaignId) ?? '',
        count: tasks.length,
        number: numbers.join('、'),
        tasks: taskList(tasks, 'zh-CN'),
        tasksEn: taskList(tasks, 'en-US'),
        note: interview ? '。已达橙色预警，建议约谈单位负责人。' : '。',
        noteEn: interview ? '. Orange alert: an interview with the unit head is suggested.' : '.',
      },
      record: { type: NOTIFY_RECORD, id: g.campaignId },
    };
  });
  await notifyMany(tx, messages);
  await tx.audit({
    action: 'supervision.auto',
    entity: 'supervision_record',
    entityId: null,
    after: {
      reminders: rows.length - reds,
      orders: reds,
      numbers: reds > 0 ? [rows.find((r) => r.number)?.number, formatNumber('DB', year, seq - 1)] : [],
    },
  });
}

// Registered when the module loads (app.ts imports it through the route plugin), so colours changed before
// the server starts listening — the demo campaign's activation — are supervised too.
onColorChanges(superviseColorChanges);
