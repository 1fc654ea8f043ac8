import type { FastifyRequest } from 'fastify';
import type { AppContext } from '../context.ts';
import { actorOf } from '../http/request.ts';
import { writeTx } from '../tx.ts';
import type { AuditInput } from './audit.ts';

/**
 * Records a data export (a ledger, a unit's evidence, a compiled document): who took what and when, one
 * audit row in a transaction of its own, written once the request has passed its checks and before the
 * file is sent.
 */
export function auditDownload(ctx: AppContext, req: FastifyRequest, input: AuditInput): Promise<void> {
  return writeTx(ctx, actorOf(req), (tx) => tx.audit(input));
}
