import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { assertClientAccess, currentUser, requireRole } from '../auth/guard.js';
import type { AppEnv } from '../http/context.js';
import { attachment, XLSX_TYPE } from '../http/download.js';
import { authErrors, createRouter, json, notFoundError, validationError } from '../http/router.js';
import { leFileName, leWorkbook } from './le-xlsx.js';
import { LeQuerySchema, LeReportSchema, type LeQuery } from './le.schemas.js';
import { leReport } from './le.service.js';

const leads = requireRole('lead', 'admin');
const tags = ['Reports'];
const period =
  "from/to are calendar days (inclusive, at most 366) in each client's own time zone. " +
  'Every recorded attempt is one LE; reached = the outcome\'s effect is not "retry".';

const le = createRoute({
  method: 'get', path: '/reports/le', tags, middleware: leads,
  summary: 'LE report: attempts per client and day or agent, by outcome, reached, right party, promises',
  description: period,
  request: { query: LeQuerySchema },
  responses: { 200: json(LeReportSchema, 'The report'), ...authErrors, ...validationError, ...notFoundError },
});
const leXlsx = createRoute({
  method: 'get', path: '/reports/le.xlsx', tags, middleware: leads,
  summary: 'The LE report as an Excel download (a sheet per client, an overview when several)',
  description: period,
  request: { query: LeQuerySchema },
  responses: {
    200: { content: { [XLSX_TYPE]: { schema: z.string().openapi({ format: 'binary' }) } }, description: 'LE-Bericht_<code|alle>_<from>_<to>.xlsx' },
    ...authErrors, ...validationError, ...notFoundError,
  },
});

/** The report for the query, limited to the caller's clients (a foreign clientId is 403). */
async function reportFor(c: Context<AppEnv>, query: LeQuery) {
  const user = currentUser(c);
  if (query.clientId) assertClientAccess(user, query.clientId);
  return leReport(c.var.deps.database.db, user.role === 'admin' ? null : user.clientIds, query);
}

export function reportRoutes() {
  const app = createRouter();
  app.openapi(le, async (c) => c.json(await reportFor(c, c.req.valid('query')), 200));
  app.openapi(leXlsx, async (c) => {
    const query = c.req.valid('query');
    const report = await reportFor(c, query);
    const code = query.clientId ? (report.clients[0]?.code ?? null) : null;
    const body = await leWorkbook(report, c.var.deps.clock.now());
    return c.body(new Uint8Array(body), 200, {
      'content-type': XLSX_TYPE,
      'content-disposition': attachment(leFileName(report, code)),
      'cache-control': 'no-store',
    });
  });
  return app;
}
