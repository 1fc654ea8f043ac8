import type { Kysely } from 'kysely';
import type { Engine } from '../index.ts';

/**
 * Campaigns (issue #4), first slice: a plan saved as a campaign with its phases, sections, activities
 * and the activities' lead/co units. Tasks, instances and ledgers come later.
 */
export async function up(db: Kysely<unknown>, engine: Engine): Promise<void> {
  await db.schema
    .createTable('campaigns')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('doc_no', 'text')
    .addColumn('issued_on', 'text')
    .addColumn('source_text', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('starts_on', 'text')
    .addColumn('ends_on', 'text')
    .addColumn('color_rules', 'text')
    .addColumn('requires_unit_approval', engine === 'postgres' ? 'boolean' : 'integer', (c) =>
      c.notNull().defaultTo(engine === 'postgres' ? false : 0),
    )
    .addColumn('copied_from', 'text')
    .addColumn('activated_at', 'text')
    .addColumn('closed_at', 'text')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_by', 'text', (c) => c.references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('campaigns_year').on('campaigns').columns(['year', 'created_at']).execute();
  await db.schema
    .createTable('campaign_phases')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('campaign_id', 'text', (c) => c.notNull().references('campaigns.id').onDelete('cascade'))
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('starts_on', 'text')
    .addColumn('ends_on', 'text')
    .execute();
  await db.schema
    .createIndex('campaign_phases_campaign')
    .on('campaign_phases')
    .columns(['campaign_id', 'seq'])
    .execute();
  await db.schema
    .createTable('campaign_sections')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('campaign_id', 'text', (c) => c.notNull().references('campaigns.id').onDelete('cascade'))
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('numeral', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('campaign_sections_campaign')
    .on('campaign_sections')
    .columns(['campaign_id', 'seq'])
    .execute();
  await db.schema
    .createTable('campaign_activities')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('campaign_id', 'text', (c) => c.notNull().references('campaigns.id').onDelete('cascade'))
    .addColumn('section_id', 'text', (c) =>
      c.notNull().references('campaign_sections.id').onDelete('cascade'),
    )
    .addColumn('parent_id', 'text', (c) => c.references('campaign_activities.id').onDelete('cascade'))
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('numeral', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('cadence', 'text')
    .addColumn('deadline_text', 'text')
    .addColumn('deadline_on', 'text')
    .addColumn('weight', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('targets', 'text', (c) => c.notNull())
    .addColumn('source_lines', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('campaign_activities_campaign')
    .on('campaign_activities')
    .columns(['campaign_id', 'seq'])
    .execute();
  await db.schema
    .createTable('campaign_activity_units')
    .addColumn('activity_id', 'text', (c) =>
      c.notNull().references('campaign_activities.id').onDelete('cascade'),
    )
    .addColumn('unit_id', 'text', (c) => c.notNull().references('org_units.id'))
    .addColumn('role', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('campaign_activity_units_pk', ['activity_id', 'unit_id', 'role'])
    .execute();
  await db.schema
    .createIndex('campaign_activity_units_unit')
    .on('campaign_activity_units')
    .columns(['unit_id'])
    .execute();
}
