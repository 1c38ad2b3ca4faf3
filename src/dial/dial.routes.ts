import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { currentUser, requireRole } from '../auth/guard.js';
import type { DispatchDeps } from '../deps.js';
import type { AppEnv } from '../http/context.js';
import { AppError } from '../http/errors.js';
import { authErrors, createRouter, ErrorSchema, IdParam, json, notFoundError, validationError } from '../http/router.js';
import { createDialer } from './create-dialer.js';
import { dialAssignment, recordLinkDial } from './dial.service.js';

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
    409: json(ErrorSchema, 'Not your live assignment, no extension in your profile, click-to-dial not configured, the case may not be called now, or an earlier dial of this assignment may still be setting the call up (dial_in_progress)'),
    502: json(ErrorSchema, 'The phone system is down, too slow, refused or set up no call (details.reason: unreachable, timeout, rejected, unexpected); details.messageDe says so in German; the case stays assigned'),
  },
});

const linkDialled = createRoute({
  method: 'post',
  path: '/agent/assignments/{id}/link-dialled',
  tags: ['Agent'],
  middleware: requireRole('agent'),
  summary: "You followed a number's tel:/sip: link (CTI_MODE=link): recorded as a dial, so that giving the case back (or a lock running out) holds it for the client's retry delay",
  request: { params: IdParam, body: { content: { 'application/json': { schema: DialBodySchema } }, required: false } },
  responses: {
    204: { description: 'Recorded' },
    ...authErrors,
    ...notFoundError,
    ...validationError,
    409: json(ErrorSchema, 'Not your live assignment'),
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
    return c.json(await dialAssignment(d, createDialer(d.config), currentUser(c), c.req.valid('param').id, await dialBody(c)), 200);
  });
  app.openapi(linkDialled, async (c) => {
    await recordLinkDial(deps(c), currentUser(c), c.req.valid('param').id, await dialBody(c));
    return c.body(null, 204);
  });
  return app;
}

/** The number of an optional body (`{phone?}`): a bare POST means the current number. */
async function dialBody(c: Context<AppEnv>): Promise<string | undefined> {
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
  return parsed.data.phone;
}
