import type { Kysely } from 'kysely';
import { HOTLINE_FIELDS } from '../../../../../../packages/contracts/src/index.ts';
import { uuidv7 } from '../../../db/ids.ts';
import { int, json } from '../../../db/normalize.ts';
import type { DB } from '../../../db/schema.ts';
import type { Actor } from '../../../platform/audit/audit.ts';
import type { AppContext } from '../../../platform/context.ts';
import { AppError, type FieldProblem, invalidField, notFound } from '../../../platform/http/errors.ts';
import { type Lang, message } from '../../../platform/http/messages.ts';
import { writeTx } from '../../../platform/tx.ts';
import type { Caller } from '../../../platform/workflow/machine.ts';
import { intakeCase, updateImportedCase } from '../intake.ts';
import { DEFAULT_MAPPING, HOTLINE_SOURCE, type HotlineMapping, missingHeaders } from './mapping.ts';
import { checkRow, type HotlineValues, type RowDirectory } from './rows.ts';
import { readSheet, type Sheet, SheetError } from './table.ts';

export const MAX_IMPORT_ROWS = 20_000;

/** Rows of an import written at once (see importHotline). */
const WRITE_WINDOW = 32;

export type RowOutcome = 'created' | 'updated' | 'unchanged' | 'rejected';

/** One row of the report as stored (problems as codes, so each reader gets their own language). */
interface StoredRow {
  row: number;
  orderNo: string;
  outcome: RowOutcome;
  caseId: string | null;
  caseNo: string | null;
  errors?: FieldProblem[];
}

export interface ReportRow {
  row: number;
  orderNo: string;
  outcome: RowOutcome;
  caseId: string | null;
  caseNo: string | null;
  errors: { field: string; message: string }[];
}

export interface ImportCounts {
  created: number;
  updated: number;
  unchanged: number;
  rejected: number;
}

export interface ImportSummary extends ImportCounts {
  id: string;
  filename: string;
  importedBy: string | null;
  importedByName: string | null;
  createdAt: string;
}

export interface ImportReport extends ImportCounts {
  id: string | null;
  dryRun: boolean;
  filename: string;
  headers: string[];
  total: number;
  rows: ReportRow[];
  createdAt: string;
}

export async function getMapping(
  db: Kysely<DB>,
): Promise<HotlineMapping & { updatedAt: string | null; updatedBy: string | null }> {
  const row = await db
    .selectFrom('case_import_mappings')
    .select(['mapping', 'updated_at', 'updated_by'])
    .where('source', '=', HOTLINE_SOURCE)
    .executeTakeFirst();
  const stored = row ? json<HotlineMapping>(row.mapping) : null;
  return {
    ...(stored ?? DEFAULT_MAPPING),
    updatedAt: row?.updated_at ?? null,
    updatedBy: row?.updated_by ?? null,
  };
}

/** Saves the mapping after checking it names every required column and only known category codes. */
export async function saveMapping(ctx: AppContext, actor: Actor, mapping: HotlineMapping) {
  for (const [value, code] of Object.entries(mapping.categoryValues)) {
    if (!value.trim()) throw invalidField('categoryValues', 'field.required');
    if (!code) throw invalidField(`categoryValues.${value}`, 'field.required');
  }
  const columns = Object.fromEntries(
    HOTLINE_FIELDS.map((f) => [f, mapping.columns[f]?.trim() ? mapping.columns[f].trim() : null]),
  ) as HotlineMapping['columns'];
  if (!columns.orderNo) throw invalidField('columns.orderNo', 'field.required');
  if (!columns.description) throw invalidField('columns.description', 'field.required');
  const clean: HotlineMapping = {
    columns,
    categoryValues: Object.fromEntries(Object.entries(mapping.categoryValues).map(([k, v]) => [k.trim(), v])),
    defaultCategory: mapping.defaultCategory || null,
    unknownTownship: mapping.unknownTownship,
  };
  await writeTx(ctx, actor, async (tx) => {
    const codes = new Set(
      (await tx.db.selectFrom('case_categories').select('code').execute()).map((c) => c.code),
    );
    for (const [value, code] of Object.entries(clean.categoryValues)) {
      if (!codes.has(code)) throw invalidField(`categoryValues.${value}`, 'hotline.categoryCode', { code });
    }
    if (clean.defaultCategory && !codes.has(clean.defaultCategory)) {
      throw invalidField('defaultCategory', 'hotline.categoryCode', { code: clean.defaultCategory });
    }
    const before = await tx.db
      .selectFrom('case_import_mappings')
      .select('mapping')
      .where('source', '=', HOTLINE_SOURCE)
      .executeTakeFirst();
    const now = tx.clock.now().toISOString();
    const text = JSON.stringify(clean);
    if (before) {
      await tx.db
        .updateTable('case_import_mappings')
        .set({ mapping: text, updated_by: actor.id, updated_at: now })
        .where('source', '=', HOTLINE_SOURCE)
        .execute();
    } else {
      await tx.db
        .insertInto('case_import_mappings')
        .values({ source: HOTLINE_SOURCE, mapping: text, updated_by: actor.id, updated_at: now })
        .execute();
    }
    await tx.audit({
      action: 'case.import_mapping.save',
      entity: 'case_import_mapping',
      entityId: HOTLINE_SOURCE,
      before: before ? json(before.mapping) : null,
      after: clean,
    });
  });
  return getMapping(ctx.database.db);
}

