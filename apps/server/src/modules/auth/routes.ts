import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { SESSION_COOKIE } from '../../platform/auth/session.ts';
import { actorOf, authOf } from '../../platform/http/request.ts';
import { Nullable } from '../../platform/http/schemas.ts';
import * as auth from './service.ts';

const SessionUserSchema = Type.Object({
  id: Type.String(),
  username: Nullable(Type.String()),
  displayName: Type.String(),
  unitId: Nullable(Type.String()),
  unitName: Nullable(Type.String()),
  roles: Type.Array(Type.String()),
  permissions: Type.Array(Type.String()),
  dataScope: Type.String(),
  mustChangePassword: Type.Boolean(),
  totpEnabled: Type.Boolean(),
  phone: Nullable(Type.String()),
});
const LoginReplySchema = Type.Object({ user: SessionUserSchema, csrfToken: Type.String() });
const Code = Type.String({ pattern: '^\\d{6}$' });

export async function authRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['auth'];
  const { config } = app.ctx;

  const setSessionCookie = (req: FastifyRequest, reply: FastifyReply, token: string) => {
    const secure =
      config.secureCookies === 'always' || (config.secureCookies === 'auto' && req.protocol === 'https');
    reply.setCookie(SESSION_COOKIE, token, {
      path: '/',
      httpOnly: true,
      sameSite: 'lax',
      secure,
      maxAge: config.sessionMaxHours * 3600,
    });
  };
  const ua = (req: FastifyRequest) => req.headers['user-agent'] ?? null;

  r.post(
    '/api/auth/login',
    {
      config: { permission: 'public' },
      schema: {
        tags,
        summary: 'Staff sign-in with username and password (and TOTP when enabled)',
        body: Type.Object({
          username: Type.String({ minLength: 1, maxLength: 64 }),
          password: Type.String({ minLength: 1, maxLength: 128 }),
          totpCode: Type.Optional(Type.String({ pattern: '^\\d{6}$' })),
        }),
        response: { 200: LoginReplySchema },
      },
    },
    async (req, reply) => {
      const s = await auth.loginWithPassword(app.ctx, req.body, req.ip, ua(req));
      setSessionCookie(req, reply, s.token);
      return s.reply;
    },
  );

  r.post(
    '/api/auth/logout',
    { config: { permission: 'authenticated', allowWhilePasswordChangeRequired: true }, schema: { tags } },
    async (req, reply) => {
      await auth.logout(app.ctx, actorOf(req), authOf(req).sessionId);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.status(204).send();
    },
  );

  r.get(
    '/api/auth/me',
    {
      config: { permission: 'authenticated', allowWhilePasswordChangeRequired: true },
      schema: { tags, response: { 200: LoginReplySchema } },
    },
    async (req) => {
      const a = authOf(req);
      return { user: auth.sessionUserView(app.ctx, a.user), csrfToken: a.csrfToken };
    },
  );

  r.post(
    '/api/auth/password',
    {
      config: { permission: 'authenticated', allowWhilePasswordChangeRequired: true },
      schema: {
        tags,
        body: Type.Object({
          oldPassword: Type.String({ minLength: 1, maxLength: 128 }),
          newPassword: Type.String({ minLength: 1, maxLength: 128 }),
        }),
      },
    },
    async (req, reply) => {
      const a = authOf(req);
      await auth.changePassword(
        app.ctx,
        actorOf(req),
        a.user,
        a.sessionId,
        req.body.oldPassword,
        req.body.newPassword,
      );
      return reply.status(204).send();
    },
  );

  r.post(
    '/api/auth/totp/setup',
    {
      config: { permission: 'authenticated' },
      schema: { tags, response: { 200: Type.Object({ secret: Type.String(), otpauthUrl: Type.String() }) } },
    },
    async (req) => auth.setupTotp(app.ctx, actorOf(req), authOf(req).user),
  );

  for (const [path, enable] of [
    ['/api/auth/totp/enable', true],
    ['/api/auth/totp/disable', false],
  ] as const) {
    r.post(
      path,
      { config: { permission: 'authenticated' }, schema: { tags, body: Type.Object({ code: Code }) } },
      async (req, reply) => {
        await auth.switchTotp(app.ctx, actorOf(req), authOf(req).user, req.body.code, enable);
        return reply.status(204).send();
      },
    );
  }

  r.post(
    '/api/auth/sms/send',
    {
      config: { permission: 'public' },
      schema: {
        tags,
        summary: 'Send a one-time sign-in code by SMS (rate-limited per phone and per IP)',
        body: Type.Object({ phone: Type.String({ minLength: 1, maxLength: 20 }) }),
        response: { 200: Type.Object({ sent: Type.Boolean(), retryAfterSeconds: Type.Integer() }) },
      },
    },
    async (req) => auth.sendSmsCode(app.ctx, req.body.phone, req.ip),
  );

  r.post(
    '/api/auth/sms/login',
    {
      config: { permission: 'public' },
      schema: {
        tags,
        body: Type.Object({ phone: Type.String({ minLength: 1, maxLength: 20 }), code: Code }),
        response: { 200: LoginReplySchema },
      },
    },
    async (req, reply) => {
      const s = await auth.loginWithSmsCode(app.ctx, req.body.phone, req.body.code, req.ip, ua(req));
      setSessionCookie(req, reply, s.token);
      return s.reply;
    },
  );
}
