/**
 * Near-duplicate evidence: on submit, each image of the report is compared (dHash, platform/files
 * findSimilarImages) with the images of other reports (any unit, task or cycle; drafts aside). Matches
 * become ledger_report_flags rows, shown to the reviewer beside the matching report.
 *
 * findSimilarImages reads outside any transaction, so the candidates are found before the transition's
 * transaction opens (prepareSimilar) and handed to the submit effect through the caller object of that one
 * request (takeSimilar); the effect keeps only candidates linked to other reports, read inside the
 * transaction.
 */
import { int } from '../../../db/normalize.ts';
import type { AppContext } from '../../../platform/context.ts';
import { filesOf, findSimilarImages } from '../../../platform/files/service.ts';
import type { Tx } from '../../../platform/tx.ts';
import type { Caller } from '../../../platform/workflow/machine.ts';

/** Per image file of the report: the near images found anywhere, nearest first. */
export type SimilarCandidates = Map<string, { fileId: string; distance: number }[]>;

/**
 * What was found before the submit transaction: the candidates of each image of the report, which are
 * exactly its linked images when the transition's version check passes (every change of its files moves
 * the version the caller sent).
 */
export interface Prepared {
  candidates: SimilarCandidates;
  imageIds: string[];
}

const pending = new WeakMap<Caller, Prepared>();

/**
 * Finds the candidates of a report's images before its submit transaction. `mayRead` is asked only when
 * there are images to compare (out of scope reads as not found before any comparison).
 */
export async function prepareSimilar(
  ctx: AppContext,
  caller: Caller,
  reportId: string,
  mayRead: () => Promise<void>,
): Promise<void> {
  const files = await filesOf(ctx.database.db, 'ledger_report', reportId);
  const images = files.filter((f) => f.kind === 'image').map((f) => f.id);
  if (images.length) await mayRead();
  await prepareSimilarOf(ctx, caller, images);
}

/** The same for images about to be linked to a report created and submitted in one request. */
export async function prepareSimilarOf(ctx: AppContext, caller: Caller, imageIds: string[]): Promise<void> {
  const candidates: SimilarCandidates = new Map();
  for (const id of imageIds) {
    const near = await findSimilarImages(ctx, id);
    candidates.set(
      id,
      near.map((n) => ({ fileId: n.file.id, distance: n.distance })),
    );
  }
  pending.set(caller, { candidates, imageIds });
}

/** What prepareSimilar found for this caller's request (nothing: read the images in the transaction). */
export function takeSimilar(caller: Caller): Prepared | undefined {
  const found = pending.get(caller);
  pending.delete(caller);
  return found;
}

/**
 * Replaces the report's flags: every image still linked to it that is (nearly) an image of another
 * non-draft report, the same upload reused included (distance 0). Returns the number of flags.
 * Without `prepared`, the report's images are read and have no candidates but themselves.
 */
export async function writeFlags(
  tx: Tx,
  report: { id: string; similar_flags: number },
  prepared: Prepared | undefined,
): Promise<number> {
  const reportId = report.id;
  const candidates = prepared?.candidates ?? new Map();
  const imageIds = prepared?.imageIds;
  const mine = imageIds
    ? imageIds.map((id) => ({ id }))
    : await tx.db
        .selectFrom('file_links as l')
        .innerJoin('files as f', 'f.id', 'l.file_id')
        .select('f.id')
        .where('l.record_type', '=', 'ledger_report')
        .where('l.record_id', '=', reportId)
        .where('f.kind', '=', 'image')
        .execute();
  // Nothing to compare and nothing flagged before: nothing to write.
  if (mine.length === 0 && int(report.similar_flags) === 0) return 0;
  await tx.db.deleteFrom('ledger_report_flags').where('report_id', '=', reportId).execute();
  const near = new Map<string, { fileId: string; distance: number }[]>();
  for (const { id } of mine) near.set(id, [{ fileId: id, distance: 0 }, ...(candidates.get(id) ?? [])]);
  const otherIds = [...new Set([...near.values()].flatMap((list) => list.map((c) => c.fileId)))];
  const links: { file_id: string; record_id: string }[] = [];
  for (let i = 0; i < otherIds.length; i += 500) {
    links.push(
      ...(await tx.db
        .selectFrom('file_links as l')
        .innerJoin('ledger_reports as r', 'r.id', 'l.record_id')
        .select(['l.file_id', 'l.record_id'])
        .where('l.record_type', '=', 'ledger_report')
        .where('l.record_id', '<>', reportId)
        .where('r.state', '<>', 'draft')
        .where('l.file_id', 'in', otherIds.slice(i, i + 500))
        .execute()),
    );
  }
  const reportsOf = new Map<string, string[]>();
  for (const l of links) reportsOf.set(l.file_id, [...(reportsOf.get(l.file_id) ?? []), l.record_id]);
  // One flag per (my image, other report): the nearest of that report's images.
  const flags = new Map<
    string,
    { file_id: string; other_report_id: string; other_file_id: string; distance: number }
  >();
  for (const [fileId, list] of near) {
    for (const c of list) {
      for (const other of reportsOf.get(c.fileId) ?? []) {
        const key = `${fileId}|${other}`;
        const prev = flags.get(key);
        if (!prev || c.distance < prev.distance)
          flags.set(key, {
            file_id: fileId,
            other_report_id: other,
            other_file_id: c.fileId,
            distance: c.distance,
          });
      }
    }
  }
  const rows = [...flags.values()].map((f) => ({ report_id: reportId, ...f }));
  for (let i = 0; i < rows.length; i += 500)
    await tx.db
      .insertInto('ledger_report_flags')
      .values(rows.slice(i, i + 500))
      .execute();
  await tx.db
    .updateTable('ledger_reports')
    .set({ similar_flags: rows.length })
    .where('id', '=', reportId)
    .execute();
  return rows.length;
}