async function loadDirectory(db: Kysely<DB>): Promise<RowDirectory> {
  const categories = await db
    .selectFrom('case_categories')
    .select(['id', 'code', 'name_zh', 'name_en'])
    .where('active', '=', true)
    .execute();
  const units = await db
    .selectFrom('org_units')
    .select(['id', 'name', 'short_name', 'type'])
    .where('type', 'in', ['region', 'township', 'village'])
    .execute();
  const aliases = await db
    .selectFrom('org_aliases as a')
    .innerJoin('org_units as o', 'o.id', 'a.unit_id')
    .select(['a.alias', 'a.unit_id', 'o.type'])
    .where('o.type', 'in', ['township', 'village'])
    .execute();
  const areaByName = new Map<string, string | null>();
  // Townships first: a village that shares a township's name does not shadow it.
  const add = (name: string | null, id: string, level: Map<string, string | null>) => {
    if (!name) return;
    const seen = level.get(name);
    level.set(name, seen === undefined || seen === id ? id : null);
  };
  for (const type of ['township', 'village']) {
    const level = new Map<string, string | null>();
    for (const u of units.filter((x) => x.type === type)) {
      add(u.name, u.id, level);
      add(u.short_name, u.id, level);
      // 滨河社区居民委员会 is written 滨河社区, 南孟村村民委员会 南孟村.
      const bare = u.name.replace(/(居民委员会|村民委员会|街道委员会|委员会)$/, '');
      if (bare !== u.name) add(bare, u.id, level);
    }
    for (const a of aliases.filter((x) => x.type === type)) add(a.alias, a.unit_id, level);
    for (const [k, v] of level) if (!areaByName.has(k)) areaByName.set(k, v);
  }
  return {
    categoryByCode: new Map(categories.map((c) => [c.code, c.id])),
    categoryCodeByName: new Map(
      categories.flatMap((c) => [[c.name_zh, c.code] as const, [c.name_en, c.code] as const]),
    ),
    areaByName,
    regionNames: units
      .filter((u) => u.type === 'region')
      .flatMap((u) => [u.name, u.short_name ?? ''])
      .filter((n) => n !== ''),
  };
}

async function existingCases(db: Kysely<DB>, orderNos: string[]) {
  const found = new Map<string, { id: string; no: string; hash: string | null }>();
  for (let i = 0; i < orderNos.length; i += 500) {
    const rows = await db
      .selectFrom('cases')
      .select(['id', 'no', 'external_no', 'external_hash'])
      .where('external_source', '=', HOTLINE_SOURCE)
      .where('external_no', 'in', orderNos.slice(i, i + 500))
      .execute();
    for (const r of rows)
      if (r.external_no) found.set(r.external_no, { id: r.id, no: r.no, hash: r.external_hash });
  }
  return found;
}

const translate = (lang: Lang, errors: FieldProblem[] = []) =>
  errors.map((e) => ({ field: e.field, message: message(e.code, lang, e.params) }));

function problemsOf(err: AppError): FieldProblem[] {
  return err.fields.length ? err.fields : [{ field: '', code: err.code, params: err.params }];
}

const UNIQUE_VIOLATION = new Set(['23505', 'SQLITE_CONSTRAINT_UNIQUE']);

