import type { Kysely } from 'kysely';
import type { Permission } from '../../../../../packages/contracts/src/index.ts';
import type { DB } from '../../db/schema.ts';
import type { Versions } from '../cache/versions.ts';
import type { Duration } from '../calendar/calendar.ts';
import type { AppContext } from '../context.ts';
import type { Localized, MessageCode } from '../http/messages.ts';
import type { AuthUser, Scope } from '../rbac/types.ts';
import type { Tx } from '../tx.ts';
import type { SlaPolicy } from './sla.ts';

/**
 * A workflow is declared, not coded: states, actions (who may take each, from which states, with
 * what payload), guards and effects. `platform/workflow/engine.ts` runs every transition the same way.
 */

/** The columns every workflow table has (the engine writes state, version and updated_at). */
export interface WorkflowRecord {
  id: string;
  state: string;
  version: number;
}

/** Tables that carry a workflow: id, state, version, sla_color, updated_at. */
export type WorkflowTable = 'matters' | 'half_year_reports' | 'ledger_reports' | 'cases';

export interface Caller {
  user: AuthUser;
  scope: Scope;
  ip: string | null;
  /**
   * The cache versions the HTTP edge read for this request (decision 0006): answers cached under them may
   * serve it. Absent outside a request (the seed, the CLI): such a caller reads what it needs.
   */
  versions?: Versions | null;
}

export interface TransitionInput {
  action: string;
  /** The version the caller saw: a stale version is refused (409), nothing is lost. */
  version: number;
  note?: string | null;
  attachments?: string[];
  payload?: Record<string, unknown>;
}

/** What an effect may do besides writing its own columns: open, meet and cancel deadlines. */
export interface DeadlineOps {
  open(kind: string, duration: Duration, opts?: { unitId?: string | null; from?: Date }): Promise<void>;
  meet(...kinds: string[]): Promise<void>;
  cancelAll(): Promise<void>;
  /** Records an extension request on the open deadline `kind` (refused when it is already due). */
  requestExtension(kind: string, dueAt: Date, reason: string): Promise<void>;
  /** Approves or rejects the pending extension; approval moves the deadline and restarts its stages. */
  decideExtension(approve: boolean, note: string | null): Promise<{ kind: string; dueAt: string } | null>;
}

export interface EffectArgs<R extends WorkflowRecord> {
  ctx: AppContext;
  tx: Tx;
  record: R;
  caller: Caller;
  input: TransitionInput;
  now: Date;
  /** The state the record is entering. */
  to: string;
  deadlines: DeadlineOps;
}

export interface EffectOutcome {
  payload?: Record<string, unknown>;
}

export interface ActionDef<R extends WorkflowRecord> {
  /** States the action may be taken from. */
  from: readonly string[];
  /**
   * The state after the action; null for actions that only add history (feedback, urge) and keep the
   * state; a function when the record, the input or the caller decides (e.g. a rating closes or reopens a
   * case). A function's possible results are declared in `toStates` so the machine can be checked.
   */
  to: string | null | ((record: R, input: TransitionInput, caller: Caller) => string);
  toStates?: readonly string[];
  permission: Permission;
  /** Beyond the permission: the caller's relation to this record (e.g. "works in the assignee unit"). */
  who?: (user: AuthUser, record: R) => boolean;
  /** A reason/note is required (退回, 撤销…). */
  note?: 'required' | 'optional';
  /** Evidence files are required (办结). */
  attachments?: 'required' | 'optional';
  /** Refuses with a message code when the record is not ready for this action (also hides the action). */
  guard?: (record: R) => MessageCode | null;
  /** May return values to record in the history row's payload (e.g. the new due date it set). */
  // biome-ignore lint/suspicious/noConfusingVoidType: most effects return nothing, and say so as `async () => {}`
  effects?: (args: EffectArgs<R>) => Promise<EffectOutcome | void>;
}

export interface Machine<R extends WorkflowRecord> {
  /** The record type in history, deadlines and file links, e.g. 'matter'. */
  type: string;
  table: WorkflowTable;
  states: readonly string[];
  initial: string;
  finals: readonly string[];
  actions: Record<string, ActionDef<R>>;
  /** Names of states and actions in both languages, for messages and the UI. */
  labels: { states: Record<string, Localized>; actions: Record<string, Localized> };
  sla?: SlaPolicy;
  load(db: Kysely<DB>, id: string): Promise<R | undefined>;
  /**
   * Whether the caller's data scope covers the record (out of scope reads as "not found"). `user` is the
   * caller when there is one: a record may be visible to a person outside any scope (a citizen's own case).
   */
  visible(db: Kysely<DB>, record: R, scope: Scope, user?: AuthUser): Promise<boolean>;
  /** A short human label for notifications, e.g. "JB-2026-0007 修复xx路段路灯". */
  label(record: R): string;
  /** Labels of many records at once, for lists of deadline events. */
  describe(db: Kysely<DB>, ids: string[]): Promise<Map<string, string>>;
}

/** The actions this user may take on the record now (permission, relation and state; not guards). */
export function allowedActions<R extends WorkflowRecord>(m: Machine<R>, user: AuthUser, record: R): string[] {
  return Object.entries(m.actions)
    .filter(
      ([, a]) =>
        a.from.includes(record.state) &&
        user.permissions.has(a.permission) &&
        (!a.who || a.who(user, record)) &&
        !a.guard?.(record),
    )
    .map(([name]) => name);
}

/** A list of action names as one localized parameter, e.g. "签收、退回". */
export function actionList<R extends WorkflowRecord>(m: Machine<R>, actions: string[]): Localized {
  if (!actions.length) return { 'zh-CN': '无', 'en-US': 'nothing' };
  return {
    'zh-CN': actions.map((a) => m.labels.actions[a]?.['zh-CN'] ?? a).join('、'),
    'en-US': actions.map((a) => m.labels.actions[a]?.['en-US'] ?? a).join(', '),
  };
}

/** Checks a declaration once at start: every state named exists, finals have no way out. */
export function checkMachine<R extends WorkflowRecord>(m: Machine<R>): Machine<R> {
  const states = new Set(m.states);
  const problems: string[] = [];
  if (!states.has(m.initial)) problems.push(`initial state ${m.initial} is not declared`);
  for (const f of m.finals) if (!states.has(f)) problems.push(`final state ${f} is not declared`);
  for (const [name, a] of Object.entries(m.actions)) {
    for (const s of a.from) {
      if (!states.has(s)) problems.push(`${name}: from-state ${s} is not declared`);
      if (m.finals.includes(s)) problems.push(`${name}: leaves the final state ${s}`);
    }
    if (typeof a.to === 'function') {
      if (!a.toStates?.length) problems.push(`${name}: a computed to-state needs toStates`);
      for (const t of a.toStates ?? [])
        if (!states.has(t)) problems.push(`${name}: to-state ${t} is not declared`);
    } else if (a.to !== null && !states.has(a.to)) problems.push(`${name}: to-state ${a.to} is not declared`);
    if (!m.labels.actions[name]) problems.push(`${name}: no label`);
  }
  for (const s of m.states) if (!m.labels.states[s]) problems.push(`state ${s}: no label`);
  if (problems.length) throw new Error(`workflow ${m.type}: ${problems.join('; ')}`);
  return m;
}
