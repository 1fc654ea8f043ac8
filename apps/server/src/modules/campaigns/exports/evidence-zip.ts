/**
 * A unit's evidence as a ZIP: every file of its (non-draft) reports, in folders per activity / task /
 * cycle, named `<report date>_<original name>`, with an index.csv. Blobs are read from the evidence
 * store one at a time while the archive streams out.
 */
import type { Writable } from 'node:stream';
import archiver from 'archiver';
import type { Kysely } from 'kysely';
import type { DB } from '../../../db/schema.ts';
import { formatLocal } from '../../../platform/calendar/calendar.ts';
import type { BlobStore } from '../../../platform/files/store.ts';
import { activityLabel } from '../halfyear/stats.ts';
import { type ExportTarget, safeName } from './scope.ts';

export interface EvidenceEntry {
  /** The path inside the archive. */
  path: string;
  reportId: string;
  task: string;
  state: string;
  sha256: string;
}

/** Every entry of the unit's archive, in ledger order; names are unique inside their folder. */
export async function evidenceEntries(
  db: Kysely<DB>,
  campaignId: string,
  unitId: string,
): Promise<EvidenceEntry[]> {
  const rows = await db
    .selectFrom('ledger_reports as r')
    .innerJoin('ledger_report_items as it', 'it.report_id', 'r.id')
    .innerJoin('task_instances as i', 'i.id', 'it.instance_id')
    .innerJoin('campaign_tasks as t', 't.id', 'i.task_id')
    .innerJoin('campaign_activities as a', 'a.id', 'i.activity_id')
    .innerJoin('file_links as l', (j) =>
      j.onRef('l.record_id', '=', 'r.id').on('l.record_type', '=', 'ledger_report'),
    )
    .innerJoin('files as f', 'f.id', 'l.file_id')
    .select([
      'r.id as report_id',
      'r.state',
      'r.submitted_at',
      'r.created_at',
      'i.cycle',
      't.title',
      'a.numeral',
      'a.name as activity_name',
      'f.original_name',
      'f.sha256',
    ])
    .where('r.campaign_id', '=', campaignId)
    .where('r.unit_id', '=', unitId)
    .where('r.state', '<>', 'draft')
    .orderBy('a.seq')
    .orderBy('t.seq')
    .orderBy('i.starts_on')
    .orderBy('r.submitted_at')
    .orderBy('r.id')
    .orderBy('l.linked_at')
    .orderBy('f.id')
    .execute();
  const taken = new Set<string>();
  return rows.map((r) => {
    const folder = [
      safeName(activityLabel(r.numeral, r.activity_name)),
      safeName(r.title),
      safeName(r.cycle),
    ].join('/');
    const day = formatLocal(new Date(r.submitted_at ?? r.created_at)).slice(0, 10);
    const name = safeName(`${day}_${r.original_name}`, 120);
    let path = `${folder}/${name}`;
    for (let n = 2; taken.has(path); n++) {
      const dot = name.lastIndexOf('.');
      path = `${folder}/${dot > 0 ? `${name.slice(0, dot)}(${n})${name.slice(dot)}` : `${name}(${n})`}`;
    }
    taken.add(path);
    return { path, reportId: r.report_id, task: r.title, state: r.state, sha256: r.sha256 };
  });
}

function csvCell(v: string): string {
  return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/** index.csv (UTF-8 with a BOM so that Excel reads the Chinese): file, report, task, state, sha256. */
export function indexCsv(entries: EvidenceEntry[]): string {
  const lines = [['file', 'report', 'task', 'state', 'sha256']];
  for (const e of entries) lines.push([e.path, e.reportId, e.task, e.state, e.sha256]);
  return `\uFEFF${lines.map((l) => l.map(csvCell).join(',')).join('\r\n')}\r\n`;
}

/** Marks entries whose blob is missing from the store (path ''): listed in the index, not archived. */
export async function markMissing(store: BlobStore, entries: EvidenceEntry[]): Promise<EvidenceEntry[]> {
  const present = new Map<string, boolean>();
  for (const e of entries) if (!present.has(e.sha256)) present.set(e.sha256, await store.has(e.sha256));
  return entries.map((e) => (present.get(e.sha256) ? e : { ...e, path: '' }));
}

/**
 * Streams the archive to `out`: index.csv first, then each blob, one open file at a time (the next is
 * appended once the archiver has taken the previous one). Stops when the client goes away.
 */
export async function writeEvidenceZip(
  store: BlobStore,
  target: ExportTarget,
  entries: EvidenceEntry[],
  out: Writable,
): Promise<void> {
  const archive = archiver('zip', { zlib: { level: 6 } });
  let closed = false;
  const done = new Promise<void>((resolve, reject) => {
    out.once('close', () => {
      closed = true;
      resolve();
    });
    out.once('finish', resolve);
    out.on('error', reject);
    archive.on('error', reject);
  });
  archive.pipe(out);
  const root = safeName(`${target.campaign.name}_${target.unit?.name ?? ''}`);
  const add = async (source: string | NodeJS.ReadableStream, name: string) => {
    const entered = new Promise<void>((resolve) => archive.once('entry', () => resolve()));
    archive.append(source as Parameters<typeof archive.append>[0], { name: `${root}/${name}` });
    await Promise.race([entered, done]);
  };
  await add(indexCsv(entries), 'index.csv');
  for (const e of entries) {
    if (closed) break;
    if (e.path) await add(store.open(e.sha256), e.path);
  }
  if (closed) {
    archive.abort();
    return;
  }
  await archive.finalize();
  await done;
}
