import type {
  CaseChannel,
  CaseKind,
  CaseLevel,
  CaseState,
} from '../../../../../packages/contracts/src/index.ts';
import type { AppContext } from '../../platform/context.ts';
import type { Caller } from '../../platform/workflow/machine.ts';

/** What a case is filed with, whatever the channel (H5 form, console, 12345 import, Open311). */
export interface CaseIntake {
  kind: CaseKind;
  categoryId: string;
  /** Default: the first 30 characters of the description. */
  title?: string | null;
  description: string;
  /** 说事 only: whom the citizen addresses; 随手拍 cases are 'township'-less and get 'village'. */
  level?: CaseLevel | null;
  /** A township or village under the region. */
  areaUnitId?: string | null;
  address: string;
  lat?: number | null;
  lng?: number | null;
  anonymous: boolean;
  contactName?: string | null;
  /** Default: the signed-in citizen's own phone. */
  contactPhone?: string | null;
  /** Files already stored (uploaded by the caller). */
  photoIds: string[];
  /** When the case really came in (a hotline order's own time); default now. */
  createdAt?: Date;
}

/** Who files the case and through which door. */
export interface CaseOrigin {
  caller: Caller;
  channel: CaseChannel;
  ip: string | null;
  /** An imported order: its source ('12345', an API key's id), its number there and the row's hash. */
  external?: { source: string; no: string; hash: string };
}

export interface IntakeResult {
  id: string;
  no: string;
  state: CaseState;
  unitId: string | null;
  unitName: string | null;
}

/** The descriptive fields a re-imported hotline row may change (no state change). */
export interface CaseImportUpdate {
  title?: string;
  description?: string;
  address?: string;
  categoryId?: string;
  areaUnitId?: string | null;
  lat?: number | null;
  lng?: number | null;
  contactName?: string | null;
  contactPhone?: string | null;
  /** The new hash of the imported row. */
  hash?: string;
}

/**
 * Files one case: checks the fields (400 with the field), the category, the area, the photos; then in
 * one transaction the number, the row, the photo links, the history, the routing (dispatched to the
 * matching unit, or pending for the office), the deadlines, the notifications and the audit.
 */
export async function intakeCase(
  _ctx: AppContext,
  _input: CaseIntake,
  _origin: CaseOrigin,
): Promise<IntakeResult> {
  throw new Error('intakeCase: being written');
}

/** A hotline re-import of a changed row: descriptive fields updated, one history row 'update'. */
export async function updateImportedCase(
  _ctx: AppContext,
  _caseId: string,
  _fields: CaseImportUpdate,
  _caller: Caller,
): Promise<void> {
  throw new Error('updateImportedCase: being written');
}
