import type { Kysely } from 'kysely';
import type { Engine } from '../index.ts';

/**
 * Platform services (issue #3): working-day calendar, evidence store, workflow history, deadlines and
 * their escalation events, scheduler jobs, notifications and notices with receipts, and the reference
 * workflow of assigned matters (交办事项).
 */
export async function up(db: Kysely<unknown>, engine: Engine): Promise<void> {
  const bool = engine === 'postgres' ? 'boolean' : 'integer';
  const big = engine === 'postgres' ? 'bigint' : 'integer';
  const real = engine === 'postgres' ? 'double precision' : 'real';

  // ---- calendar -------------------------------------------------------------------------------
  await db.schema
    .createTable('calendar_years')
    .addColumn('year', 'integer', (c) => c.primaryKey())
    .addColumn('source', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('calendar_days')
    .addColumn('date', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  // ---- evidence store -------------------------------------------------------------------------
  await db.schema
    .createTable('files')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('size', big, (c) => c.notNull())
    .addColumn('mime', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('original_name', 'text', (c) => c.notNull())
    .addColumn('uploaded_by', 'text', (c) => c.references('users.id'))
    .addColumn('uploaded_at', 'text', (c) => c.notNull())
    .addColumn('width', 'integer')
    .addColumn('height', 'integer')
    .addColumn('taken_at', 'text')
    .addColumn('gps_lat', real)
    .addColumn('gps_lng', real)
    .addColumn('dhash', 'text')
    .addColumn('thumb_sha256', 'text')
    .addColumn('public_sha256', 'text')
    .execute();
  await db.schema.createIndex('files_sha256').on('files').column('sha256').execute();
  await db.schema.createIndex('files_dhash').on('files').column('dhash').execute();
  await db.schema.createIndex('files_uploader').on('files').columns(['uploaded_by', 'uploaded_at']).execute();
  await db.schema
    .createTable('file_links')
    .addColumn('file_id', 'text', (c) => c.notNull().references('files.id'))
    .addColumn('record_type', 'text', (c) => c.notNull())
    .addColumn('record_id', 'text', (c) => c.notNull())
    .addColumn('linked_by', 'text')
    .addColumn('linked_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('file_links_pk', ['file_id', 'record_type', 'record_id'])
    .execute();
  await db.schema
    .createIndex('file_links_record')
    .on('file_links')
    .columns(['record_type', 'record_id'])
    .execute();

  // ---- workflow -------------------------------------------------------------------------------
  await db.schema
    .createTable('workflow_history')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('record_type', 'text', (c) => c.notNull())
    .addColumn('record_id', 'text', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'text')
    .addColumn('actor_name', 'text')
    .addColumn('actor_unit_id', 'text')
    .addColumn('from_state', 'text')
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('to_state', 'text', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('payload', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('attachments', 'text', (c) => c.notNull().defaultTo('[]'))
    .execute();
  await db.schema
    .createIndex('workflow_history_record')
    .unique()
    .on('workflow_history')
    .columns(['record_type', 'record_id', 'seq'])
    .execute();

  // ---- deadlines (SLA) ------------------------------------------------------------------------
  await db.schema
    .createTable('deadlines')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('record_type', 'text', (c) => c.notNull())
    .addColumn('record_id', 'text', (c) => c.notNull())
    .addColumn('policy', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('unit_id', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('starts_at', 'text', (c) => c.notNull())
    .addColumn('due_at', 'text', (c) => c.notNull())
    .addColumn('original_due_at', 'text', (c) => c.notNull())
    .addColumn('round', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('stage', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_fire_at', 'text')
    .addColumn('met_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('deadlines_due').on('deadlines').columns(['status', 'next_fire_at']).execute();
  await db.schema
    .createIndex('deadlines_record')
    .on('deadlines')
    .columns(['record_type', 'record_id'])
    .execute();
  await db.schema
    .createTable('deadline_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('deadline_id', 'text', (c) => c.notNull().references('deadlines.id'))
    .addColumn('record_type', 'text', (c) => c.notNull())
    .addColumn('record_id', 'text', (c) => c.notNull())
    .addColumn('unit_id', 'text')
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('round', 'integer', (c) => c.notNull())
    .addColumn('stage', 'integer', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('due_at', 'text', (c) => c.notNull())
    .addColumn('working_days_late', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('details', 'text', (c) => c.notNull().defaultTo('{}'))
    .execute();
  // One event per deadline, round (an approved extension starts a new round) and stage: a sweep that
  // runs twice, or two processes sweeping at once, cannot fire a stage twice.
  await db.schema
    .createIndex('deadline_events_once')
    .unique()
    .on('deadline_events')
    .columns(['deadline_id', 'round', 'stage'])
    .execute();
  await db.schema.createIndex('deadline_events_kind').on('deadline_events').columns(['kind', 'at']).execute();
  await db.schema
    .createTable('deadline_extensions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('deadline_id', 'text', (c) => c.notNull().references('deadlines.id'))
    .addColumn('record_type', 'text', (c) => c.notNull())
    .addColumn('record_id', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('old_due_at', 'text', (c) => c.notNull())
    .addColumn('requested_due_at', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('requested_by', 'text')
    .addColumn('requested_at', 'text', (c) => c.notNull())
    .addColumn('decided_by', 'text')
    .addColumn('decided_at', 'text')
    .addColumn('decision_note', 'text')
    .execute();
  await db.schema
    .createIndex('deadline_extensions_record')
    .on('deadline_extensions')
    .columns(['record_type', 'record_id'])
    .execute();

  // ---- scheduler ------------------------------------------------------------------------------
  await db.schema
    .createTable('scheduler_jobs')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('next_run_at', 'text', (c) => c.notNull())
    .addColumn('lease_owner', 'text')
    .addColumn('lease_until', 'text')
    .addColumn('last_started_at', 'text')
    .addColumn('last_finished_at', 'text')
    .addColumn('last_status', 'text')
    .addColumn('last_error', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('scheduler_runs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('job', 'text', (c) => c.notNull())
    .addColumn('owner', 'text', (c) => c.notNull())
    .addColumn('started_at', 'text', (c) => c.notNull())
    .addColumn('finished_at', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('details', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('error', 'text')
    .execute();
  await db.schema
    .createIndex('scheduler_runs_job')
    .on('scheduler_runs')
    .columns(['job', 'started_at'])
    .execute();

  // ---- notifications --------------------------------------------------------------------------
  await db.schema
    .createTable('notifications')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('params', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('record_type', 'text')
    .addColumn('record_id', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('read_at', 'text')
    .execute();
  await db.schema
    .createIndex('notifications_user')
    .on('notifications')
    .columns(['user_id', 'created_at'])
    .execute();
  await db.schema
    .createIndex('notifications_unread')
    .on('notifications')
    .columns(['user_id', 'read_at'])
    .execute();
  // The holders of a role (the office's reviewers, told of every submitted ledger report): no scan of all roles.
  await db.schema.createIndex('user_roles_role').on('user_roles').columns(['role', 'user_id']).execute();
  await db.schema
    .createTable('notification_prefs')
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('enabled', bool, (c) => c.notNull())
    .addPrimaryKeyConstraint('notification_prefs_pk', ['user_id', 'kind', 'channel'])
    .execute();
  await db.schema
    .createTable('notify_webhooks')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('unit_id', 'text', (c) => c.references('org_units.id'))
    .addColumn('url_enc', 'text', (c) => c.notNull())
    .addColumn('secret_enc', 'text')
    .addColumn('enabled', bool, (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('notification_deliveries')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('notification_id', 'text')
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text')
    .addColumn('webhook_id', 'text')
    .addColumn('target', 'text', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('error', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('sent_at', 'text')
    .addColumn('next_attempt_at', 'text')
    .execute();
  await db.schema
    .createIndex('notification_deliveries_due')
    .on('notification_deliveries')
    .columns(['status', 'next_attempt_at'])
    .execute();
  await db.schema
    .createIndex('notification_deliveries_created')
    .on('notification_deliveries')
    .column('created_at')
    .execute();
  await db.schema
    .createTable('notices')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('sender_id', 'text', (c) => c.references('users.id'))
    .addColumn('sender_unit_id', 'text', (c) => c.references('org_units.id'))
    .addColumn('require_ack', bool, (c) => c.notNull())
    .addColumn('ack_due_at', 'text')
    .addColumn('record_type', 'text')
    .addColumn('record_id', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('notices_created').on('notices').column('created_at').execute();
  await db.schema
    .createTable('notice_recipients')
    .addColumn('notice_id', 'text', (c) => c.notNull().references('notices.id'))
    .addColumn('unit_id', 'text', (c) => c.notNull().references('org_units.id'))
    .addColumn('first_read_at', 'text')
    .addColumn('first_read_by', 'text')
    .addColumn('acked_at', 'text')
    .addColumn('acked_by', 'text')
    .addColumn('ack_note', 'text')
    .addPrimaryKeyConstraint('notice_recipients_pk', ['notice_id', 'unit_id'])
    .execute();
  await db.schema
    .createIndex('notice_recipients_unit')
    .on('notice_recipients')
    .columns(['unit_id', 'acked_at'])
    .execute();

  // ---- assigned matters (交办事项), the reference workflow ---------------------------------------
  await db.schema
    .createTable('matters')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('no', 'text', (c) => c.notNull().unique())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('content', 'text', (c) => c.notNull())
    .addColumn('level', 'text', (c) => c.notNull())
    .addColumn('source', 'text')
    .addColumn('assignee_unit_id', 'text', (c) => c.notNull().references('org_units.id'))
    .addColumn('assigner_unit_id', 'text', (c) => c.references('org_units.id'))
    .addColumn('created_by', 'text', (c) => c.references('users.id'))
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('sla_color', 'text', (c) => c.notNull())
    .addColumn('due_at', 'text')
    .addColumn('acknowledged_at', 'text')
    .addColumn('first_feedback_at', 'text')
    .addColumn('resolved_at', 'text')
    .addColumn('closed_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('matters_assignee')
    .on('matters')
    .columns(['assignee_unit_id', 'state'])
    .execute();
  await db.schema.createIndex('matters_state').on('matters').columns(['state', 'created_at']).execute();
}