/** Reads the file and checks its header row against the mapping (400 naming the missing headers). */
export async function readImportFile(
  db: Kysely<DB>,
  bytes: Buffer,
): Promise<{ sheet: Sheet; mapping: HotlineMapping }> {
  let sheet: Sheet;
  try {
    sheet = await readSheet(bytes);
  } catch (err) {
    if (err instanceof SheetError) throw new AppError(400, 'IMPORT_FILE_INVALID');
    throw err;
  }
  if (sheet.rows.length === 0) {
    throw new AppError(400, 'CASE_IMPORT_EMPTY', {}, [{ field: 'file', code: 'hotline.noRows' }]);
  }
  if (sheet.rows.length > MAX_IMPORT_ROWS) {
    throw new AppError(400, 'CASE_IMPORT_TOO_MANY_ROWS', {
      limit: MAX_IMPORT_ROWS,
      count: sheet.rows.length,
    });
  }
  const mapping = await getMapping(db);
  const missing = missingHeaders(mapping, sheet.headers);
  if (missing.length) {
    throw new HeaderError(sheet.headers, missing);
  }
  return { sheet, mapping };
}

/** The header row does not match the mapping; the reply also lists the headers found, for the editor. */
export class HeaderError extends AppError {
  constructor(
    readonly headers: string[],
    readonly missing: string[],
  ) {
    super(400, 'CASE_IMPORT_HEADERS_MISSING', { headers: missing.join('、') }, [
      { field: 'file', code: 'hotline.missingHeaders', params: { headers: missing.join('、') } },
    ]);
  }
}

function intakeOf(v: HotlineValues) {
  return {
    kind: 'snapshot' as const,
    categoryId: v.categoryId,
    description: v.description,
    areaUnitId: v.areaUnitId,
    address: v.address,
    anonymous: false,
    contactName: v.contactName,
    contactPhone: v.contactPhone,
    photoIds: [],
    ...(v.createdAt ? { createdAt: v.createdAt } : {}),
  };
}

/**
 * Imports (or, with dryRun, only checks) a 12345 export. Each row on its own: a new order number is
 * filed as a case (channel 'hotline'), a known one whose mapped values changed updates its case, the
 * same values change nothing, and a row with problems is rejected with them. A row is all or nothing,
 * and one bad row does not stop the others. A real import is recorded in case_imports and audited.
 */
export async function importHotline(
  ctx: AppContext,
  caller: Caller,
  lang: Lang,
  input: { filename: string; bytes: Buffer; dryRun: boolean },
): Promise<ImportReport> {
  const { db } = ctx.database;
  const { sheet, mapping } = await readImportFile(db, input.bytes);
  const columnIndex = new Map<string, number>();
  sheet.headers.forEach((h, i) => {
    if (h && !columnIndex.has(h)) columnIndex.set(h, i);
  });
  const dir = await loadDirectory(db);
  const now = ctx.clock.now();
  const checked = sheet.rows.map((r) => ({
    row: r.row,
    result: checkRow(r.cells, columnIndex, mapping, dir, now),
  }));
  const known = await existingCases(db, [
    ...new Set(checked.flatMap((c) => (c.result.ok ? [c.result.values.orderNo] : []))),
  ]);

  const firstRow = new Map<string, number>();
  const rows: StoredRow[] = [];
  const rejection = (row: number, orderNo: string, errors: FieldProblem[]): StoredRow => ({
    row,
    orderNo,
    outcome: 'rejected',
    caseId: null,
    caseNo: null,
    errors,
  });
  /** The rows to write: each fills its place in `rows` (the file's order) when written. */
  const writes: (() => Promise<void>)[] = [];
  for (const { row, result } of checked) {
    if (!result.ok) {
      rows.push(rejection(row, result.orderNo, result.errors));
      continue;
    }
    const { values, hash } = result;
    const earlier = firstRow.get(values.orderNo);
    if (earlier !== undefined) {
      rows.push(
        rejection(row, values.orderNo, [
          { field: 'orderNo', code: 'hotline.duplicate', params: { row: earlier } },
        ]),
      );
      continue;
    }
    firstRow.set(values.orderNo, row);
    const existing = known.get(values.orderNo);
    const done = (outcome: RowOutcome, c: { id: string; no: string } | null): StoredRow => ({
      row,
      orderNo: values.orderNo,
      outcome,
      caseId: c?.id ?? null,
      caseNo: c?.no ?? null,
    });
    if (existing && existing.hash === hash) {
      rows.push(done('unchanged', existing));
      continue;
    }
    if (input.dryRun) {
      rows.push(done(existing ? 'updated' : 'created', existing ?? null));
      continue;
    }
    const at = rows.push(done(existing ? 'updated' : 'created', existing ?? null)) - 1;
    writes.push(async () => {
      try {
        if (existing) {
          await updateImportedCase(
            ctx,
            existing.id,
            {
              description: values.description,
              address: values.address,
              categoryId: values.categoryId,
              areaUnitId: values.areaUnitId,
              contactName: values.contactName,
              contactPhone: values.contactPhone,
              hash,
            },
            caller,
          );
        } else {
          const created = await intakeCase(ctx, intakeOf(values), {
            caller,
            channel: 'hotline',
            ip: caller.ip,
            external: { source: HOTLINE_SOURCE, no: values.orderNo, hash },
          });
          rows[at] = done('created', created);
        }
      } catch (err) {
        const code = (err as { code?: unknown }).code;
        if (err instanceof AppError) {
          rows[at] = rejection(row, values.orderNo, problemsOf(err));
        } else if (typeof code === 'string' && UNIQUE_VIOLATION.has(code)) {
          // Another import of the same order committed first.
          rows[at] = rejection(row, values.orderNo, [{ field: 'orderNo', code: 'hotline.concurrent' }]);
        } else throw err;
      }
    });
  }
  // A window of rows at a time: their cases share the intake's group commits (a transaction for many),
  // each row still all or nothing. The report keeps the file's order; the case numbers follow it only
  // roughly within a window on PostgreSQL (the rows reach the number counter as their reads return).
  for (let i = 0; i < writes.length; i += WRITE_WINDOW)
    await Promise.all(writes.slice(i, i + WRITE_WINDOW).map((write) => write()));

  const counts: ImportCounts = { created: 0, updated: 0, unchanged: 0, rejected: 0 };
  for (const r of rows) counts[r.outcome]++;
  const createdAt = ctx.clock.now().toISOString();
  let id: string | null = null;
  if (!input.dryRun) {
    id = uuidv7();
    const importId = id;
    await writeTx(ctx, { id: caller.user.id, name: caller.user.displayName, ip: caller.ip }, async (tx) => {
      await tx.db
        .insertInto('case_imports')
        .values({
          id: importId,
          source: HOTLINE_SOURCE,
          file_id: null,
          filename: input.filename,
          ...counts,
          rows: JSON.stringify(rows),
          imported_by: caller.user.id,
          created_at: createdAt,
        })
        .execute();
      await tx.audit({
        action: 'case.import',
        entity: 'case_import',
        entityId: importId,
        after: { source: HOTLINE_SOURCE, filename: input.filename, total: rows.length, ...counts },
      });
    });
  }
  return {
    id,
    dryRun: input.dryRun,
    filename: input.filename,
    headers: sheet.headers,
    total: rows.length,
    ...counts,
    rows: rows.map((r) => ({ ...r, errors: translate(lang, r.errors) })),
    createdAt,
  };
}

