import { createHash } from 'node:crypto';
import type { HotlineField } from '../../../../../../packages/contracts/src/index.ts';
import type { FieldProblem } from '../../../platform/http/errors.ts';
import { normalizeContactNumber } from '../../../platform/pii/mask.ts';
import type { HotlineMapping } from './mapping.ts';

/** A row's values once mapped and checked: what a case is created or updated from. */
export interface HotlineValues {
  orderNo: string;
  createdAt: Date | null;
  categoryId: string;
  description: string;
  address: string;
  areaUnitId: string | null;
  contactName: string | null;
  contactPhone: string | null;
}

/** What the rows are checked against: categories and areas by every name they go by. */
export interface RowDirectory {
  /** category code → id, for active categories. */
  categoryByCode: Map<string, string>;
  /** category name (zh or en) → code, so a file may also use our own names. */
  categoryCodeByName: Map<string, string>;
  /** township or village name, short name or alias → unit id; null when the name is ambiguous. */
  areaByName: Map<string, string | null>;
  /** The region's name, tried off the front of a township (霸州市南孟镇 → 南孟镇). */
  regionNames: string[];
}

export type RowResult =
  | { ok: true; values: HotlineValues; hash: string }
  | { ok: false; orderNo: string; errors: FieldProblem[] };

const ORDER_NO = /^[0-9A-Za-z][0-9A-Za-z_\-/.]{0,63}$/;
const MIN_DESCRIPTION = 5;
const MAX_DESCRIPTION = 2000;
const MAX_ADDRESS = 200;
const MAX_NAME = 50;
/** Beijing time: the hotline writes local times without a zone. */
const OFFSET = '+08:00';

/**
 * 2026-03-01 09:30[:00], 2026/3/1 9:30, 2026年3月1日 9时30分, 2026-03-01T09:30:00(+08:00|Z), or a date
 * alone (midnight). Times without a zone are Beijing time.
 */
export function parseHotlineTime(raw: string): Date | null {
  const s = raw.trim();
  const iso = s.match(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/);
  if (iso) {
    const d = new Date(s);
    return Number.isNaN(d.getTime()) ? null : d;
  }
  const m = s.match(
    /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:[ T]+(\d{1,2})[:：时](\d{1,2})(?:[:：分](\d{1,2})秒?)?分?)?$/,
  );
  if (!m) return null;
  const [y, mo, d, h = '0', mi = '0', se = '0'] = m.slice(1);
  const [Y, M, D, H, Mi, S] = [y, mo, d, h, mi, se].map(Number);
  if (M < 1 || M > 12 || D < 1 || D > 31 || H > 23 || Mi > 59 || S > 59) return null;
  const p = (n: number) => String(n).padStart(2, '0');
  const date = new Date(`${Y}-${p(M)}-${p(D)}T${p(H)}:${p(Mi)}:${p(S)}${OFFSET}`);
  // 2026-02-30 rolls over to March: refuse it rather than move the call.
  if (Number.isNaN(date.getTime())) return null;
  const local = new Date(date.getTime() + 8 * 3600_000);
  return local.getUTCDate() === D && local.getUTCMonth() + 1 === M ? date : null;
}

export function resolveArea(dir: RowDirectory, name: string): string | null | undefined {
  const candidates = [name];
  for (const region of dir.regionNames)
    if (name.startsWith(region)) candidates.push(name.slice(region.length));
  for (const c of candidates) if (dir.areaByName.has(c)) return dir.areaByName.get(c);
  return undefined;
}

/** Checks one row against the mapping; every problem is reported, not only the first. */
export function checkRow(
  cells: string[],
  columnIndex: Map<string, number>,
  mapping: HotlineMapping,
  dir: RowDirectory,
  now: Date,
): RowResult {
  const cell = (field: HotlineField): string => {
    const header = mapping.columns[field];
    if (header === null) return '';
    const i = columnIndex.get(header);
    return i === undefined ? '' : (cells[i] ?? '').trim();
  };
  const errors: FieldProblem[] = [];
  const fail = (field: HotlineField, code: FieldProblem['code'], params?: Record<string, unknown>) =>
    errors.push({ field, code, params });

  const orderNo = cell('orderNo');
  if (!orderNo) fail('orderNo', 'field.required');
  else if (!ORDER_NO.test(orderNo)) fail('orderNo', 'hotline.orderNo');

  let createdAt: Date | null = null;
  const when = cell('createdAt');
  if (when) {
    createdAt = parseHotlineTime(when);
    if (!createdAt) fail('createdAt', 'hotline.time', { value: when });
    else if (createdAt.getTime() > now.getTime() + 5 * 60_000) fail('createdAt', 'hotline.timeInFuture');
  }

  const categoryRaw = cell('category');
  const code =
    (categoryRaw &&
      (mapping.categoryValues[categoryRaw] ??
        dir.categoryCodeByName.get(categoryRaw) ??
        (dir.categoryByCode.has(categoryRaw) ? categoryRaw : undefined))) ||
    mapping.defaultCategory;
  const categoryId = code ? dir.categoryByCode.get(code) : undefined;
  if (!categoryId) fail('category', 'hotline.category', { value: categoryRaw || '—' });

  const description = cell('description');
  if (!description) fail('description', 'field.required');
  else if ([...description].length < MIN_DESCRIPTION)
    fail('description', 'field.minLength', { limit: MIN_DESCRIPTION });
  else if ([...description].length > MAX_DESCRIPTION)
    fail('description', 'field.maxLength', { limit: MAX_DESCRIPTION });

  const address = cell('address');
  if ([...address].length > MAX_ADDRESS) fail('address', 'field.maxLength', { limit: MAX_ADDRESS });

  let areaUnitId: string | null = null;
  const township = cell('township');
  if (township) {
    const found = resolveArea(dir, township);
    if (found) areaUnitId = found;
    else if (found === null) fail('township', 'hotline.townshipAmbiguous', { value: township });
    else if (mapping.unknownTownship === 'reject') fail('township', 'hotline.township', { value: township });
  }

  const contactName = cell('contactName');
  if ([...contactName].length > MAX_NAME) fail('contactName', 'field.maxLength', { limit: MAX_NAME });

  let contactPhone: string | null = null;
  const phone = cell('contactPhone');
  if (phone) {
    // A mobile number or a landline with its area code (callers often ring from landlines): kept
    // encrypted for the unit's call-back.
    contactPhone = normalizeContactNumber(phone);
    if (!contactPhone) fail('contactPhone', 'hotline.phone');
  }

  if (errors.length || !categoryId) return { ok: false, orderNo, errors };
  const values: HotlineValues = {
    orderNo,
    createdAt,
    categoryId,
    description,
    address,
    areaUnitId,
    contactName: contactName || null,
    contactPhone,
  };
  return { ok: true, values, hash: rowHash(values) };
}

/** The hash of a row's mapped values: the same row imported again is recognised as unchanged. */
export function rowHash(v: HotlineValues): string {
  const canonical = JSON.stringify([
    v.orderNo,
    v.createdAt?.toISOString() ?? null,
    v.categoryId,
    v.description,
    v.address,
    v.areaUnitId,
    v.contactName,
    v.contactPhone,
  ]);
  return createHash('sha256').update(canonical).digest('hex');
}
