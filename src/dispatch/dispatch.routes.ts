import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { currentUser, requireRole } from '../auth/guard.js';
import type { AppEnv } from '../http/context.js';
import { authErrors, conflictError, createRouter, IdParam, json, jsonBody, notFoundError, validationError } from '../http/router.js';
import { heartbeat, release } from './assignment.js';
import { freeAssignment } from './free.js';
import type { DispatchDeps } from '../deps.js';
import { AssignmentSchema, NextResponseSchema, OutcomeBodySchema } from './dispatch.schemas.js';
import { submitOutcome } from './outcome.js';
import { nextCall } from './pull.js';
import { recordActivity } from '../users/activity.js';
import type { Metrics } from '../ops/metrics.js';

const agents = requireRole('agent');
const tags = ['Agent'];
const held = { ...authErrors, ...notFoundError, ...validationError, 409: conflictError[409] };

const next = createRoute({
  method: 'post', path: '/agent/next', tags, middleware: agents,
  summary: 'Nächster Anruf: the held case, or one new case locked to you, or why nothing is callable',
  responses: { 200: json(NextResponseSchema, 'An assignment, or {assignment:null, nextDueAt, waiting}'), ...authErrors, 503: json(z.any(), 'Queue service unavailable') },
});
const beat = createRoute({
  method: 'post', path: '/agent/assignments/{id}/heartbeat', tags, middleware: agents,
  summary: 'Extend the lock on the held case (409 hold_limit once it has been held HOLD_MAX_MINUTES: the lock then runs out at its time)', request: { params: IdParam },
  responses: { 200: json(AssignmentSchema, 'Lock extended'), ...held },
});
const outcome = createRoute({
  method: 'post', path: '/agent/assignments/{id}/outcome', tags, middleware: agents,
  summary: 'Record the outcome of the call attempt', request: { params: IdParam, ...jsonBody(OutcomeBodySchema) },
  responses: { 202: json(z.object({ status: z.literal('accepted'), attemptNo: z.number().int() }), 'Queued for recording'), ...held },
});
const give = createRoute({
  method: 'post', path: '/agent/assignments/{id}/release', tags, middleware: agents,
  summary: 'Give the case back at once, no attempt counted', request: { params: IdParam },
  responses: { 204: { description: 'Released' }, ...held },
});

const presence = createRoute({
  method: 'post', path: '/agent/presence', tags, middleware: agents,
  summary: 'Waiting with the agent screen in view: counts the agent as at work (team view, language figures) for another hour; nothing else changes',
  responses: { 204: { description: 'Noted' }, ...authErrors },
});

const free = createRoute({
  method: 'post', path: '/assignments/{id}/free', tags: ['Lists'], middleware: requireRole('lead', 'admin'),
  summary: 'Free a case an agent holds (the agent gone with it on screen): back to its queue, no attempt counted; see inCallBy of the list progress',
  request: { params: IdParam },
  responses: { 204: { description: 'Freed' }, ...held },
});

const deps = (c: Context<AppEnv>): DispatchDeps => {
  const { database, calls, queues, clock, config, log } = c.var.deps;
  return { db: database.db, calls, queues, clock, config, log };
};

/** `counters`: the Prometheus counters of handed-out cases and accepted outcomes. */
export function dispatchRoutes(counters: Pick<Metrics, 'assignments' | 'outcomes'>) {
  const app = createRouter();
  // An agent asking for work, in a call or waiting for one (the start screen in view says so,
  // `presence`) is active: the team view and the language figures count who is there.
  const active = async (d: DispatchDeps, c: Context<AppEnv>) => recordActivity(d.db, currentUser(c).id, d.clock.now());
  app.openapi(next, async (c) => {
    const d = deps(c);
    await active(d, c);
    return c.json(await nextCall(d, currentUser(c), () => counters.assignments.inc()), 200);
  });
  app.openapi(beat, async (c) => {
    const d = deps(c);
    await active(d, c);
    return c.json(await heartbeat(d, currentUser(c), c.req.valid('param').id), 200);
  });
  app.openapi(outcome, async (c) => {
    const { attemptNo, effect } = await submitOutcome(deps(c), currentUser(c), c.req.valid('param').id, c.req.valid('json'));
    counters.outcomes.inc({ effect });
    return c.json({ status: 'accepted' as const, attemptNo }, 202);
  });
  app.openapi(give, async (c) => {
    await release(deps(c), currentUser(c), c.req.valid('param').id);
    return c.body(null, 204);
  });
  app.openapi(presence, async (c) => {
    await active(deps(c), c);
    return c.body(null, 204);
  });
  app.openapi(free, async (c) => {
    await freeAssignment(deps(c), currentUser(c), c.req.valid('param').id);
    return c.body(null, 204);
  });
  return app;
}
