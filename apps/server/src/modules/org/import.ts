import type ExcelJS from 'exceljs';
import { ORG_UNIT_TYPES, type OrgUnitType } from '../../../../../packages/contracts/src/index.ts';
import { uuidv7 } from '../../db/ids.ts';
import type { OrgUnitTable } from '../../db/schema.ts';
import type { Actor } from '../../platform/audit/audit.ts';
import type { AppContext } from '../../platform/context.ts';
import { AppError } from '../../platform/http/errors.ts';
import { type Lang, type MessageCode, message } from '../../platform/http/messages.ts';
import type { Scope } from '../../platform/rbac/types.ts';
import { writeTx } from '../../platform/tx.ts';
import { listUnitRows, lockTree } from './repo.ts';

/** Column headers accepted in Chinese and English (case-insensitive for English). */
const COLUMNS: Record<string, 'name' | 'parent' | 'type' | 'shortName' | 'regionCode' | 'sort'> = {
  名称: 'name',
  单位名称: 'name',
  name: 'name',
  上级: 'parent',
  上级单位: 'parent',
  parent: 'parent',
  类型: 'type',
  单位类型: 'type',
  type: 'type',
  简称: 'shortName',
  shortname: 'shortName',
  区划代码: 'regionCode',
  regioncode: 'regionCode',
  排序: 'sort',
  sort: 'sort',
};

/** Unit-type labels an office writes in a spreadsheet. */
const TYPE_LABELS: Record<string, OrgUnitType> = {
  地区: 'region',
  行政区: 'region',
  文明委: 'committee',
  委员会: 'committee',
  文明办: 'office',
  办公室: 'office',
  工作组: 'working_group',
  成员单位: 'member_unit',
  市直单位: 'member_unit',
  中省直单位: 'member_unit',
  乡镇: 'township',
  街道: 'township',
  '乡镇/街道': 'township',
  村: 'village',
  社区: 'village',
  '村/社区': 'village',
  实践中心: 'practice_center',
  实践所: 'practice_station',
  实践站: 'practice_station',
  其他: 'other',
};

export interface ImportRowResult {
  row: number;
  status: 'created' | 'error';
  name?: string;
  message?: string;
}

type Cells = Partial<Record<'name' | 'parent' | 'type' | 'shortName' | 'regionCode' | 'sort', string>>;

/** A CSV line splitter that honours quotes ("a,b" and doubled "" inside quotes). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else cell += c;
  }
  if (cell !== '' || row.length) {
    row.push(cell);
    rows.push(row);
  }
  return rows.filter((r) => r.some((c) => c.trim() !== ''));
}

/** Excel in China often saves CSV as GB18030: fall back to it when the bytes are not UTF-8. */
function decodeText(buf: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(buf).replace(/^\uFEFF/, '');
  } catch {
    return new TextDecoder('gb18030').decode(buf);
  }
}

function cellText(v: ExcelJS.CellValue): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'object') {
    if ('richText' in v) return v.richText.map((t) => t.text).join('');
    if ('text' in v) return String(v.text);
    if ('result' in v) return String(v.result ?? '');
    if (v instanceof Date) return v.toISOString();
  }
  return String(v);
}

export async function readTable(buf: Buffer, filename: string): Promise<string[][]> {
  const isXlsx = buf.subarray(0, 2).toString('latin1') === 'PK';
  if (isXlsx) {
    // Loaded on first use: exceljs is large and only this route needs it.
    const { default: Excel } = await import('exceljs');
    const wb = new Excel.Workbook();
    try {
      await wb.xlsx.load(buf as unknown as ArrayBuffer);
    } catch {
      throw new AppError(400, 'IMPORT_FILE_INVALID');
    }
    const ws = wb.worksheets[0];
    if (!ws) return [];
    const out: string[][] = [];
    ws.eachRow({ includeEmpty: false }, (r) => {
      const values: string[] = [];
      for (let c = 1; c <= ws.columnCount; c++) values.push(cellText(r.getCell(c).value).trim());
      out.push(values);
    });
    return out;
  }
  if (!/\.(csv|txt)$/i.test(filename) && buf.includes(0)) throw new AppError(400, 'IMPORT_FILE_INVALID');
  return parseCsv(decodeText(buf));
}

/**
 * Bulk import of org units, all or nothing: every row is checked first (parents may be existing
 * units in scope — by id, name or alias — or rows earlier in the same file); if any row is wrong,
 * nothing is written and the per-row report says why.
 */
