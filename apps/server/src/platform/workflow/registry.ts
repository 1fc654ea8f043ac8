import type { AppContext } from '../context.ts';
import type { Tx } from '../tx.ts';
import type { Machine, WorkflowRecord } from './machine.ts';
import type { StageKind } from './sla.ts';

/** One escalation stage that fired for one deadline (what a module turns into notices and records). */
export interface FiredStage {
  eventId: string;
  deadlineId: string;
  recordId: string;
  unitId: string | null;
  kind: StageKind;
  deadlineKind: string;
  dueAt: string;
  workingDaysLate: number;
  /** For supervision notices (督办单): the notice number, e.g. DB-2026-0003. */
  noticeNo: string | null;
}

export interface SlaHandler {
  /** Called inside the sweep's transaction with every stage that fired for this record type. */
  onStages(ctx: AppContext, tx: Tx, fired: FiredStage[]): Promise<void>;
}

interface Entry {
  // Machines of different record types live in one map; each module keeps its own typed reference.
  machine: Machine<WorkflowRecord>;
  sla?: SlaHandler;
}

const machines = new Map<string, Entry>();

/** Modules register their machine (and its SLA handler) when their routes are registered. */
export function registerWorkflow<R extends WorkflowRecord>(machine: Machine<R>, sla?: SlaHandler): void {
  machines.set(machine.type, { machine: machine as unknown as Machine<WorkflowRecord>, sla });
}

export function workflowOf(type: string): Entry | undefined {
  return machines.get(type);
}
