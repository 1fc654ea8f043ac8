import { PassThrough } from 'node:stream';
import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { auditDownload } from '../../../platform/audit/downloads.ts';
import { formatLocal } from '../../../platform/calendar/calendar.ts';
import { blobStore } from '../../../platform/files/service.ts';
import { scopeOfRequest } from '../../../platform/http/request.ts';
import { Id, IdParams } from '../../../platform/http/schemas.ts';
import { contentDisposition } from '../../files/routes.ts';
import { reasonReader } from '../colors/reason.ts';
import { evidenceEntries, markMissing, writeEvidenceZip } from './evidence-zip.ts';
import { writeLedgerXlsx, XLSX_MIME } from './ledger-xlsx.ts';
import { exportTarget, safeName } from './scope.ts';

/**
 * Sends a stream whose writer runs after the headers went out: a failure then can only cut the
 * download short (logged), so everything that may refuse is checked before.
 */
function sendStream(
  req: FastifyRequest,
  reply: FastifyReply,
  mime: string,
  name: string,
  write: (out: PassThrough) => Promise<void>,
) {
  const out = new PassThrough();
  write(out).catch((err: unknown) => {
    req.log.error({ err }, 'export failed while streaming');
    out.destroy(err instanceof Error ? err : new Error(String(err)));
  });
  return reply
    .type(mime)
    .header('content-disposition', contentDisposition('attachment', name))
    .header('cache-control', 'no-store')
    .send(out);
}

/** Exports of a campaign's ledger (issue #4 item 9): the Excel ledger and a unit's evidence as a ZIP. */
export async function campaignExportRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['campaign exports'];

  r.get(
    '/api/campaigns/:id/ledger.xlsx',
    {
      config: { permission: 'campaign:read' },
      schema: {
        tags,
        summary:
          'The Excel ledger: one row per task instance and report (colour, reason, evidence links), and totals per unit. A unit’s user gets their unit; the office the whole campaign or ?unitId',
        params: IdParams,
        querystring: Type.Object({ unitId: Type.Optional(Id) }),
      },
    },
    async (req, reply) => {
      const scope = scopeOfRequest(req);
      const target = await exportTarget(app.ctx, scope, req.params.id, req.query.unitId);
      const day = formatLocal(app.ctx.clock.now()).slice(0, 10);
      const name = `${safeName([target.campaign.name, target.unit?.name].filter(Boolean).join('_'))}_${day}.xlsx`;
      const baseUrl = `${req.protocol}://${req.host}`;
      const read = await reasonReader(app.ctx);
      await auditDownload(app.ctx, req, {
        action: 'campaign.ledger_export',
        entity: 'campaign',
        entityId: target.campaign.id,
        after: { unitId: target.unit?.id ?? null, file: name },
      });
      return sendStream(req, reply, XLSX_MIME, name, (out) =>
        writeLedgerXlsx(app.ctx.database.db, target, scope, { lang: req.lang, baseUrl, read }, out),
      );
    },
  );

  r.get(
    '/api/campaigns/:id/units/:unitId/evidence.zip',
    {
      config: { permission: 'campaign:read' },
      schema: {
        tags,
        summary:
          'Every evidence file of the unit’s reports in folders per activity / task / cycle, named <report date>_<original name>, with index.csv (file, report, task, state, sha256)',
        params: Type.Object({ id: Id, unitId: Id }),
      },
    },
    async (req, reply) => {
      const target = await exportTarget(app.ctx, scopeOfRequest(req), req.params.id, req.params.unitId);
      const store = blobStore(app.ctx);
      const unitId = target.unit?.id ?? req.params.unitId;
      const entries = await markMissing(
        store,
        await evidenceEntries(app.ctx.database.db, target.campaign.id, unitId),
      );
      const name = `${safeName(`${target.campaign.name}_${target.unit?.name ?? ''}`)}_evidence.zip`;
      await auditDownload(app.ctx, req, {
        action: 'campaign.evidence_export',
        entity: 'campaign',
        entityId: target.campaign.id,
        after: { unitId, file: name, files: entries.length },
      });
      return sendStream(req, reply, 'application/zip', name, (out) =>
        writeEvidenceZip(store, target, entries, out),
      );
    },
  );
}