export async function importUnits(
  ctx: AppContext,
  actor: Actor,
  scope: Scope,
  lang: Lang,
  table: string[][],
): Promise<{ created: number; rows: ImportRowResult[] }> {
  const t = (code: MessageCode, params?: Record<string, unknown>) => message(code, lang, params);
  const [header, ...body] = table;
  if (!header || body.length === 0) {
    throw new AppError(400, 'IMPORT_FAILED', { count: 1 }, [{ field: 'file', code: 'import.noRows' }]);
  }
  const column = (h: string) => (Object.hasOwn(COLUMNS, h) ? COLUMNS[h] : undefined);
  const keys = header.map((h) => column(h.trim()) ?? column(h.trim().toLowerCase()));
  for (const required of ['name', 'parent', 'type'] as const) {
    if (!keys.includes(required)) {
      throw new AppError(400, 'IMPORT_FAILED', { count: 1 }, [
        { field: 'file', code: 'import.missingColumn', params: { column: required } },
      ]);
    }
  }

  // Planned and written under the tree lock, so parents' paths cannot change in between.
  return writeTx(ctx, actor, async (tx) => {
    await lockTree(ctx.database.engine, tx.db);
    const { rows: existing } = await listUnitRows(tx.db, scope);
    const aliasRows = await tx.db.selectFrom('org_aliases').select(['alias', 'unit_id']).execute();
    const byId = new Map(existing.map((u) => [u.id, u]));
    const byName = new Map<string, OrgUnitTable[]>();
    const add = (key: string, u: OrgUnitTable) => byName.set(key, [...(byName.get(key) ?? []), u]);
    for (const u of existing) add(u.name, u);
    for (const a of aliasRows) {
      const u = byId.get(a.unit_id);
      if (u) add(a.alias, u);
    }

    const now = ctx.clock.now().toISOString();
    const planned: OrgUnitTable[] = [];
    const results: ImportRowResult[] = [];
    const siblings = new Set(existing.map((u) => `${u.parent_id}|${u.name}`));

    for (const [i, cells] of body.entries()) {
      const rowNo = i + 2;
      const c: Cells = {};
      keys.forEach((k, j) => {
        if (k) c[k] = (cells[j] ?? '').trim();
      });
      const fail = (code: MessageCode, params?: Record<string, unknown>) => {
        results.push({ row: rowNo, status: 'error', name: c.name, message: t(code, params) });
      };
      const name = c.name ?? '';
      if (!name) {
        fail('import.nameRequired');
        continue;
      }
      if (name.length > 100) {
        fail('import.nameTooLong');
        continue;
      }
      if (!c.parent) {
        fail('import.parentRequired');
        continue;
      }
      const candidates = byId.has(c.parent)
        ? [byId.get(c.parent) as OrgUnitTable]
        : (byName.get(c.parent) ?? []);
      if (candidates.length === 0) {
        fail('import.parentUnknown', { parent: c.parent });
        continue;
      }
      if (candidates.length > 1) {
        fail('import.parentAmbiguous', { parent: c.parent });
        continue;
      }
      const parent = candidates[0];
      const rawType = c.type ?? '';
      const type: OrgUnitType | undefined = Object.hasOwn(TYPE_LABELS, rawType)
        ? TYPE_LABELS[rawType]
        : ORG_UNIT_TYPES.find((x) => x === rawType.toLowerCase());
      if (!type) {
        fail('import.typeUnknown', { type: rawType });
        continue;
      }
      const sort = c.sort ? Number(c.sort) : 0;
      if (!Number.isInteger(sort) || Math.abs(sort) > 100000) {
        fail('import.sort');
        continue;
      }
      if ((c.shortName ?? '').length > 50) {
        fail('import.shortNameTooLong');
        continue;
      }
      if (c.regionCode && !/^(\d{6}|\d{9}|\d{12})$/.test(c.regionCode)) {
        fail('import.regionCode');
        continue;
      }
      const key = `${parent.id}|${name}`;
      if (siblings.has(key)) {
        fail('import.duplicate', { name });
        continue;
      }
      siblings.add(key);
      const id = uuidv7();
      const unit: OrgUnitTable = {
        id,
        parent_id: parent.id,
        path: `${parent.path}${id}/`,
        depth: parent.depth + 1,
        name,
        short_name: c.shortName || null,
        type,
        region_code: c.regionCode || null,
        sort,
        created_at: now,
        updated_at: now,
      };
      planned.push(unit);
      byId.set(id, unit);
      add(name, unit);
      results.push({ row: rowNo, status: 'created', name });
    }

    const errors = results.filter((r) => r.status === 'error').length;
    if (errors > 0) return { created: 0, rows: results };
    for (const u of planned) await tx.db.insertInto('org_units').values(u).execute();
    await tx.audit({
      action: 'org.unit.import',
      entity: 'org_unit',
      after: { created: planned.length, names: planned.map((u) => u.name) },
    });
    return { created: planned.length, rows: results };
  });
}
