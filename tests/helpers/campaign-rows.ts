/**
 * Campaign rows written straight into the tables, for tests that need exact dates and states (colours,
 * supervision): a campaign with one section and one activity, tasks, instances and reports. Defaults: an
 * active campaign over 2026-03-01 … 2026-04-30 and once-tasks over the same window.
 */
import type { Kysely } from 'kysely';
import { uuidv7 } from '../../apps/server/src/db/ids.ts';
import type { DB } from '../../apps/server/src/db/schema.ts';
import type { TaskTarget } from '../../packages/contracts/src/index.ts';

export const WINDOW = { startsOn: '2026-03-01', dueOn: '2026-04-30' } as const;

export async function insertCampaignRows(
  db: Kysely<DB>,
  now: string,
  opts: { name: string; status?: string },
): Promise<{ campaignId: string; activityId: string }> {
  const status = opts.status ?? 'active';
  const campaignId = uuidv7();
  const sectionId = uuidv7();
  const activityId = uuidv7();
  await db
    .insertInto('campaigns')
    .values({
      id: campaignId,
      name: opts.name,
      year: 2026,
      doc_no: null,
      issued_on: null,
      source_text: '',
      status,
      starts_on: WINDOW.startsOn,
      ends_on: WINDOW.dueOn,
      color_rules: null,
      requires_unit_approval: false,
      copied_from: null,
      activated_at: status === 'active' ? now : null,
      closed_at: null,
      version: 1,
      created_by: null,
      created_at: now,
      updated_at: now,
    })
    .execute();
  await db
    .insertInto('campaign_sections')
    .values({ id: sectionId, campaign_id: campaignId, seq: 1, numeral: '一', title: '重点任务' })
    .execute();
  await db
    .insertInto('campaign_activities')
    .values({
      id: activityId,
      campaign_id: campaignId,
      section_id: sectionId,
      parent_id: null,
      seq: 1,
      numeral: '1.',
      name: '宣讲',
      description: '',
      cadence: null,
      deadline_text: null,
      deadline_on: null,
      weight: 1,
      targets: '[]',
      source_lines: '[]',
    })
    .execute();
  return { campaignId, activityId };
}

export async function insertTaskRow(
  db: Kysely<DB>,
  now: string,
  opts: { campaignId: string; activityId: string; title: string; seq?: number; targets: TaskTarget[] },
): Promise<string> {
  const id = uuidv7();
  await db
    .insertInto('campaign_tasks')
    .values({
      id,
      campaign_id: opts.campaignId,
      activity_id: opts.activityId,
      seq: opts.seq ?? 1,
      title: opts.title,
      description: '',
      cadence: 'once',
      starts_on: WINDOW.startsOn,
      due_on: WINDOW.dueOn,
      weight: 1,
      targets: JSON.stringify(opts.targets),
      version: 1,
      created_at: now,
      updated_at: now,
    })
    .execute();
  return id;
}

/** A blue instance with a placeholder reason: colour it with recolorInstances(…, 'create'). */
export async function insertInstanceRow(
  db: Kysely<DB>,
  now: string,
  opts: { campaignId: string; activityId: string; taskId: string; unitId: string },
): Promise<string> {
  const row = placeholderInstance(now, opts);
  await db.insertInto('task_instances').values(row).execute();
  return row.id;
}

/** A placeholder instance (blue, no reason yet) over WINDOW, in cycle `once` unless given. */
export function placeholderInstance(
  now: string,
  opts: { campaignId: string; activityId: string; taskId: string; unitId: string; cycle?: string },
) {
  return {
    id: uuidv7(),
    campaign_id: opts.campaignId,
    task_id: opts.taskId,
    activity_id: opts.activityId,
    unit_id: opts.unitId,
    role: 'lead',
    cycle: opts.cycle ?? 'once',
    starts_on: WINDOW.startsOn,
    due_on: WINDOW.dueOn,
    color: 'blue',
    color_reason: '{}',
    color_at: now,
    progress: 0,
    amounts: '[]',
    accepted_reports: 0,
    pending_reports: 0,
    returned_at: null,
    done_on: null,
    version: 1,
  };
}

/** A report in a given state counting toward one instance; reviewed now when accepted or returned. */
export async function insertReportRow(
  db: Kysely<DB>,
  now: string,
  opts: { campaignId: string; unitId: string; instanceId: string; state: string; amounts: number[] },
): Promise<string> {
  const id = uuidv7();
  const reviewed = opts.state === 'accepted' || opts.state === 'returned';
  await db
    .insertInto('ledger_reports')
    .values({
      id,
      campaign_id: opts.campaignId,
      unit_id: opts.unitId,
      author_id: null,
      state: opts.state,
      summary: '开展宣讲',
      similar_flags: 0,
      sla_color: 'green',
      submitted_at: now,
      approved_by: null,
      reviewed_by: null,
      reviewed_at: reviewed ? now : null,
      return_reason: opts.state === 'returned' ? '材料不全' : null,
      version: 1,
      created_at: now,
      updated_at: now,
    })
    .execute();
  await db
    .insertInto('ledger_report_items')
    .values({ report_id: id, instance_id: opts.instanceId, amounts: JSON.stringify(opts.amounts) })
    .execute();
  return id;
}
