import { and, eq } from 'drizzle-orm';
import { audit } from '../audit/audit.js';
import { cases, dunningLists } from '../db/schema.js';
import type { ServiceDeps } from '../deps.js';
import { completeListIfDone } from '../dispatch/close-case.js';
import { reconcile } from '../dispatch/reconcile.js';
import type { SessionUser } from '../http/context.js';
import { AppError } from '../http/errors.js';
import { removeCaseJobs } from './case-jobs.js';
import { getList, listExtras, listView } from './lists.service.js';

/**
 * Pausing one list (`paused`): the client asked to stop calling it for now (a dispute, a data
 * correction, a payment run), while its other lists go on. PostgreSQL first — from then on every
 * pull drops a job of the list as not active — then its open cases' call jobs are removed, so
 * agents' pulls do not spend their look at jobs on it. Calls in progress end as usual; their
 * outcomes are recorded, and the next call job the outcome adds is dropped at its pull. A list
 * whose last open case closes while paused completes. Resuming makes it `active` again and gives
 * every open case its call job back (`reconcile` for the list), due when it was due.
 */
export async function pauseList(d: ServiceDeps, user: SessionUser, id: string) {
  const now = d.clock.now();
  const list = await getList(d.db, user, id);
  if (list.status === 'paused') throw new AppError(409, 'list_paused', 'The list is paused already');
  if (list.status !== 'active') throw new AppError(409, 'list_not_active', `Only an active list can be paused; this one is ${list.status}`);
  const open = await d.db.transaction(async (tx) => {
    const [row] = await tx.update(dunningLists).set({ status: 'paused', pausedAt: now }).where(and(eq(dunningLists.id, id), eq(dunningLists.status, 'active'))).returning({ id: dunningLists.id });
    if (!row) throw new AppError(409, 'list_not_active', 'The list changed meanwhile; reload it');
    await audit(tx, { at: now, actorId: user.id, action: 'list.paused', entityType: 'list', entityId: id });
    return tx
      .select({ id: cases.id, clientId: cases.clientId, language: cases.language, secondLanguage: cases.secondLanguage, attemptsMade: cases.attemptsMade })
      .from(cases)
      .where(and(eq(cases.listId, id), eq(cases.status, 'open')));
  });
  try {
    await removeCaseJobs(d, list.clientId, open, now);
    // A resume that landed meanwhile gave the cases their jobs before these were removed.
    const [after] = await d.db.select({ status: dunningLists.status }).from(dunningLists).where(eq(dunningLists.id, id));
    if (after?.status === 'active') await reconcile(d, { listId: id });
  } catch (err) {
    // Paused all the same: a job left behind is dropped at its pull (the list is not active).
    d.log.warn({ listId: id, err }, 'paused list\'s jobs not removed (Redis away?); they are dropped at their pull');
  }
  return view(d, id);
}

/** Makes a paused list `active` again and gives its open cases their call jobs back. */
export async function resumeList(d: ServiceDeps, user: SessionUser, id: string) {
  const now = d.clock.now();
  const list = await getList(d.db, user, id);
  if (list.status !== 'paused') throw new AppError(409, 'list_not_paused', `Only a paused list can be resumed; this one is ${list.status}`);
  await d.db.transaction(async (tx) => {
    const [row] = await tx.update(dunningLists).set({ status: 'active', pausedAt: null }).where(and(eq(dunningLists.id, id), eq(dunningLists.status, 'paused'))).returning({ id: dunningLists.id });
    if (!row) throw new AppError(409, 'list_not_paused', 'The list changed meanwhile; reload it');
    await audit(tx, { at: now, actorId: user.id, action: 'list.resumed', entityType: 'list', entityId: id });
  });
  // Its last open case may have closed while it was paused (completed then, but a close racing
  // the pause may have seen it active): complete it, or give its cases their jobs back.
  if (!(await completeListIfDone(d.db, id, now)).listCompleted) {
    try {
      await reconcile(d, { listId: id });
    } catch (err) {
      // Active all the same: the workers' reconcile (every 5 minutes) gives the cases their jobs.
      d.log.warn({ listId: id, err }, 'resumed list\'s jobs not restored (Redis away?); reconcile restores them');
    }
  }
  return view(d, id);
}

async function view(d: ServiceDeps, id: string) {
  const [row] = await d.db.select().from(dunningLists).where(eq(dunningLists.id, id));
  return listView(row!, (await listExtras(d.db, [id])).get(id));
}
