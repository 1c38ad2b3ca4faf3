import { createRoute, z } from '@hono/zod-openapi';
import { assertClientAccess, currentUser, requireRole } from '../auth/guard.js';
import { authErrors, conflictError, createRouter, IdParam, json, jsonBody, notFoundError, validationError } from '../http/router.js';
import type { AppDeps } from '../http/context.js';
import { ClientCreateSchema, ClientPatchSchema, ClientSchema } from './clients.schemas.js';
import { createClient, getClient, listClients, updateClient } from './clients.service.js';

const leads = requireRole('lead', 'admin');
const tags = ['Clients'];

const list = createRoute({
  method: 'get', path: '/clients', tags, summary: 'Clients in your scope', middleware: leads,
  responses: { 200: json(z.array(ClientSchema), 'Clients'), ...authErrors },
});
const get = createRoute({
  method: 'get', path: '/clients/{id}', tags, summary: 'One client with its settings', middleware: leads,
  request: { params: IdParam },
  responses: { 200: json(ClientSchema, 'Client'), ...authErrors, ...validationError, ...notFoundError },
});
const create = createRoute({
  method: 'post', path: '/clients', tags, summary: 'Create a client (a lead is assigned to it)', middleware: leads,
  request: jsonBody(ClientCreateSchema),
  responses: { 201: json(ClientSchema, 'Created'), ...authErrors, ...validationError, ...conflictError },
});
const patch = createRoute({
  method: 'patch', path: '/clients/{id}', tags, summary: 'Change client settings', middleware: leads,
  request: { params: IdParam, ...jsonBody(ClientPatchSchema) },
  responses: { 200: json(ClientSchema, 'Updated'), ...authErrors, ...validationError, ...notFoundError, ...conflictError },
});

/**
 * A new `languageRouting` applies to jobs already queued once reconcile has put each case's job
 * into the queues of the new policy: ask the workers for a reconcile now instead of within 5
 * minutes. The settings are saved either way; without Redis the periodic reconcile does it.
 */
async function rerouteWaitingCases(deps: AppDeps): Promise<void> {
  const job = { jobId: 'reconcile-after-routing-change', removeOnComplete: true, removeOnFail: true };
  await deps.queues
    .get('maintenance')
    .add('reconcile', { task: 'reconcile' }, job)
    .catch((err: unknown) => deps.log.warn({ err }, 'could not queue a reconcile after a routing change'));
}

export function clientRoutes() {
  const app = createRouter();
  app.openapi(list, async (c) => c.json(await listClients(c.var.deps.database.db, currentUser(c)), 200));
  app.openapi(get, async (c) => {
    const { id } = c.req.valid('param');
    assertClientAccess(currentUser(c), id);
    return c.json(await getClient(c.var.deps.database.db, id), 200);
  });
  app.openapi(create, async (c) => c.json(await createClient(c.var.deps.database.db, c.req.valid('json'), currentUser(c), c.var.deps.clock.now()), 201));
  app.openapi(patch, async (c) => {
    const { id } = c.req.valid('param');
    assertClientAccess(currentUser(c), id);
    const { database, clock } = c.var.deps;
    const body = c.req.valid('json');
    const updated = await updateClient(database.db, id, body, clock.now(), currentUser(c));
    if (body.languageRouting !== undefined) await rerouteWaitingCases(c.var.deps);
    return c.json(updated, 200);
  });
  return app;
}
