import { existsSync } from 'node:fs';
import path from 'node:path';
import cookie from '@fastify/cookie';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyReply } from 'fastify';
import { apiKeyRoutes } from './modules/apikeys/routes.ts';
import { auditRoutes } from './modules/audit/routes.ts';
import { authRoutes } from './modules/auth/routes.ts';
import { calendarRoutes } from './modules/calendar/routes.ts';
import { battleMapRoutes } from './modules/campaigns/battlemap/routes.ts';
import { campaignExportRoutes } from './modules/campaigns/exports/routes.ts';
import { halfYearRoutes } from './modules/campaigns/halfyear/routes.ts';
import { ledgerRoutes } from './modules/campaigns/ledger/routes.ts';
import { campaignRoutes } from './modules/campaigns/routes.ts';
import { supervisionRoutes } from './modules/campaigns/supervision/routes.ts';
import { campaignTaskRoutes } from './modules/campaigns/tasks/routes.ts';
import { ensureDefaultCategories } from './modules/cases/categories.ts';
import { hotlineRoutes } from './modules/cases/hotline/routes.ts';
import { caseModerationRoutes } from './modules/cases/moderation-routes.ts';
import { open311Routes } from './modules/cases/open311/routes.ts';
import { caseRoutes } from './modules/cases/routes.ts';
import { caseStatsRoutes } from './modules/cases/stats/routes.ts';
import { fileRoutes } from './modules/files/routes.ts';
import { matterRoutes } from './modules/matters/routes.ts';
import { noticeRoutes } from './modules/notices/routes.ts';
import { notificationRoutes } from './modules/notifications/routes.ts';
import { orgRoutes } from './modules/org/routes.ts';
import { schedulerRoutes } from './modules/scheduler/routes.ts';
import { slaRoutes } from './modules/sla/routes.ts';
import { systemRoutes } from './modules/system/routes.ts';
import { userRoutes } from './modules/users/routes.ts';
import { ensureShippedCalendar } from './platform/calendar/service.ts';
import type { AppContext } from './platform/context.ts';
import { AppError } from './platform/http/errors.ts';
import { pickLang } from './platform/http/messages.ts';
import { multipartForms } from './platform/http/multipart.ts';
import { errorBody, httpEdgePlugin } from './platform/http/plugin.ts';
import { createLogger, type Logger } from './platform/log.ts';
import { VERSION } from './version.ts';

export interface BuildOptions {
  ctx: AppContext;
  /** Serve the built web console and H5 from config.webDir when it exists (production). */
  serveWeb?: boolean;
  logger?: Logger;
}

/** Builds the whole HTTP application; main.ts and the tests both call this. */
export async function buildApp({ ctx, serveWeb = true, logger }: BuildOptions): Promise<FastifyInstance> {
  const app = Fastify({
    // pino's Logger is a FastifyBaseLogger; the cast keeps the instance type the default one.
    loggerInstance: (logger ?? createLogger(ctx.config.logLevel)) as FastifyBaseLogger,
    trustProxy: ctx.config.trustProxy,
    ajv: {
      customOptions: { allErrors: true, removeAdditional: true, coerceTypes: 'array', useDefaults: true },
    },
    bodyLimit: 1024 * 1024,
    // Errors Fastify raises before any hook runs (e.g. a malformed URL) get the same reply format.
    frameworkErrors: (_err, req, res) => {
      // The callback's reply is typed for an unknown route; it is an ordinary reply.
      const reply = res as unknown as FastifyReply;
      reply
        .status(400)
        .send(errorBody(pickLang(undefined, req.headers['accept-language']), 'VALIDATION_FAILED', {}, []));
    },
  });
  app.decorate('ctx', ctx);
  // Here rather than in createContext: `wenming import` must find a database nothing has written to.
  await ensureShippedCalendar(ctx);
  await ensureDefaultCategories(ctx);

  await app.register(cookie);
  await multipartForms(app);
  await app.register(httpEdgePlugin);
  await app.register(swagger, {
    openapi: {
      info: {
        title: 'Wenming API',
        version: VERSION,
        description:
          'Civilization office platform. Sign in with POST /api/auth/login; the session is an httpOnly cookie; ' +
          'every non-GET request also needs the x-csrf-token header from the login reply.',
      },
      components: {
        securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: 'wm_session' } },
      },
      tags: [
        {
          name: 'open311',
          description:
            'Open311 GeoReport v2 for other systems: services are the case categories, requests the public cases; ' +
            'POST requests.json files a case with an api_key from /api/api-keys (no session, no CSRF). See docs/open311.md.',
        },
      ],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs' });

  await app.register(systemRoutes);
  await app.register(authRoutes);
  await app.register(orgRoutes);
  await app.register(userRoutes);
  await app.register(auditRoutes);
  await app.register(notificationRoutes);
  await app.register(fileRoutes);
  await app.register(calendarRoutes);
  await app.register(noticeRoutes);
  await app.register(matterRoutes);
  await app.register(slaRoutes);
  await app.register(schedulerRoutes);
  await app.register(campaignRoutes);
  await app.register(ledgerRoutes);
  await app.register(battleMapRoutes);
  await app.register(halfYearRoutes);
  await app.register(campaignExportRoutes);
  await app.register(campaignTaskRoutes);
  await app.register(supervisionRoutes);
  await app.register(caseRoutes);
  await app.register(caseStatsRoutes);
  await app.register(hotlineRoutes);
  await app.register(open311Routes);
  await app.register(apiKeyRoutes);
  await app.register(caseModerationRoutes);

  const webDir = ctx.config.webDir;
  const haveWeb = serveWeb && existsSync(path.join(webDir, 'index.html'));
  if (haveWeb) {
    // wildcard: files are looked up per request, so a rebuilt web app is served without a restart.
    await app.register(fastifyStatic, { root: webDir, prefix: '/', wildcard: true, index: 'index.html' });
  }
  app.setNotFoundHandler((req, reply) => {
    if (req.url.startsWith('/api')) {
      return reply.status(404).send(errorBody(req.lang, 'ROUTE_NOT_FOUND', {}, []));
    }
    if (haveWeb && (req.method === 'GET' || req.method === 'HEAD')) {
      // Client-side routing: /h5/... is the mobile app, everything else the console.
      return reply.sendFile(req.url.startsWith('/h5') ? 'h5.html' : 'index.html');
    }
    throw new AppError(404, 'ROUTE_NOT_FOUND');
  });

  return app;
}
