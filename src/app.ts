import { OpenAPIHono } from '@hono/zod-openapi';
import { secureHeaders } from 'hono/secure-headers';
import { authRoutes } from './auth/auth.routes.js';
import { loadSession } from './auth/guard.js';
import { clientRoutes } from './clients/clients.routes.js';
import { dialRoutes } from './dial/dial.routes.js';
import { dispatchRoutes } from './dispatch/dispatch.routes.js';
import { DOCS_PATH, docsRoutes } from './docs/docs.routes.js';
import { listRoutes } from './lists/lists.routes.js';
import { resultRoutes } from './results/results.routes.js';
import { auditRoutes } from './audit/audit.routes.js';
import { failedJobsRoutes } from './ops/failed-jobs.routes.js';
import type { AppDeps, AppEnv } from './http/context.js';
import { bodyLimits } from './http/body-limits.js';
import { csrfProtection } from './http/csrf.js';
import { storableInput } from './http/storable.js';
import { errorBody, errorHandler } from './http/errors.js';
import { hsts } from './http/https.js';
import { createMetrics, type Metrics } from './ops/metrics.js';
import { metricSources } from './ops/metric-sources.js';
import { opsRoutes } from './ops/ops.routes.js';
import { BOARD_PATH, queueBoardRoutes } from './ops/queue-board.js';
import { reachRoutes } from './reach/reach.routes.js';
import { reportRoutes } from './reports/reports.routes.js';
import { userRoutes } from './users/users.routes.js';
import { teamRoutes } from './users/team.routes.js';
import { webRoutes } from './web/web.routes.js';

/** Builds the HTTP app from its dependencies; no I/O happens here. */
export function createApp(deps: AppDeps, metrics: Metrics = createMetrics(metricSources(deps))) {
  const app = new OpenAPIHono<AppEnv>();
  app.use('*', metrics.middleware);
  // Every response, API and Bull Board included: no framing, no sniffing (the UI adds its CSP).
  app.use('*', secureHeaders({ xFrameOptions: 'DENY', referrerPolicy: 'same-origin', strictTransportSecurity: false }));
  app.use('*', async (c, next) => {
    c.set('deps', deps);
    await next();
  });
  // HSTS only where the request came over https (src/http/https.ts), never from secureHeaders.
  app.use('*', hsts);
  app.use('/api/*', csrfProtection(deps.config.PUBLIC_ORIGIN));
  // The session before the body limits (neither reads the body): only a lead's or admin's file
  // gets the upload's limit.
  app.use('/api/*', loadSession);
  app.use('*', bodyLimits(deps.config.IMPORT_MAX_BYTES));
  app.use('/api/*', storableInput);
  app.use(`${BOARD_PATH}/*`, csrfProtection(deps.config.PUBLIC_ORIGIN), loadSession);
  app.use(BOARD_PATH, loadSession);

  app.route('/', opsRoutes(metrics));
  app.route('/api', authRoutes());
  app.route('/api', userRoutes());
  app.route('/api', teamRoutes());
  app.route('/api', clientRoutes());
  app.route('/api', reachRoutes());
  app.route('/api', listRoutes(deps.config.IMPORT_MAX_BYTES));
  app.route('/api', resultRoutes());
  app.route('/api', auditRoutes());
  app.route('/api', failedJobsRoutes());
  app.route('/api', dispatchRoutes(metrics));
  app.route('/api', dialRoutes());
  app.route('/api', reportRoutes());
  app.route(BOARD_PATH, queueBoardRoutes());

  app.openAPIRegistry.registerComponent('securitySchemes', 'session', { type: 'apiKey', in: 'cookie', name: 'mahn_session' });
  app.doc31('/api/openapi.json', {
    openapi: '3.1.0',
    info: { title: 'Mahnanrufe API', version: '1', description: 'Dispatcher for dunning calls. Errors: {error:{code,message,details?}}.' },
    security: [{ session: [] }],
  });
  app.route(DOCS_PATH, docsRoutes());
  app.route('/', webRoutes());

  app.notFound((c) => c.json(errorBody('not_found', `No route for ${c.req.method} ${c.req.path}`), 404));
  app.onError(errorHandler(deps.log));
  return app;
}

export type App = ReturnType<typeof createApp>;
