import { createRoute } from '@hono/zod-openapi';
import { assertClientAccess, currentUser, requireRole } from '../auth/guard.js';
import { authErrors, createRouter, IdParam, json, notFoundError, validationError } from '../http/router.js';
import { ReachRatesSchema } from './reach.schemas.js';
import { reachRatesView } from './reach.service.js';

const get = createRoute({
  method: 'get',
  path: '/clients/{id}/reach-rates',
  tags: ['Clients'],
  summary: 'Reach rates per weekday type and window (best time to call)',
  middleware: requireRole('lead', 'admin'),
  request: { params: IdParam },
  responses: { 200: json(ReachRatesSchema, 'Reach rates'), ...authErrors, ...validationError, ...notFoundError },
});

export function reachRoutes() {
  const app = createRouter();
  app.openapi(get, async (c) => {
    const { id } = c.req.valid('param');
    assertClientAccess(currentUser(c), id);
    const { database, clock } = c.var.deps;
    return c.json(await reachRatesView(database.db, id, clock.now()), 200);
  });
  return app;
}
