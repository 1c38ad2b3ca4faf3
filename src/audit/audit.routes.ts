import { createRoute, z } from '@hono/zod-openapi';
import { and, desc, eq, gte, lt, or, sql, type SQL } from 'drizzle-orm';
import { requireRole } from '../auth/guard.js';
import { auditLog, users } from '../db/schema.js';
import { authErrors, createRouter, json, validationError } from '../http/router.js';

// Years PostgreSQL's timestamptz and the day added to `to` can hold: year 0 or 9999-12-31 were 500s.
const day = z
  .union([z.iso.date(), z.iso.datetime({ offset: true })])
  .refine((v) => v >= '2000' && v < '2100', { error: 'a date or time between the years 2000 and 2099' });

export const AuditQuerySchema = z.object({
  from: day.optional().openapi({ description: 'Inclusive; a date is its start (UTC)' }),
  to: day.optional().openapi({ description: 'Exclusive for a time; a date includes that whole day (UTC)' }),
  actor: z.string().trim().min(1).max(64).optional().openapi({ description: 'User id or username' }),
  list: z.uuid().optional().openapi({
    description:
      'Entries about this dunning list: those whose entity is the list (`list.view`, `results.download`, `delivery.requested`, `delivery.sent`, `list.purged`, `list.paused`, `list.resumed`) or whose details name it as `listId` (`assignment.freed`); not those about one of its cases or assignments (`pull_blocked`, `dial`)',
  }),
  limit: z.coerce.number().int().min(1).max(5000).default(500),
});

const EntrySchema = z
  .object({
    id: z.number().int(),
    at: z.string(),
    actor: z.object({ id: z.uuid(), username: z.string(), displayName: z.string() }).nullable(),
    action: z.string().openapi({
      description:
        'One of `list.view`, `results.download`, `delivery.requested`, `delivery.sent`, `list.purged`, `list.paused`, `list.resumed` (entity: the list); `assignment.freed` (the case a lead freed from an agent: `details.listId`, `details.assignmentId`, `details.agentId`, `details.attemptNo`); `client.resultEmail` (the client); `dial` (the assignment whose number was dialled); `pull_blocked` (the case a pull held back or closed: `details.reason`, `details.queue`); `user.created` (the user: username, role, clientIds) and `user.changed` (role, active and clientIds as from/to, `password: true` for a new password, other fields by name)',
    }),
    entityType: z.string(),
    entityId: z.string().nullable(),
    details: z.record(z.string(), z.unknown()).nullable(),
  })
  .openapi('AuditEntry');

const route = createRoute({
  method: 'get', path: '/audit', tags: ['Audit'], middleware: requireRole('admin'),
  summary: 'The audit trail, newest first: who read or changed which record (ids only, no customer data)',
  request: { query: AuditQuerySchema },
  responses: { 200: json(z.array(EntrySchema), 'Entries'), ...authErrors, ...validationError },
});

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function auditRoutes() {
  const app = createRouter();
  app.openapi(route, async (c) => {
    const q = c.req.valid('query');
    const filters: SQL[] = [];
    if (q.from) filters.push(gte(auditLog.at, new Date(q.from)));
    if (q.to) filters.push(lt(auditLog.at, q.to.length === 10 ? new Date(Date.parse(q.to) + 86_400_000) : new Date(q.to)));
    if (q.actor) filters.push(UUID.test(q.actor) ? eq(auditLog.actorId, q.actor) : sql`lower(${users.username}) = lower(${q.actor})`);
    if (q.list) filters.push(or(and(eq(auditLog.entityType, 'list'), eq(auditLog.entityId, q.list)), sql`${auditLog.details} ->> 'listId' = ${q.list}`)!);
    const rows = await c.var.deps.database.db
      .select({ entry: auditLog, username: users.username, displayName: users.displayName })
      .from(auditLog)
      .leftJoin(users, eq(users.id, auditLog.actorId))
      .where(and(...filters))
      .orderBy(desc(auditLog.at), desc(auditLog.id))
      .limit(q.limit);
    return c.json(
      rows.map(({ entry: e, username, displayName }) => ({
        id: e.id,
        at: e.at.toISOString(),
        actor: e.actorId && username ? { id: e.actorId, username, displayName: displayName ?? username } : null,
        action: e.action,
        entityType: e.entityType,
        entityId: e.entityId,
        details: e.details ?? null,
      })),
      200,
    );
  });
  return app;
}
