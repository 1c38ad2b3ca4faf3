import { PassThrough, Readable } from 'node:stream';
import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { eq } from 'drizzle-orm';
import { audit } from '../audit/audit.js';
import { currentUser, requireRole } from '../auth/guard.js';
import { clients } from '../db/schema.js';
import type { ServiceDeps } from '../deps.js';
import { listDeliveries, NoRecipientError, requestDelivery } from '../delivery/deliveries.js';
import type { AppEnv } from '../http/context.js';
import { attachment, XLSX_TYPE } from '../http/download.js';
import { AppError, conflict, forbidden } from '../http/errors.js';
import { authErrors, conflictError, createRouter, ErrorSchema, IdParam, json, jsonBody, notFoundError, validationError } from '../http/router.js';
import { getList } from '../lists/lists.service.js';
import { safeError } from '../safe-error.js';
import { csvDecimal, isInterim, resultListName, resultSheets } from './result-list.js';
import { DeliverySchema, deliveryView, ResendBodySchema } from './results.schemas.js';
import { writeCsv } from './write-csv.js';

const leads = requireRole('lead', 'admin');
const tags = ['Results'];
const gone = { 410: json(ErrorSchema, 'Personal data deleted (retention)') };
const file = (type: string, description: string) => ({ content: { [type]: { schema: z.string().openapi({ format: 'binary' }) } }, description });

const download = (ext: 'xlsx' | 'csv') =>
  createRoute({
    method: 'get', path: `/lists/{id}/results.${ext}`, tags, middleware: leads,
    summary: ext === 'xlsx'
      ? 'Result list as Excel: sheets Ergebnisliste, Versuche, Nicht importiert (interim while the list runs)'
      : 'Result list as CSV (UTF-8 with BOM, ";"), the Ergebnisliste sheet only',
    request: { params: IdParam },
    responses: {
      200: file(ext === 'xlsx' ? XLSX_TYPE : 'text/csv', 'The file, streamed'),
      ...authErrors, ...validationError, ...notFoundError, ...conflictError, ...gone,
    },
  });
const history = createRoute({
  method: 'get', path: '/lists/{id}/deliveries', tags, middleware: leads, summary: 'Result-list mails of the list, newest round first',
  request: { params: IdParam },
  responses: { 200: json(z.array(DeliverySchema), 'Deliveries'), ...authErrors, ...validationError, ...notFoundError },
});
const resend = createRoute({
  method: 'post', path: '/lists/{id}/deliveries', tags, middleware: leads,
  summary: 'Send the result list (again), to the client’s result address or (admins) to `to`',
  request: { params: IdParam, ...jsonBody(ResendBodySchema) },
  responses: { 202: json(DeliverySchema, 'Queued'), ...authErrors, ...validationError, ...notFoundError, ...conflictError, ...gone },
});

const serviceDeps = (c: Context<AppEnv>): ServiceDeps => {
  const { database, calls, queues, clock, config, log } = c.var.deps;
  return { db: database.db, calls, queues, clock, config, log };
};

export function resultRoutes() {
  const app = createRouter();

  for (const ext of ['xlsx', 'csv'] as const) {
    app.openapi(download(ext), async (c) => {
      const d = serviceDeps(c);
      const user = currentUser(c);
      const list = await getList(d.db, user, c.req.valid('param').id);
      assertHasResults(list);
      const [client] = await d.db.select().from(clients).where(eq(clients.id, list.clientId));
      const now = d.clock.now();
      await audit(d.db, { at: now, actorId: user.id, action: 'results.download', entityType: 'list', entityId: list.id, details: { format: ext, interim: isInterim(list) } });
      const sheets = resultSheets(d.db, list, client!);
      const out = new PassThrough();
      // write-xlsx (and exceljs with it) is loaded at the first Excel download: see load-exceljs.ts.
      const writing = ext === 'xlsx' ? import('./write-xlsx.js').then(({ writeXlsx }) => writeXlsx(out, sheets)) : writeCsv(out, sheets[0]!, csvDecimal(client!));
      writing.catch((err: unknown) => {
        // Headers are sent: a broken download is all the browser can be told.
        if (!out.destroyed) d.log.error({ listId: list.id, err: safeError(err) }, 'result list stream failed');
        out.destroy(err as Error);
      });
      return c.body(Readable.toWeb(out) as ReadableStream, 200, {
        'content-type': ext === 'xlsx' ? XLSX_TYPE : 'text/csv; charset=utf-8',
        'content-disposition': attachment(resultListName(list, client!, now, ext)),
        'cache-control': 'no-store',
      });
    });
  }

  app.openapi(history, async (c) => {
    const { database } = c.var.deps;
    const list = await getList(database.db, currentUser(c), c.req.valid('param').id);
    return c.json((await listDeliveries(database.db, list.id)).map(deliveryView), 200);
  });

  app.openapi(resend, async (c) => {
    const d = serviceDeps(c);
    const user = currentUser(c);
    const list = await getList(d.db, user, c.req.valid('param').id);
    assertHasResults(list);
    if (list.status !== 'completed' && list.status !== 'cancelled') {
      throw conflict('list_running', 'The list is still being worked; download the interim result list instead of mailing it');
    }
    const to = c.req.valid('json').to ?? null;
    // Another address than the client's sends customer data elsewhere: admins only (audited as the delivery's recipient).
    if (to && user.role !== 'admin') throw forbidden('Only an administrator may send a result list to another address than the client’s');
    try {
      const row = await requestDelivery(d, list.id, user.id, to);
      return c.json(deliveryView(row), 202);
    } catch (err) {
      if (err instanceof NoRecipientError) throw conflict('no_recipient', err.message);
      throw err;
    }
  });
  return app;
}

function assertHasResults(list: { status: string; purgedAt: Date | null }): void {
  if (list.purgedAt) {
    throw new AppError(410, 'purged', `The personal data of this list was deleted on ${list.purgedAt.toISOString().slice(0, 10)} (retention); its result list is gone`);
  }
  if (list.status === 'importing' || list.status === 'failed') throw conflict('no_results', `The list is ${list.status}: there are no results`);
}
