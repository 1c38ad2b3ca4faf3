import { createRoute, z } from '@hono/zod-openapi';
import { currentUser, requireRole } from '../auth/guard.js';
import { authErrors, conflictError, createRouter, IdParam, json, jsonBody, notFoundError, validationError } from '../http/router.js';
import { UserCreateSchema, UserPatchSchema, UserSchema } from './users.schemas.js';
import { createUser, getUser, listUsers, updateUser } from './users.service.js';

const admin = requireRole('admin');
const tags = ['Users'];

const list = createRoute({
  method: 'get', path: '/users', tags, summary: 'All users', middleware: admin,
  responses: { 200: json(z.array(UserSchema), 'Users'), ...authErrors },
});
const get = createRoute({
  method: 'get', path: '/users/{id}', tags, summary: 'One user', middleware: admin,
  request: { params: IdParam },
  responses: { 200: json(UserSchema, 'User'), ...authErrors, ...notFoundError, ...validationError },
});
const create = createRoute({
  method: 'post', path: '/users', tags, summary: 'Create a user', middleware: admin,
  request: jsonBody(UserCreateSchema),
  responses: { 201: json(UserSchema, 'Created'), ...authErrors, ...validationError, ...conflictError },
});
const patch = createRoute({
  method: 'patch', path: '/users/{id}', tags, summary: 'Change a user (role, scope, password, active)', middleware: admin,
  request: { params: IdParam, ...jsonBody(UserPatchSchema) },
  responses: { 200: json(UserSchema, 'Updated'), ...authErrors, ...validationError, ...notFoundError },
});

export function userRoutes() {
  const app = createRouter();
  app.openapi(list, async (c) => c.json(await listUsers(c.var.deps.database.db), 200));
  app.openapi(get, async (c) => c.json(await getUser(c.var.deps.database.db, c.req.valid('param').id), 200));
  app.openapi(create, async (c) => c.json(await createUser(c.var.deps.database.db, c.req.valid('json'), { actorId: currentUser(c).id, at: c.var.deps.clock.now() }), 201));
  app.openapi(patch, async (c) => {
    const { database, clock } = c.var.deps;
    return c.json(await updateUser(database.db, c.req.valid('param').id, c.req.valid('json'), clock.now(), currentUser(c).id), 200);
  });
  return app;
}
