import type { MessageCode } from './messages.ts';

export interface FieldProblem {
  field: string;
  code: MessageCode;
  params?: Record<string, unknown>;
}

/** An expected failure: becomes a 4xx reply with a translated message; never logged as a crash. */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: MessageCode,
    readonly params: Record<string, unknown> = {},
    readonly fields: FieldProblem[] = [],
  ) {
    super(code);
  }
}

export const notFound = () => new AppError(404, 'NOT_FOUND');
export const forbidden = () => new AppError(403, 'FORBIDDEN');
export const invalidField = (field: string, code: MessageCode, params?: Record<string, unknown>) =>
  new AppError(400, 'VALIDATION_FAILED', {}, [{ field, code, params }]);
