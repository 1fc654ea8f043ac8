/** Campaign rows: listing and reading within a data scope, and writing a parsed plan's structure. */
import { type Kysely, sql } from 'kysely';
import { compiledOnce } from '../../db/compiled.ts';
import { int } from '../../db/normalize.ts';
import type { Bool, DB } from '../../db/schema.ts';
import { unitInScope } from '../../platform/rbac/scope-sql.ts';
import { type Scope, scopeKey } from '../../platform/rbac/types.ts';

/**
 * Campaigns visible in a scope: all of them for scope "all". Otherwise an active or closed campaign with an
 * activity one of whose lead or co units is in the scope, and a draft only when the scope covers the unit
 * of the user who imported it (a draft is the office's work in progress, not yet the units' business).
 */
function visibleCampaigns(db: Kysely<DB>, scope: Scope) {
  const q = db.selectFrom('campaigns as c');
  if (scope.kind === 'all') return q;
  return q.where(({ and, or, exists, selectFrom, eb }) =>
    or([
      and([
        eb('c.status', '!=', 'draft'),
        exists(
          selectFrom('campaign_activity_units as u')
            .innerJoin('campaign_activities as a', 'a.id', 'u.activity_id')
            .innerJoin('org_units as o', 'o.id', 'u.unit_id')
            .whereRef('a.campaign_id', '=', 'c.id')
            .where(unitInScope(scope, 'o.path', 'o.id'))
            .select(sql<number>`1`.as('one')),
        ),
      ]),
      exists(
        selectFrom('users as cu')
          .innerJoin('org_units as o', 'o.id', 'cu.unit_id')
          .whereRef('cu.id', '=', 'c.created_by')
          .where(unitInScope(scope, 'o.path', 'o.id'))
          .select(sql<number>`1`.as('one')),
      ),
    ]),
  );
}

export async function listCampaignRows(db: Kysely<DB>, scope: Scope, page: number, pageSize: number) {
  const q = visibleCampaigns(db, scope);
  const total = await q.select((eb) => eb.fn.countAll().as('n')).executeTakeFirst();
  const rows = await q
    .select([
      'c.id',
      'c.name',
      'c.year',
      'c.doc_no',
      'c.issued_on',
      'c.status',
      'c.starts_on',
      'c.ends_on',
      'c.created_at',
      'c.updated_at',
      (eb) =>
        eb
          .selectFrom('campaign_activities as a')
          .whereRef('a.campaign_id', '=', 'c.id')
          .select((e) => e.fn.countAll().as('n'))
          .as('activities'),
    ])
    .orderBy('c.year', 'desc')
    .orderBy('c.created_at', 'desc')
    .orderBy('c.id', 'desc')
    .limit(pageSize)
    .offset((page - 1) * pageSize)
    .execute();
  return { rows, total: int(total?.n) };
}

export function findCampaign(db: Kysely<DB>, scope: Scope, id: string) {
  return visibleCampaigns(db, scope).selectAll('c').where('c.id', '=', id).executeTakeFirst();
}

export interface CampaignState {
  id: string;
  name: string;
  status: string;
  requires_unit_approval: Bool;
}

/** Every report asks for its campaign's state: compiled once per scope. */
const campaignStateQuery = compiledOnce<CampaignState>(2000);

/** A visible campaign's name and state, without the plan's text (tens of KiB) that `findCampaign` reads. */
export async function findCampaignState(
  db: Kysely<DB>,
  scope: Scope,
  id: string,
): Promise<CampaignState | undefined> {
  const rows = await campaignStateQuery(db, scopeKey(scope), [id], ([marked]) =>
    visibleCampaigns(db, scope)
      .select(['c.id', 'c.name', 'c.status', 'c.requires_unit_approval'])
      .where('c.id', '=', marked as string),
  );
  return rows[0];
}

export async function campaignParts(db: Kysely<DB>, id: string) {
  const [phases, sections, activities, units] = await Promise.all([
    db.selectFrom('campaign_phases').selectAll().where('campaign_id', '=', id).orderBy('seq').execute(),
    db.selectFrom('campaign_sections').selectAll().where('campaign_id', '=', id).orderBy('seq').execute(),
    db.selectFrom('campaign_activities').selectAll().where('campaign_id', '=', id).orderBy('seq').execute(),
    db
      .selectFrom('campaign_activity_units as u')
      .innerJoin('campaign_activities as a', 'a.id', 'u.activity_id')
      .innerJoin('org_units as o', 'o.id', 'u.unit_id')
      .where('a.campaign_id', '=', id)
      .select(['u.activity_id', 'u.unit_id', 'u.role', 'o.name', 'o.path'])
      .execute(),
  ]);
  return { phases, sections, activities, units };
}

export async function campaignExists(db: Kysely<DB>, name: string, year: number): Promise<boolean> {
  const row = await db
    .selectFrom('campaigns')
    .select('id')
    .where('name', '=', name)
    .where('year', '=', year)
    .executeTakeFirst();
  return row !== undefined;
}

/** Deletes a campaign and its structure, children first. */
export async function deleteCampaignRows(db: Kysely<DB>, id: string): Promise<void> {
  const activityIds = db.selectFrom('campaign_activities').select('id').where('campaign_id', '=', id);
  await db.deleteFrom('campaign_activity_units').where('activity_id', 'in', activityIds).execute();
  // Nested activities first: parent_id references campaign_activities.
  await db
    .deleteFrom('campaign_activities')
    .where('campaign_id', '=', id)
    .where('parent_id', 'is not', null)
    .execute();
  await db.deleteFrom('campaign_activities').where('campaign_id', '=', id).execute();
  await db.deleteFrom('campaign_sections').where('campaign_id', '=', id).execute();
  await db.deleteFrom('campaign_phases').where('campaign_id', '=', id).execute();
  await db.deleteFrom('campaigns').where('id', '=', id).execute();
}
