import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { COLORS, REPORT_STATES } from '../../../../../../packages/contracts/src/index.ts';
import { FileMetaSchema } from '../../../platform/files/service.ts';
import { authOf, prefersMinimal, scopeOfRequest, sendMinimal } from '../../../platform/http/request.ts';
import { Id, IdParams, Nullable, PageQuery } from '../../../platform/http/schemas.ts';
import type { Caller } from '../../../platform/workflow/machine.ts';
import { REPORT_ACTIONS } from './machine.ts';
import * as ledger from './service.ts';

const Literals = <T extends string>(values: readonly T[]) => Type.Union(values.map((v) => Type.Literal(v)));
const Summary = Type.String({ minLength: 1, maxLength: 5000, pattern: '\\S' });
const Item = Type.Object({
  instanceId: Id,
  amounts: Type.Array(Type.Number({ minimum: 0, maximum: 1e9 }), { maxItems: 50 }),
});
const Items = Type.Array(Item, { minItems: 1, maxItems: 50 });
const FileIds = Type.Array(Id, { maxItems: 30, uniqueItems: true });
const Ref = Type.Object({ id: Type.String(), name: Type.String() });
const Target = Type.Object({ label: Type.String(), quantity: Type.Number(), measure: Type.String() });
const Reason = Nullable(
  Type.Object({ code: Type.String(), params: Type.Record(Type.String(), Type.Unknown()) }),
);
// A plain string with the values listed: a union of literals would make the reply's serializer try each branch.
const Color = Type.String({ enum: [...COLORS] });

const ListItem = Type.Object({
  id: Type.String(),
  campaign: Ref,
  unit: Ref,
  author: Nullable(Ref),
  state: Type.String(),
  version: Type.Integer(),
  summary: Type.String(),
  similarFlags: Type.Integer(),
  submittedAt: Nullable(Type.String()),
  reviewedAt: Nullable(Type.String()),
  returnReason: Nullable(Type.String()),
  tasks: Type.Array(Type.Object({ instanceId: Type.String(), title: Type.String(), cycle: Type.String() })),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});

const Report = Type.Object({
  ...ListItem.properties,
  campaign: Type.Object({
    id: Type.String(),
    name: Type.String(),
    status: Type.String(),
    requiresUnitApproval: Type.Boolean(),
  }),
  approvedBy: Nullable(Type.String()),
  reviewedBy: Nullable(Type.String()),
  items: Type.Array(
    Type.Object({
      instanceId: Type.String(),
      amounts: Type.Array(Type.Number()),
      task: Type.Object({ id: Type.String(), title: Type.String(), targets: Type.Array(Target) }),
      activity: Type.Object({ id: Type.String(), numeral: Type.String(), name: Type.String() }),
      cycle: Type.String(),
      startsOn: Type.String(),
      dueOn: Type.String(),
      color: Color,
      colorReason: Reason,
      progress: Type.Integer(),
      instanceAmounts: Type.Array(Type.Number()),
    }),
  ),
  evidence: Type.Array(FileMetaSchema),
  flags: Nullable(
    Type.Array(
      Type.Object({
        file: Nullable(FileMetaSchema),
        otherFile: Nullable(FileMetaSchema),
        distance: Type.Integer(),
        otherReportId: Type.String(),
        other: Nullable(ListItem),
      }),
    ),
  ),
  timeline: Type.Array(
    Type.Object({
      seq: Type.Integer(),
      at: Type.String(),
      actorId: Nullable(Type.String()),
      actorName: Nullable(Type.String()),
      actorUnitId: Nullable(Type.String()),
      actorUnitName: Nullable(Type.String()),
      from: Nullable(Type.String()),
      action: Type.String(),
      to: Type.String(),
      note: Nullable(Type.String()),
      payload: Type.Record(Type.String(), Type.Unknown()),
      attachments: Type.Array(FileMetaSchema),
    }),
  ),
  allowedActions: Type.Array(Type.String()),
  editable: Type.Boolean(),
});

const Task = Type.Object({
  id: Type.String(),
  campaign: Ref,
  task: Type.Object({
    id: Type.String(),
    title: Type.String(),
    description: Type.String(),
    targets: Type.Array(Target),
  }),
  activity: Type.Object({ numeral: Type.String(), name: Type.String() }),
  role: Type.String(),
  cycle: Type.String(),
  startsOn: Type.String(),
  dueOn: Type.String(),
  color: Color,
  colorReason: Reason,
  progress: Type.Integer(),
  amounts: Type.Array(Type.Number()),
  acceptedReports: Type.Integer(),
  pendingReports: Type.Integer(),
  returnedAt: Nullable(Type.String()),
});

