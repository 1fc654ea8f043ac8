/** Which campaign and units an export covers, checked before a byte is sent. */
import type { AppContext } from '../../../platform/context.ts';
import { notFound } from '../../../platform/http/errors.ts';
import type { Scope } from '../../../platform/rbac/types.ts';
import { findUnitRow, inScope } from '../../org/repo.ts';
import { findCampaign } from '../repo.ts';

export interface ExportTarget {
  campaign: { id: string; name: string; year: number };
  /** One unit, or null for every unit of the caller's scope. */
  unit: { id: string; name: string } | null;
}

/**
 * The campaign must be visible to the caller and the unit (when one is named) must exist and lie in the
 * caller's scope; otherwise 404, so an export never tells a unit what another unit's ledger holds.
 * A caller who sees only their own unit always gets that unit.
 */
export async function exportTarget(
  ctx: AppContext,
  scope: Scope,
  campaignId: string,
  unitId: string | undefined,
): Promise<ExportTarget> {
  const db = ctx.database.db;
  const c = await findCampaign(db, scope, campaignId);
  if (!c) throw notFound();
  const wanted = unitId ?? (scope.kind === 'own' ? scope.unitId : undefined);
  if (!wanted) return { campaign: { id: c.id, name: c.name, year: c.year }, unit: null };
  const unit = await findUnitRow(db, wanted);
  if (!unit || !inScope(unit, scope)) throw notFound();
  return { campaign: { id: c.id, name: c.name, year: c.year }, unit: { id: unit.id, name: unit.name } };
}

/** A file or folder name any unzip tool and file system accepts: no separators, control or reserved characters. */
export function safeName(raw: string, max = 80): string {
  const cleaned = raw
    // biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point
    .replace(/[\u0000-\u001f\u007f/\\:*?"<>|]/g, '_')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^\.+/, '_');
  const chars = Array.from(cleaned);
  return (chars.length > max ? chars.slice(0, max).join('') : cleaned) || '_';
}
