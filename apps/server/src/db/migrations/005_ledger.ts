import { type Kysely, sql } from 'kysely';
import type { Engine } from '../index.ts';

/**
 * Campaigns (issue #4), the ledger: tasks under activities, one dated instance per task, unit and cycle,
 * progress reports (one report may count toward several instances), colours with their history,
 * supervision records (催办 / 督办单 / 约谈 / 通报) and half-year reports.
 */
export async function up(db: Kysely<unknown>, _engine: Engine): Promise<void> {
  await db.schema
    .createTable('campaign_tasks')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('campaign_id', 'text', (c) => c.notNull().references('campaigns.id').onDelete('cascade'))
    .addColumn('activity_id', 'text', (c) =>
      c.notNull().references('campaign_activities.id').onDelete('cascade'),
    )
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('cadence', 'text', (c) => c.notNull())
    .addColumn('starts_on', 'text', (c) => c.notNull())
    .addColumn('due_on', 'text', (c) => c.notNull())
    .addColumn('weight', 'integer', (c) => c.notNull())
    .addColumn('targets', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('campaign_tasks_campaign')
    .on('campaign_tasks')
    .columns(['campaign_id', 'seq'])
    .execute();
  await db.schema.createIndex('campaign_tasks_activity').on('campaign_tasks').column('activity_id').execute();

  await db.schema
    .createTable('task_instances')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('campaign_id', 'text', (c) => c.notNull().references('campaigns.id').onDelete('cascade'))
    .addColumn('task_id', 'text', (c) => c.notNull().references('campaign_tasks.id').onDelete('cascade'))
    .addColumn('activity_id', 'text', (c) => c.notNull())
    .addColumn('unit_id', 'text', (c) => c.notNull().references('org_units.id'))
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('cycle', 'text', (c) => c.notNull())
    .addColumn('starts_on', 'text', (c) => c.notNull())
    .addColumn('due_on', 'text', (c) => c.notNull())
    .addColumn('color', 'text', (c) => c.notNull())
    .addColumn('color_reason', 'text', (c) => c.notNull())
    .addColumn('color_at', 'text', (c) => c.notNull())
    .addColumn('progress', 'integer', (c) => c.notNull())
    .addColumn('amounts', 'text', (c) => c.notNull())
    .addColumn('accepted_reports', 'integer', (c) => c.notNull())
    .addColumn('pending_reports', 'integer', (c) => c.notNull())
    .addColumn('returned_at', 'text')
    .addColumn('done_on', 'text')
    .addColumn('version', 'integer', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('task_instances_task_unit_cycle')
    .on('task_instances')
    .columns(['task_id', 'unit_id', 'cycle'])
    .unique()
    .execute();
  await db.schema
    .createIndex('task_instances_campaign')
    .on('task_instances')
    .columns(['campaign_id', 'activity_id', 'unit_id'])
    .execute();
  await db.schema
    .createIndex('task_instances_unit')
    .on('task_instances')
    .columns(['unit_id', 'due_on'])
    .execute();
  // The battle map's aggregates (GROUP BY task, unit, colour within a campaign) read this index alone.
  await db.schema
    .createIndex('task_instances_battlemap')
    .on('task_instances')
    .columns([
      'campaign_id',
      'task_id',
      'unit_id',
      'color',
      'due_on',
      'starts_on',
      'done_on',
      'progress',
      'color_reason',
    ])
    .execute();

  await db.schema
    .createTable('task_instance_colors')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('instance_id', 'text', (c) => c.notNull().references('task_instances.id').onDelete('cascade'))
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('previous', 'text')
    .addColumn('color', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('cause', 'text', (c) => c.notNull())
    .addColumn('hooks_pending', 'integer')
    .execute();
  await db.schema
    .createIndex('task_instance_colors_instance')
    .on('task_instance_colors')
    .columns(['instance_id', 'at'])
    .execute();
  // The sweep's changes whose hooks (supervision) have not run yet: few rows, found without a scan.
  await db.schema
    .createIndex('task_instance_colors_hooks_pending')
    .on('task_instance_colors')
    .column('hooks_pending')
    .where(sql.ref('hooks_pending'), '=', 1)
    .execute();

  await db.schema
    .createTable('ledger_reports')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('campaign_id', 'text', (c) => c.notNull().references('campaigns.id').onDelete('cascade'))
    .addColumn('unit_id', 'text', (c) => c.notNull().references('org_units.id'))
    .addColumn('author_id', 'text', (c) => c.references('users.id'))
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('sla_color', 'text', (c) => c.notNull())
    .addColumn('summary', 'text', (c) => c.notNull())
    .addColumn('similar_flags', 'integer', (c) => c.notNull())
    .addColumn('submitted_at', 'text')
    .addColumn('approved_by', 'text')
    .addColumn('reviewed_by', 'text')
    .addColumn('reviewed_at', 'text')
    .addColumn('return_reason', 'text')
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('ledger_reports_campaign_unit')
    .on('ledger_reports')
    .columns(['campaign_id', 'unit_id', 'state'])
    .execute();
  await db.schema
    .createIndex('ledger_reports_campaign_state')
    .on('ledger_reports')
    .columns(['campaign_id', 'state', 'submitted_at'])
    .execute();

  await db.schema
    .createTable('ledger_report_items')
    .addColumn('report_id', 'text', (c) => c.notNull().references('ledger_reports.id').onDelete('cascade'))
    .addColumn('instance_id', 'text', (c) => c.notNull().references('task_instances.id').onDelete('cascade'))
    .addColumn('amounts', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('ledger_report_items_pk', ['report_id', 'instance_id'])
    .execute();
  await db.schema
    .createIndex('ledger_report_items_instance')
    .on('ledger_report_items')
    .column('instance_id')
    .execute();

  await db.schema
    .createTable('ledger_report_flags')
    .addColumn('report_id', 'text', (c) => c.notNull().references('ledger_reports.id').onDelete('cascade'))
    .addColumn('file_id', 'text', (c) => c.notNull().references('files.id'))
    .addColumn('other_report_id', 'text', (c) =>
      c.notNull().references('ledger_reports.id').onDelete('cascade'),
    )
    .addColumn('other_file_id', 'text', (c) => c.notNull().references('files.id'))
    .addColumn('distance', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('ledger_report_flags_pk', ['report_id', 'file_id', 'other_report_id'])
    .execute();
  // The reviewer of the earlier report sees the later matches too (flags read from the other side).
  await db.schema
    .createIndex('ledger_report_flags_other')
    .on('ledger_report_flags')
    .column('other_report_id')
    .execute();

  await db.schema
    .createTable('supervision_records')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('campaign_id', 'text', (c) => c.notNull().references('campaigns.id').onDelete('cascade'))
    .addColumn('instance_id', 'text', (c) => c.references('task_instances.id').onDelete('cascade'))
    .addColumn('unit_id', 'text', (c) => c.references('org_units.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('number', 'text')
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('details', 'text', (c) => c.notNull())
    .addColumn('file_id', 'text', (c) => c.references('files.id'))
    .addColumn('created_by', 'text', (c) => c.references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('supervision_records_campaign')
    .on('supervision_records')
    .columns(['campaign_id', 'kind', 'created_at'])
    .execute();
  await db.schema
    .createIndex('supervision_records_instance')
    .on('supervision_records')
    .columns(['instance_id', 'kind'])
    .execute();
  // DB-/TB- numbers are allocated under a lock (platform/workflow/numbers.ts); the index is the last guard.
  await db.schema
    .createIndex('supervision_records_number')
    .on('supervision_records')
    .column('number')
    .unique()
    .execute();

  await db.schema
    .createTable('half_year_reports')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('campaign_id', 'text', (c) => c.notNull().references('campaigns.id').onDelete('cascade'))
    .addColumn('unit_id', 'text', (c) => c.notNull().references('org_units.id'))
    .addColumn('period', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('sla_color', 'text', (c) => c.notNull())
    .addColumn('progress_text', 'text', (c) => c.notNull())
    .addColumn('practices', 'text', (c) => c.notNull())
    .addColumn('problems', 'text', (c) => c.notNull())
    .addColumn('plans', 'text', (c) => c.notNull())
    .addColumn('stats', 'text', (c) => c.notNull())
    .addColumn('author_id', 'text', (c) => c.references('users.id'))
    .addColumn('submitted_at', 'text')
    .addColumn('reviewed_by', 'text')
    .addColumn('reviewed_at', 'text')
    .addColumn('return_reason', 'text')
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('half_year_reports_unit_period')
    .on('half_year_reports')
    .columns(['campaign_id', 'unit_id', 'period'])
    .unique()
    .execute();
}
