import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { currentUser, requireRole } from '../auth/guard.js';
import type { DispatchDeps } from '../deps.js';
import type { AppEnv } from '../http/context.js';
import { AppError } from '../http/errors.js';
import { authErrors, createRouter, ErrorSchema, IdParam, json, notFoundError, validationError } from '../http/router.js';
import { createDialer } from './create-dialer.js';
import { dialAssignment } from './dial.service.js';

const DialBodySchema = z
  .object({
    phone: z.string().regex(/^\+[1-9]\d{4,15}$/, 'E.164 as in case.phones').optional().openapi({ description: 'One of the case\'s active numbers; default: the current one' }),
  })
  .strict()
  .openapi('DialBody');

const DialSchema = z.object({ result: z.literal('ok'), at: z.string(), phone: z.string() }).openapi('Dial');

const dial = createRoute({
  method: 'post',
  path: '/agent/assignments/{id}/dial',
  tags: ['Agent'],
  middleware: requireRole('agent'),
  summary: "Click-to-dial: the phone system rings your extension and connects you with the customer (your own live assignment only)",
  request: { params: IdParam, body: { content: { 'application/json': { schema: DialBodySchema } }, required: false } },
  responses: {
    200: json(DialSchema, 'The phone system took the call'),
    ...authErrors,
    ...notFoundError,
    ...validationError,
    409: json(ErrorSchema, 'Not your live assignment, no extension in your profile, or click-to-dial not configured'),
    502: json(ErrorSchema, 'The phone system is down, too slow or refused; details.messageDe says so in German; the case stays assigned'),
  },
});

const deps = (c: Context<AppEnv>): DispatchDeps => {
  const { database, calls, queues, clock, config, log } = c.var.deps;
  return { db: database.db, calls, queues, clock, config, log };
};

export function dialRoutes() {
  const app = createRouter();
  app.openapi(dial, async (c) => {
    const d = deps(c);
    // The body is optional: a bare POST dials the current number.
    const text = await c.req.text();
    let body: unknown = {};
    try {
      if (text.trim()) body = JSON.parse(text);
    } catch {
      throw new AppError(400, 'validation', 'Invalid request: body: not JSON');
    }
    const parsed = DialBodySchema.safeParse(body);
    if (!parsed.success) {
      const details = parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
      throw new AppError(400, 'validation', `Invalid request: ${details[0]?.path || 'body'}: ${details[0]?.message}`, details);
    }
    return c.json(await dialAssignment(d, createDialer(d.config), currentUser(c), c.req.valid('param').id, parsed.data.phone), 200);
  });
  return app;
}
