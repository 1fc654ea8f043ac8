import { type Kysely, sql } from 'kysely';

/**
 * The unread notifications of one kind, by user: who among the office's reviewers has not yet read the
 * last "report submitted" notice (ledger effects ask on every submission). Partial: read notifications,
 * the vast majority, are not in it.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create index notifications_unread_kind on notifications (kind, user_id) where read_at is null`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index notifications_unread_kind`.execute(db);
}
