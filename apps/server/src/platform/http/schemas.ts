import { type TSchema, Type } from '@sinclair/typebox';
import { UUID_PATTERN } from '../../db/ids.ts';

/** Schemas reused by many routes. */
export const Id = Type.String({ pattern: UUID_PATTERN, description: 'UUIDv7' });
export const IdParams = Type.Object({ id: Id });
export const ErrorReply = Type.Object({
  error: Type.Object({
    code: Type.String(),
    message: Type.String(),
    fields: Type.Optional(Type.Array(Type.Object({ field: Type.String(), message: Type.String() }))),
  }),
});
export const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
export const PageQuery = {
  page: Type.Optional(Type.Integer({ minimum: 1, maximum: 100000, default: 1 })),
  pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 20 })),
};
