import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { cases, dunningLists } from '../db/schema.js';
import type { SessionUser } from '../http/context.js';
import { AppError, notFound } from '../http/errors.js';
import { assertClientAccess } from '../auth/guard.js';
import type { ServiceDeps } from '../deps.js';
import type { Queues } from '../queues/registry.js';
import { importJobId } from './upload.js';
import { reportView } from './report-view.js';
import { failpoint } from '../failpoint.js';
import { removeCaseJobs } from './case-jobs.js';
import { latestDeliveries, type DeliveryRow } from '../delivery/deliveries.js';
import { deliveryView } from '../results/results.schemas.js';

type ListRow = typeof dunningLists.$inferSelect;

export interface ListExtras {
  counts: { total: number; closed: number };
  delivery: DeliveryRow | null;
}

export function listView(l: ListRow, extras: ListExtras = { counts: { total: 0, closed: 0 }, delivery: null }) {
  return {
    id: l.id,
    clientId: l.clientId,
    name: l.name,
    status: l.status,
    fileName: l.fileName,
    importProgress: l.importProgress ?? null,
    report: l.report ? reportView(l.report) : null,
    error: l.error,
    errorCode: l.errorCode,
    createdAt: l.createdAt.toISOString(),
    activatedAt: l.activatedAt?.toISOString() ?? null,
    completedAt: l.completedAt?.toISOString() ?? null,
    pausedAt: l.status === 'paused' ? (l.pausedAt?.toISOString() ?? null) : null,
    purgedAt: l.purgedAt?.toISOString() ?? null,
    counts: extras.counts,
    delivery: extras.delivery ? deliveryView(extras.delivery) : null,
  };
}

/** Case counts and the newest delivery of each list, in two queries for the whole page. */
export async function listExtras(db: Db, ids: string[]): Promise<Map<string, ListExtras>> {
  if (ids.length === 0) return new Map();
  const counts = await db
    .select({ listId: cases.listId, total: sql<number>`count(*)::int`, closed: sql<number>`(count(*) filter (where ${cases.status} = 'closed'))::int` })
    .from(cases)
    .where(inArray(cases.listId, ids))
    .groupBy(cases.listId);
  const byList = new Map(counts.map((c) => [c.listId, { total: c.total, closed: c.closed }]));
  const delivered = await latestDeliveries(db, ids);
  return new Map(ids.map((id) => [id, { counts: byList.get(id) ?? { total: 0, closed: 0 }, delivery: delivered.get(id) ?? null }]));
}

/** While a list imports, its progress lives on the `imports` job (see `run-import.ts`). */
export async function withLiveProgress(queues: Queues, view: ReturnType<typeof listView>) {
  if (view.status !== 'importing') return view;
  const job = await queues.get('imports').getJob(importJobId(view.id));
  const p = job?.progress;
  return typeof p === 'object' && p !== null && 'percent' in p ? { ...view, importProgress: p as { percent: number; rows: number } } : view;
}

/** A list the user may see (client scope), or 404 / 403. */
export async function getList(db: Db, user: SessionUser, id: string): Promise<ListRow> {
  const [l] = await db.select().from(dunningLists).where(eq(dunningLists.id, id));
  if (!l) throw notFound('List');
  assertClientAccess(user, l.clientId);
  return l;
}

export async function listLists(db: Db, user: SessionUser, clientId?: string) {
  if (clientId) assertClientAccess(user, clientId);
  const scope = clientId ? [clientId] : user.role === 'admin' ? null : user.clientIds;
  if (scope && scope.length === 0) return [];
  const rows = await db
    .select()
    .from(dunningLists)
    .where(scope ? inArray(dunningLists.clientId, scope) : undefined)
    .orderBy(desc(dunningLists.createdAt));
  const extras = await listExtras(db, rows.map((l) => l.id));
  // The overview carries the report's counts, not its rejected rows (GET /api/lists/:id does).
  return rows.map((l) => ({ ...listView(l, extras.get(l.id)), report: l.report ? reportView({ ...l.report, rejected: [], rejectedTruncated: l.report.rejectedRows > 0 }) : null }));
}

/**
 * Closes every open case of the list as `cancelled`; calls in progress may still record their
 * outcome (the attempt counts, the case stays closed). The queued call jobs are removed after
 * the commit, so agents do not wade through them (reconcile would catch any left over).
 */
export async function cancelList(d: ServiceDeps, user: SessionUser, id: string) {
  const { db } = d;
  const now = d.clock.now();
  const list = await getList(db, user, id);
  if (list.status === 'completed' || list.status === 'failed' || list.status === 'cancelled') {
    throw new AppError(409, 'list_closed', `The list is ${list.status} already`);
  }
  const { updated, closed } = await db.transaction(async (tx) => {
    // The list first, and only while it is still open: its last case may have closed since it
    // was read, and a completed list must stay completed (its result list is sent).
    const [row] = await tx
      .update(dunningLists)
      .set({ status: 'cancelled', completedAt: now })
      .where(and(eq(dunningLists.id, id), inArray(dunningLists.status, ['importing', 'active', 'paused'])))
      .returning();
    if (!row) throw new AppError(409, 'list_closed', 'The list was closed meanwhile');
    const closed = await tx
      .update(cases)
      .set({ status: 'closed', finalOutcome: 'cancelled', closedAt: now, nextDueAt: null, waitReason: null, callback: null, updatedAt: now })
      .where(and(eq(cases.listId, id), eq(cases.status, 'open')))
      .returning({ id: cases.id, clientId: cases.clientId, language: cases.language, secondLanguage: cases.secondLanguage, attemptsMade: cases.attemptsMade });
    return { updated: row, closed };
  });
  // The cases are closed: a job left behind is stale at its pull and removed by reconcile.
  failpoint(d.config, 'cancel.afterCommit');
  try {
    await removeCaseJobs(d, list.clientId, closed, now);
  } catch (err) {
    // Cancelled all the same (a retry would be refused as a closed list): the jobs left are
    // stale at their pull and removed by reconcile.
    d.log.warn({ listId: id, err }, 'cancelled list\'s jobs not removed (Redis away?); reconcile removes them');
  }
  return listView(updated, (await listExtras(db, [id])).get(id));
}

