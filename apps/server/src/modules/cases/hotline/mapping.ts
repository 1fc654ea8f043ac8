import { HOTLINE_FIELDS, type HotlineField } from '../../../../../../packages/contracts/src/index.ts';

/**
 * How a 12345 export's columns become a case: which column holds each field, how the hotline's
 * category names translate to ours, and what to do with a township we do not know.
 */
export const HOTLINE_SOURCE = '12345';

export interface HotlineMapping {
  /** field → the column header that holds it; null: the file has no such column. */
  columns: Record<HotlineField, string | null>;
  /** The hotline's category (诉求类型) → our category code. */
  categoryValues: Record<string, string>;
  /** The category code for an empty or unlisted category; null: such a row is rejected. */
  defaultCategory: string | null;
  /** A township that resolves to no unit: reject the row, or import it without an area (the office routes it). */
  unknownTownship: 'reject' | 'unrouted';
}

/** The columns of the usual 12345 work-order export, and its common category names. */
export const DEFAULT_MAPPING: HotlineMapping = {
  columns: {
    orderNo: '工单编号',
    createdAt: '来电时间',
    category: '诉求类型',
    description: '诉求内容',
    address: '事发地址',
    township: '所属乡镇',
    contactName: '联系人',
    contactPhone: '联系电话',
  },
  categoryValues: {
    交通秩序: 'traffic',
    交通管理: 'traffic',
    占道停车: 'traffic',
    市容环境: 'environment',
    环境卫生: 'environment',
    市容市貌: 'environment',
    城市管理: 'environment',
    公共秩序: 'order',
    噪音扰民: 'order',
    不文明行为: 'behaviour',
    诚信缺失: 'integrity',
    消费维权: 'integrity',
    网络谣言: 'rumour',
    志愿服务: 'volunteer',
    其他: 'other',
  },
  defaultCategory: 'other',
  unknownTownship: 'reject',
};

/** Headers the mapping names that the file lacks. */
export function missingHeaders(mapping: HotlineMapping, headers: string[]): string[] {
  const present = new Set(headers);
  const missing: string[] = [];
  for (const field of HOTLINE_FIELDS) {
    const h = mapping.columns[field];
    if (h !== null && !present.has(h) && !missing.includes(h)) missing.push(h);
  }
  return missing;
}
