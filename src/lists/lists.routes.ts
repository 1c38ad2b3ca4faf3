import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { assertClientAccess, currentUser, requireRole } from '../auth/guard.js';
import type { ServiceDeps } from '../deps.js';
import type { AppEnv } from '../http/context.js';
import { AppError, badRequest } from '../http/errors.js';
import { uploadTooLarge } from '../http/body-limits.js';
import { authErrors, conflictError, createRouter, ErrorSchema, IdParam, json, notFoundError, validationError } from '../http/router.js';
import { ImportFileError } from './import/index.js';
import { ListQuerySchema, ListSchema, ProgressSchema, ReportSchema, UploadFormSchema, UploadQuerySchema } from './lists.schemas.js';
import { cancelList, getList, listExtras, listLists, listView, withLiveProgress } from './lists.service.js';
import { auditRead } from '../audit/audit.js';
import { pauseList, resumeList } from './pause.js';
import { listProgress } from './progress.js';
import { reportView } from './report-view.js';
import { uploadList } from './upload.js';
import { failedJobsOfList } from '../queues/poison.js';

const leads = requireRole('lead', 'admin');
const tags = ['Lists'];
const fileErrors = {
  413: json(ErrorSchema, 'File or list too large'),
  415: json(ErrorSchema, 'Not a spreadsheet (or a legacy .xls)'),
  422: json(ErrorSchema, 'Corrupt, password-protected or empty file'),
};

const upload = createRoute({
  method: 'post', path: '/clients/{id}/lists', tags, middleware: leads,
  summary: 'Import a client list (.xlsx or .csv); dryRun reports without storing',
  request: {
    params: IdParam,
    query: UploadQuerySchema,
    body: { content: { 'multipart/form-data': { schema: UploadFormSchema } }, required: true },
  },
  responses: {
    200: json(z.object({ report: ReportSchema }), 'Dry run: the report, nothing stored'),
    202: json(z.object({ listId: z.uuid() }), 'Import queued; follow it with GET /api/lists/{id}'),
    ...authErrors, ...validationError, ...notFoundError, ...conflictError, ...fileErrors,
  },
});
const list = createRoute({
  method: 'get', path: '/lists', tags, middleware: leads, summary: 'Lists in your scope, newest first',
  request: { query: ListQuerySchema },
  responses: { 200: json(z.array(ListSchema), 'Lists'), ...authErrors, ...validationError },
});
const get = createRoute({
  method: 'get', path: '/lists/{id}', tags, middleware: leads, summary: 'One list: status, import progress, report',
  request: { params: IdParam },
  responses: { 200: json(ListSchema, 'List'), ...authErrors, ...validationError, ...notFoundError },
});
const progress = createRoute({
  method: 'get', path: '/lists/{id}/progress', tags, middleware: leads,
  summary: 'Live progress: counts by state and outcome, who is in a call, next due, pace, ETA',
  request: { params: IdParam },
  responses: { 200: json(ProgressSchema, 'Progress'), ...authErrors, ...validationError, ...notFoundError },
});
const cancel = createRoute({
  method: 'post', path: '/lists/{id}/cancel', tags, middleware: leads, summary: 'Close all open cases as cancelled',
  request: { params: IdParam },
  responses: { 200: json(ListSchema, 'Cancelled'), ...authErrors, ...validationError, ...notFoundError, ...conflictError },
});

const pause = createRoute({
  method: 'post', path: '/lists/{id}/pause', tags, middleware: leads,
  summary: 'Stop handing out the list\'s cases for now (its other lists go on); calls in progress end as usual',
  request: { params: IdParam },
  responses: { 200: json(ListSchema, 'Paused'), ...authErrors, ...validationError, ...notFoundError, ...conflictError },
});
const resume = createRoute({
  method: 'post', path: '/lists/{id}/resume', tags, middleware: leads,
  summary: 'Hand out a paused list\'s cases again, each when it is due',
  request: { params: IdParam },
  responses: { 200: json(ListSchema, 'Active again (or completed, when its last case closed meanwhile)'), ...authErrors, ...validationError, ...notFoundError, ...conflictError },
});

const deps = (c: Context<AppEnv>): ServiceDeps => {
  const { database, calls, queues, clock, config, log } = c.var.deps;
  return { db: database.db, calls, queues, clock, config, log };
};

export function listRoutes(maxBytes: number) {
  const app = createRouter();
  // The body as a whole is bounded before it is read (`bodyLimits`); the file itself is checked here.
  const tooLarge = uploadTooLarge(maxBytes);

  app.openapi(upload, async (c) => {
    const user = currentUser(c);
    const { id: clientId } = c.req.valid('param');
    assertClientAccess(user, clientId);
    const query = c.req.valid('query');
    const form = c.req.valid('form');
    const file = form.file;
    if (!(file instanceof File)) throw badRequest('Send the list as multipart/form-data with the field "file"');
    if (file.size > maxBytes) throw new AppError(413, 'too_large', tooLarge, { bytes: file.size, maxBytes });
    try {
      const result = await uploadList(deps(c), {
        clientId,
        fileName: file.name || 'liste',
        content: new Uint8Array(await file.arrayBuffer()),
        dryRun: query.dryRun || form.dryRun,
        force: query.force || form.force,
        name: query.name ?? form.name,
        by: user,
      });
      if (result.kind === 'dryRun') return c.json({ report: reportView(result.report) }, 200);
      return c.json({ listId: result.listId }, 202);
    } catch (err) {
      if (err instanceof ImportFileError) throw new AppError(err.status, err.code, err.message, err.details);
      throw err;
    }
  });
  app.openapi(list, async (c) => c.json(await listLists(c.var.deps.database.db, currentUser(c), c.req.valid('query').clientId), 200));
  app.openapi(get, async (c) => {
    const { database, queues, clock } = c.var.deps;
    const user = currentUser(c);
    const list = await getList(database.db, user, c.req.valid('param').id);
    // The import report names refused rows' values: a read of case data, audited (a polling page once per quarter hour).
    if (list.report?.rejected.length && !list.purgedAt) {
      await auditRead(database.db, { at: clock.now(), actorId: user.id, action: 'list.view', entityType: 'list', entityId: list.id });
    }
    const extras = await listExtras(database.db, [list.id]);
    return c.json(await withLiveProgress(queues, listView(list, extras.get(list.id))), 200);
  });
  app.openapi(progress, async (c) => {
    const { database, clock, queues } = c.var.deps;
    const list = await getList(database.db, currentUser(c), c.req.valid('param').id);
    const progress = await listProgress(database.db, list.id, clock.now());
    return c.json({ ...progress, failedJobs: await failedJobsOfList(queues, database.db, list.id) }, 200);
  });
  app.openapi(cancel, async (c) =>
    c.json(await cancelList(deps(c), currentUser(c), c.req.valid('param').id), 200),
  );
  app.openapi(pause, async (c) => c.json(await pauseList(deps(c), currentUser(c), c.req.valid('param').id), 200));
  app.openapi(resume, async (c) => c.json(await resumeList(deps(c), currentUser(c), c.req.valid('param').id), 200));
  return app;
}