function summaryQuery(db: Kysely<DB>) {
  return db
    .selectFrom('case_imports as i')
    .leftJoin('users as u', 'u.id', 'i.imported_by')
    .select([
      'i.id',
      'i.filename',
      'i.created',
      'i.updated',
      'i.unchanged',
      'i.rejected',
      'i.imported_by',
      'i.created_at',
      'u.display_name as imported_by_name',
    ])
    .where('i.source', '=', HOTLINE_SOURCE);
}

type SummaryRow = NonNullable<Awaited<ReturnType<ReturnType<typeof summaryQuery>['executeTakeFirst']>>>;

const summary = (r: SummaryRow): ImportSummary => ({
  id: r.id,
  filename: r.filename,
  created: int(r.created),
  updated: int(r.updated),
  unchanged: int(r.unchanged),
  rejected: int(r.rejected),
  importedBy: r.imported_by,
  importedByName: r.imported_by_name,
  createdAt: r.created_at,
});

export async function listImports(db: Kysely<DB>, page: number, pageSize: number) {
  const items = await summaryQuery(db)
    .orderBy('i.created_at', 'desc')
    .orderBy('i.id', 'desc')
    .limit(pageSize)
    .offset((page - 1) * pageSize)
    .execute();
  const total = await db
    .selectFrom('case_imports')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('source', '=', HOTLINE_SOURCE)
    .executeTakeFirst();
  return { items: items.map(summary), total: int(total?.n) };
}

export async function getImport(
  db: Kysely<DB>,
  lang: Lang,
  id: string,
): Promise<ImportReport & ImportSummary> {
  const r = await summaryQuery(db).select('i.rows').where('i.id', '=', id).executeTakeFirst();
  if (!r) throw notFound();
  const rows = json<StoredRow[]>(r.rows) ?? [];
  return {
    ...summary(r),
    dryRun: false,
    headers: [],
    total: rows.length,
    rows: rows.map((x) => ({ ...x, errors: translate(lang, x.errors) })),
  };
}
