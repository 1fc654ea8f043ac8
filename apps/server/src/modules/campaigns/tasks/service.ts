/**
 * Tasks of a campaign and their instances (one per task × responsible unit × cycle): listing within the
 * caller's data scope, editing tasks and activity units, keeping instances in step with the tasks.
 */
import type { Color, ColorReason, TaskTarget } from '../../../../../../packages/contracts/src/index.ts';
import { int, json } from '../../../db/normalize.ts';
import type { AppContext } from '../../../platform/context.ts';
import { notFound } from '../../../platform/http/errors.ts';
import type { Scope } from '../../../platform/rbac/types.ts';
import { findCampaign } from '../repo.ts';
import { type InstanceFilter, listInstanceRows } from './repo.ts';

/** An instance as lists show it (the ledger, the battle map and the task pages). */
export interface InstanceView {
  id: string;
  taskId: string;
  taskTitle: string;
  activityId: string;
  activityNumeral: string;
  activityName: string;
  unitId: string;
  unitName: string;
  role: 'lead' | 'co';
  cycle: string;
  startsOn: string;
  dueOn: string;
  color: Color;
  reason: ColorReason;
  colorAt: string;
  progress: number;
  /** The task's targets and the accepted amounts per target. */
  targets: TaskTarget[];
  amounts: number[];
  acceptedReports: number;
  pendingReports: number;
  returnedAt: string | null;
  doneOn: string | null;
  version: number;
}

/** The campaign's instances in the caller's scope (a unit's users see their unit's instances only). */
export async function listInstances(
  ctx: AppContext,
  scope: Scope,
  campaignId: string,
  f: InstanceFilter,
): Promise<{ items: InstanceView[]; total: number }> {
  const db = ctx.database.db;
  if (!(await findCampaign(db, scope, campaignId))) throw notFound();
  const { rows, total } = await listInstanceRows(db, scope, campaignId, f);
  return {
    total,
    items: rows.map((r) => ({
      id: r.id,
      taskId: r.task_id,
      taskTitle: r.task_title,
      activityId: r.activity_id,
      activityNumeral: r.activity_numeral,
      activityName: r.activity_name,
      unitId: r.unit_id,
      unitName: r.unit_name,
      role: r.role === 'lead' ? 'lead' : 'co',
      cycle: r.cycle,
      startsOn: r.starts_on,
      dueOn: r.due_on,
      color: r.color as Color,
      reason: json<ColorReason>(r.color_reason) as ColorReason,
      colorAt: r.color_at,
      progress: int(r.progress),
      targets: json<TaskTarget[]>(r.targets) ?? [],
      amounts: json<number[]>(r.amounts) ?? [],
      acceptedReports: int(r.accepted_reports),
      pendingReports: int(r.pending_reports),
      returnedAt: r.returned_at,
      doneOn: r.done_on,
      version: int(r.version),
    })),
  };
}