const MINIMAL =
  'With the header `Prefer: return=minimal` (RFC 7240) the answer is only `{id, state, version}` instead of ' +
  'the report read back, and `Preference-Applied: return=minimal` says so.';

function callerOf(req: FastifyRequest): Caller {
  return { user: authOf(req).user, scope: scopeOfRequest(req), ip: req.ip, versions: req.versions };
}

/** Progress reports of campaign task instances (工作台账): drafts, the review workflow, the unit's tasks. */
export async function ledgerRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['ledger'];

  r.get(
    '/api/ledger/my-tasks',
    {
      config: { permission: 'ledger:report' },
      schema: {
        tags,
        summary: 'The caller’s unit’s open task instances in active campaigns, worst colour first',
        querystring: Type.Object({ campaignId: Type.Optional(Id) }),
        response: { 200: Type.Object({ items: Type.Array(Task) }) },
      },
    },
    async (req) => ledger.myTasks(app.ctx, callerOf(req), req.query.campaignId),
  );

  r.get(
    '/api/ledger/reports',
    {
      config: { permission: 'campaign:read' },
      schema: {
        tags,
        summary:
          'Reports of units in the caller’s scope (drafts only of the caller’s own unit), newest first',
        querystring: Type.Object({
          campaignId: Type.Optional(Id),
          state: Type.Optional(Literals(REPORT_STATES)),
          unitId: Type.Optional(Id),
          ...PageQuery,
        }),
        response: { 200: Type.Object({ items: Type.Array(ListItem), total: Type.Integer() }) },
      },
    },
    async (req) => ledger.listReports(app.ctx, callerOf(req), req.query),
  );

  r.post(
    '/api/ledger/reports',
    {
      config: { permission: 'ledger:report' },
      schema: {
        tags,
        summary:
          'Save a draft report of the caller’s unit: what was done, amounts per target of each linked task ' +
          'instance (one report may count toward several), evidence uploaded through /api/files. With ' +
          'submit: true it is submitted in the same transaction (one request instead of create, then submit). ' +
          MINIMAL,
        body: Type.Object({
          campaignId: Id,
          summary: Summary,
          items: Items,
          fileIds: Type.Optional(FileIds),
          submit: Type.Optional(Type.Boolean()),
        }),
        response: { 201: Report },
      },
    },
    async (req, reply) => {
      const caller = callerOf(req);
      const ref = await ledger.createReport(app.ctx, caller, req.body);
      if (prefersMinimal(req)) return sendMinimal(reply, 201, ref);
      return reply.status(201).send(await ledger.getReport(app.ctx, caller, ref.id));
    },
  );

  r.get(
    '/api/ledger/reports/:id',
    {
      config: { permission: 'campaign:read' },
      schema: {
        tags,
        summary:
          'A report with its instances, evidence, near-duplicate flags (reviewers), timeline and actions',
        params: IdParams,
        response: { 200: Report },
      },
    },
    async (req) => ledger.getReport(app.ctx, callerOf(req), req.params.id),
  );

  r.patch(
    '/api/ledger/reports/:id',
    {
      config: { permission: 'ledger:report' },
      schema: {
        tags,
        summary: 'Edit a draft or returned report. Send the version you saw: a stale one gets 409.',
        params: IdParams,
        body: Type.Object({
          version: Type.Integer({ minimum: 1 }),
          summary: Type.Optional(Summary),
          items: Type.Optional(Items),
          fileIds: Type.Optional(FileIds),
        }),
        response: { 200: Report },
      },
    },
    async (req) => ledger.updateReport(app.ctx, callerOf(req), req.params.id, req.body),
  );

  r.post(
    '/api/ledger/reports/:id/transitions',
    {
      config: { permission: 'campaign:read' },
      schema: {
        tags,
        summary:
          'Take an action (the detail lists allowedActions): submit, approve / unit_return (unit head, when ' +
          'the campaign requires it), accept / return (office; return needs a note). Stale version → 409. ' +
          MINIMAL,
        params: IdParams,
        body: Type.Object({
          action: Literals(REPORT_ACTIONS),
          version: Type.Integer({ minimum: 1 }),
          note: Type.Optional(Nullable(Type.String({ maxLength: 2000 }))),
        }),
        response: { 200: Report },
      },
    },
    async (req, reply) => {
      const caller = callerOf(req);
      const ref = await ledger.actOnReport(app.ctx, caller, req.params.id, req.body);
      if (prefersMinimal(req)) return sendMinimal(reply, 200, ref);
      return ledger.getReport(app.ctx, caller, ref.id);
    },
  );
}
