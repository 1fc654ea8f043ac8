import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { int, json } from '../../db/normalize.ts';
import { scopeOfRequest } from '../../platform/http/request.ts';
import { Id, Nullable, PageQuery } from '../../platform/http/schemas.ts';
import { unitInScope } from '../../platform/rbac/scope-sql.ts';
import { workflowOf } from '../../platform/workflow/registry.ts';

const KINDS = ['reminder', 'overdue', 'escalation', 'supervision', 'circular'] as const;

const Event = Type.Object({
  id: Type.String(),
  kind: Type.String(),
  at: Type.String(),
  dueAt: Type.String(),
  workingDaysLate: Type.Integer(),
  /** The supervision notice number (督办单编号), when the event is one. */
  no: Nullable(Type.String()),
  deadline: Type.String(),
  record: Type.Object({ type: Type.String(), id: Type.String(), label: Nullable(Type.String()) }),
  unit: Nullable(Type.Object({ id: Type.String(), name: Type.String() })),
});

/**
 * The escalation ledger of every workflow: reminders, overdue notices, escalations, supervision
 * notices (督办单) and the circular list (通报), scoped by the unit that had to act.
 */
export async function slaRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();

  r.get(
    '/api/sla/events',
    {
      config: { permission: 'deadline:read' },
      schema: {
        tags: ['deadlines'],
        summary: 'Fired deadline stages, newest first (kind=supervision: 督办单; kind=circular: 通报)',
        querystring: Type.Object({
          kind: Type.Optional(Type.Union(KINDS.map((k) => Type.Literal(k)))),
          recordType: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })),
          unitId: Type.Optional(Id),
          from: Type.Optional(Type.String({ format: 'date-time' })),
          to: Type.Optional(Type.String({ format: 'date-time' })),
          ...PageQuery,
        }),
        response: { 200: Type.Object({ items: Type.Array(Event), total: Type.Integer() }) },
      },
    },
    async (req) => {
      const { db } = app.ctx.database;
      const scope = scopeOfRequest(req);
      const f = req.query;
      let q = db
        .selectFrom('deadline_events as e')
        .innerJoin('deadlines as d', 'd.id', 'e.deadline_id')
        .leftJoin('org_units as u', 'u.id', 'e.unit_id')
        .where(unitInScope(scope, 'u.path', 'u.id'));
      if (f.kind) q = q.where('e.kind', '=', f.kind);
      if (f.recordType) q = q.where('e.record_type', '=', f.recordType);
      if (f.unitId) q = q.where('e.unit_id', '=', f.unitId);
      if (f.from) q = q.where('e.at', '>=', new Date(f.from).toISOString());
      if (f.to) q = q.where('e.at', '<', new Date(f.to).toISOString());
      const total = await q.select((eb) => eb.fn.countAll().as('n')).executeTakeFirst();
      const pageSize = f.pageSize ?? 20;
      const rows = await q
        .select([
          'e.id',
          'e.kind',
          'e.at',
          'e.due_at',
          'e.working_days_late',
          'e.details',
          'e.record_type',
          'e.record_id',
          'd.kind as deadline',
          'u.id as unit_id',
          'u.name as unit_name',
        ])
        .orderBy('e.at', 'desc')
        .orderBy('e.id', 'desc')
        .limit(pageSize)
        .offset(((f.page ?? 1) - 1) * pageSize)
        .execute();
      const labels = new Map<string, Map<string, string>>();
      for (const type of new Set(rows.map((x) => x.record_type))) {
        const machine = workflowOf(type)?.machine;
        const ids = rows.filter((x) => x.record_type === type).map((x) => x.record_id);
        labels.set(type, machine ? await machine.describe(db, ids) : new Map());
      }
      return {
        total: int(total?.n),
        items: rows.map((x) => ({
          id: x.id,
          kind: x.kind,
          at: x.at,
          dueAt: x.due_at,
          workingDaysLate: int(x.working_days_late),
          no: json<{ no?: string }>(x.details)?.no ?? null,
          deadline: x.deadline,
          record: {
            type: x.record_type,
            id: x.record_id,
            label: labels.get(x.record_type)?.get(x.record_id) ?? null,
          },
          unit: x.unit_id ? { id: x.unit_id, name: x.unit_name ?? '' } : null,
        })),
      };
    },
  );
}
