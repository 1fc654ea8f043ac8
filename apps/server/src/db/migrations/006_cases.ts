import { type Kysely, sql } from 'kysely';
import type { Engine } from '../index.ts';

/**
 * Citizen cases (issue #5): 文明随手拍 and 群众说事 as one closed loop. Categories with an SLA class,
 * routing rules (category + area → unit), the cases themselves on the workflow engine, ratings,
 * follows, moderation (hidden photos), abuse controls (ban list), the 12345 hotline import, Open311
 * API keys, and domain events (the points hook). Images may now be analysed after the upload
 * (`files.analysis`).
 */
export async function up(db: Kysely<unknown>, engine: Engine): Promise<void> {
  const bool = engine === 'postgres' ? 'boolean' : 'integer';
  const real = engine === 'postgres' ? 'double precision' : 'real';

  // 'done' (thumbnail, dHash, EXIF read), 'pending' (stored, analysed by a worker), 'failed' (not decodable).
  await db.schema
    .alterTable('files')
    .addColumn('analysis', 'text', (c) => c.notNull().defaultTo('done'))
    .execute();
  await db.schema.createIndex('files_analysis').on('files').columns(['analysis', 'uploaded_at']).execute();

  // Named counters (e.g. 'case:SP:2026' → the year's last 随手拍 number), bumped with UPDATE … RETURNING.
  await db.schema
    .createTable('sequences')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('value', 'integer', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('case_categories')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('code', 'text', (c) => c.notNull().unique())
    .addColumn('name_zh', 'text', (c) => c.notNull())
    .addColumn('name_en', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('sla_class', 'text', (c) => c.notNull())
    .addColumn('photo_required', bool, (c) => c.notNull())
    .addColumn('answer_review', bool, (c) => c.notNull())
    .addColumn('public', bool, (c) => c.notNull())
    .addColumn('active', bool, (c) => c.notNull())
    .addColumn('sort', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('case_routing_rules')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('category_id', 'text', (c) => c.references('case_categories.id').onDelete('cascade'))
    .addColumn('area_unit_id', 'text', (c) => c.references('org_units.id').onDelete('cascade'))
    .addColumn('unit_id', 'text', (c) => c.notNull().references('org_units.id').onDelete('cascade'))
    .addColumn('note', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('created_by', 'text', (c) => c.references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('case_routing_rules_key')
    .unique()
    .on('case_routing_rules')
    .columns(['category_id', 'area_unit_id'])
    .execute();

  await db.schema
    .createTable('cases')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('no', 'text', (c) => c.notNull().unique())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('level', 'text', (c) => c.notNull())
    .addColumn('category_id', 'text', (c) => c.notNull().references('case_categories.id'))
    .addColumn('sla_class', 'text', (c) => c.notNull())
    .addColumn('answer_review', bool, (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('address', 'text', (c) => c.notNull())
    .addColumn('lat', real)
    .addColumn('lng', real)
    .addColumn('area_unit_id', 'text', (c) => c.references('org_units.id'))
    .addColumn('reporter_id', 'text', (c) => c.references('users.id'))
    .addColumn('anonymous', bool, (c) => c.notNull())
    .addColumn('contact_name', 'text')
    .addColumn('contact_phone_enc', 'text')
    .addColumn('contact_phone_hash', 'text')
    .addColumn('ip', 'text')
    .addColumn('first_unit_id', 'text', (c) => c.references('org_units.id'))
    .addColumn('unit_id', 'text', (c) => c.references('org_units.id'))
    .addColumn('returned_by_unit_id', 'text', (c) => c.references('org_units.id'))
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('sla_color', 'text', (c) => c.notNull())
    .addColumn('due_at', 'text')
    .addColumn('answer', 'text')
    .addColumn('rating', 'integer')
    .addColumn('rating_comment', 'text')
    .addColumn('reopen_count', 'integer', (c) => c.notNull())
    .addColumn('duplicate_of', 'text', (c) => c.references('cases.id'))
    .addColumn('public', bool, (c) => c.notNull())
    .addColumn('hidden', bool, (c) => c.notNull())
    .addColumn('hidden_reason', 'text')
    .addColumn('valid', bool)
    .addColumn('follower_count', 'integer', (c) => c.notNull())
    .addColumn('external_source', 'text')
    .addColumn('external_no', 'text')
    .addColumn('external_hash', 'text')
    .addColumn('dispatched_at', 'text')
    .addColumn('signed_at', 'text')
    .addColumn('answered_at', 'text')
    .addColumn('rated_at', 'text')
    .addColumn('closed_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  // The office list: newest first within state, unit, category, area; overdue by due_at.
  await db.schema.createIndex('cases_state').on('cases').columns(['state', 'created_at']).execute();
  await db.schema.createIndex('cases_unit').on('cases').columns(['unit_id', 'state', 'created_at']).execute();
  // A unit's cases in every state, newest first (without it the list sorts all of a busy unit's cases).
  await db.schema.createIndex('cases_unit_created').on('cases').columns(['unit_id', 'created_at']).execute();
  await db.schema.createIndex('cases_category').on('cases').columns(['category_id', 'created_at']).execute();
  await db.schema.createIndex('cases_area').on('cases').columns(['area_unit_id', 'created_at']).execute();
  await db.schema.createIndex('cases_created').on('cases').column('created_at').execute();
  await db.schema.createIndex('cases_due').on('cases').columns(['due_at', 'state']).execute();
  // A case-number prefix as a range in byte order (SQLite's unique index on `no` already is one).
  if (engine === 'postgres') await sql`create index cases_no_c on cases ((no collate "C"))`.execute(db);
  // The public board's latest resolved cases (state 'closed', newest closure first).
  await db.schema.createIndex('cases_closed').on('cases').columns(['state', 'closed_at']).execute();
  await db.schema.createIndex('cases_reporter').on('cases').columns(['reporter_id', 'created_at']).execute();
  await db.schema
    .createIndex('cases_phone')
    .on('cases')
    .columns(['contact_phone_hash', 'created_at'])
    .execute();
  await db.schema.createIndex('cases_ip').on('cases').columns(['ip', 'created_at']).execute();
  await db.schema
    .createIndex('cases_external')
    .unique()
    .on('cases')
    .columns(['external_source', 'external_no'])
    .execute();

  await db.schema
    .createTable('case_ratings')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('case_id', 'text', (c) => c.notNull().references('cases.id').onDelete('cascade'))
    .addColumn('round', 'integer', (c) => c.notNull())
    .addColumn('unit_id', 'text', (c) => c.references('org_units.id'))
    .addColumn('score', 'integer', (c) => c.notNull())
    .addColumn('comment', 'text', (c) => c.notNull())
    .addColumn('rated_by', 'text', (c) => c.references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('case_ratings_round')
    .unique()
    .on('case_ratings')
    .columns(['case_id', 'round'])
    .execute();
  await db.schema
    .createIndex('case_ratings_unit')
    .on('case_ratings')
    .columns(['unit_id', 'created_at'])
    .execute();

  await db.schema
    .createTable('case_follows')
    .addColumn('case_id', 'text', (c) => c.notNull().references('cases.id').onDelete('cascade'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('case_follows_pk', ['case_id', 'user_id'])
    .execute();
  await db.schema
    .createIndex('case_follows_user')
    .on('case_follows')
    .columns(['user_id', 'created_at'])
    .execute();

  // A photo taken off the public view by a moderator; the file itself is kept.
  await db.schema
    .createTable('case_hidden_files')
    .addColumn('case_id', 'text', (c) => c.notNull().references('cases.id').onDelete('cascade'))
    .addColumn('file_id', 'text', (c) => c.notNull().references('files.id'))
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('hidden_by', 'text', (c) => c.references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('case_hidden_files_pk', ['case_id', 'file_id'])
    .execute();

  await db.schema
    .createTable('case_bans')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('phone_hash', 'text')
    .addColumn('phone_masked', 'text')
    .addColumn('ip', 'text')
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('until', 'text')
    .addColumn('created_by', 'text', (c) => c.references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('lifted_at', 'text')
    .execute();
  await db.schema.createIndex('case_bans_phone').on('case_bans').column('phone_hash').execute();
  await db.schema.createIndex('case_bans_ip').on('case_bans').column('ip').execute();

  await db.schema
    .createTable('case_import_mappings')
    .addColumn('source', 'text', (c) => c.primaryKey())
    .addColumn('mapping', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'text', (c) => c.references('users.id'))
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('case_imports')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('file_id', 'text', (c) => c.references('files.id'))
    .addColumn('filename', 'text', (c) => c.notNull())
    .addColumn('created', 'integer', (c) => c.notNull())
    .addColumn('updated', 'integer', (c) => c.notNull())
    .addColumn('unchanged', 'integer', (c) => c.notNull())
    .addColumn('rejected', 'integer', (c) => c.notNull())
    .addColumn('rows', 'text', (c) => c.notNull())
    .addColumn('imported_by', 'text', (c) => c.references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('api_keys')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('prefix', 'text', (c) => c.notNull())
    .addColumn('key_hash', 'text', (c) => c.notNull().unique())
    .addColumn('scopes', 'text', (c) => c.notNull())
    .addColumn('unit_id', 'text', (c) => c.references('org_units.id'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('created_by', 'text', (c) => c.references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('last_used_at', 'text')
    .addColumn('revoked_at', 'text')
    .execute();

  // Facts other modules will consume later (the points ledger credits 'case.valid').
  await db.schema
    .createTable('domain_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('subject_type', 'text', (c) => c.notNull())
    .addColumn('subject_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.references('users.id'))
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('consumed_at', 'text')
    .execute();
  await db.schema
    .createIndex('domain_events_key')
    .unique()
    .on('domain_events')
    .columns(['type', 'subject_type', 'subject_id'])
    .execute();
  await db.schema
    .createIndex('domain_events_pending')
    .on('domain_events')
    .columns(['consumed_at', 'type', 'created_at'])
    .execute();
}
