import { and, eq } from 'drizzle-orm';
import { Job, Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { systemClock } from '../src/clock.js';
import { auditLog, cases, dunningLists } from '../src/db/schema.js';
import { callJobId, callQueueName } from '../src/queues/registry.js';
import { reconcile } from '../src/dispatch/reconcile.js';
import { createTestContext, type TestContext } from './helpers/context.js';
import { attemptsRecorded, createClient, fastRules, next, postOutcome } from './helpers/dispatch.js';
import { eventually } from './helpers/eventually.js';
import { seedList } from './helpers/seed.js';
import { serviceDeps } from './helpers/workbooks.js';

/**
 * A lead pauses one list (the client asked to stop calling it for now) and resumes it:
 * `POST /api/lists/:id/pause`, `/resume`. The client's other lists go on.
 */
let t: TestContext;
let admin: string;
beforeAll(async () => {
  t = await createTestContext({}, { clock: systemClock });
  admin = (await t.userSession('admin')).cookie;
  await t.runWorkers();
});
afterAll(() => t?.close());

const act = (cookie: string, listId: string, action: 'pause' | 'resume' | 'cancel') => t.request('POST', `/api/lists/${listId}/${action}`, { cookie });
const statusOf = async (listId: string) => (await t.db.select().from(dunningLists).where(eq(dunningLists.id, listId)))[0]!.status;
const jobOf = (clientId: string, caseId: string) => t.queues.calls(callQueueName(clientId, 'de')).getJob(callJobId(caseId, 1));

/** A client's list of `n` cases, one of them held by an agent, then paused by the lead. */
async function heldThenPaused(rules: Record<string, unknown>, n: number) {
  const clientId = await createClient(t, admin, rules);
  const { listId } = await seedList(t, clientId, n);
  const lead = await t.userSession('lead', [clientId]);
  const agent = await t.userSession('agent', [clientId]);
  const held = await next(t, agent.cookie);
  expect((await act(lead.cookie, listId, 'pause')).status).toBe(200);
  return { clientId, listId, lead, agent, held };
}

describe('pausing one list', () => {
  it('stops handing out its cases (their jobs removed) while the client\'s other list goes on; resuming brings them back', async () => {
    const clientId = await createClient(t, admin, fastRules);
    const paused = await seedList(t, clientId, 2);
    const other = await seedList(t, clientId, 1);
    const lead = await t.userSession('lead', [clientId]);
    const agent = await t.userSession('agent', [clientId]);
    expect(await jobOf(clientId, paused.cases[0]!.id)).toBeTruthy();

    const res = await act(lead.cookie, paused.listId, 'pause');
    expect([res.status, res.body.status]).toEqual([200, 'paused']);
    expect(Date.now() - Date.parse(res.body.pausedAt)).toBeLessThan(60_000);
    for (const c of paused.cases) expect(await jobOf(clientId, c.id)).toBeUndefined();
    const [entry] = await t.db.select().from(auditLog).where(and(eq(auditLog.action, 'list.paused'), eq(auditLog.entityId, paused.listId)));
    expect(entry?.actorId).toBe(lead.user.id);

    const taken = await next(t, agent.cookie);
    expect(taken.case.listId).toBe(other.listId);
    expect((await postOutcome(t, agent.cookie, taken.assignment.id, { outcome: 'paid', rightParty: true })).status).toBe(202);
    await attemptsRecorded(t, other.cases[0]!.id, 1);
    // The agent is told why: the cases wait for the lead, no time foreseen for them.
    expect(await next(t, agent.cookie)).toMatchObject({ assignment: null, nextDueAt: null, waiting: { listPaused: 2 } });

    const resumed = await act(lead.cookie, paused.listId, 'resume');
    expect([resumed.status, resumed.body.status, resumed.body.pausedAt]).toEqual([200, 'active', null]);
    for (const c of paused.cases) expect(await jobOf(clientId, c.id)).toBeTruthy();
    expect((await t.db.select().from(auditLog).where(and(eq(auditLog.action, 'list.resumed'), eq(auditLog.entityId, paused.listId))))).toHaveLength(1);
    const again = await next(t, agent.cookie);
    expect(again.case.listId).toBe(paused.listId);
  });

  it('gives its cases their jobs back when a resume lands while the pause still removes them', async () => {
    const clientId = await createClient(t, admin, fastRules);
    const { listId, cases: seeded } = await seedList(t, clientId, 2);
    const lead = await t.userSession('lead', [clientId]);
    // The pause's removal of the jobs runs after the resume (and its restoring of them) committed.
    const removeCalls = t.queues.removeCalls;
    t.queues.removeCalls = async (jobs) => {
      t.queues.removeCalls = removeCalls;
      expect((await act(lead.cookie, listId, 'resume')).status).toBe(200);
      return removeCalls.call(t.queues, jobs);
    };
    try {
      expect((await act(lead.cookie, listId, 'pause')).status).toBe(200);
    } finally {
      t.queues.removeCalls = removeCalls;
    }
    expect(await statusOf(listId)).toBe('active');
    for (const c of seeded) expect(await jobOf(clientId, c.id)).toBeTruthy();
  });

  it('lets a call in progress end: its outcome is recorded, and a list whose last case closed while paused completes', async () => {
    const { listId, agent, held } = await heldThenPaused(fastRules, 1);
    const only = held.case as { id: string };
    expect((await postOutcome(t, agent.cookie, held.assignment.id, { outcome: 'paid', rightParty: true })).status).toBe(202);
    await attemptsRecorded(t, only.id, 1);
    await eventually(async () => (await statusOf(listId)) === 'completed', 10_000, 'the list completed');
  });

  it('keeps a case called while paused away until the list is resumed', async () => {
    const { clientId, listId, lead, agent, held } = await heldThenPaused(fastRules, 1);
    const only = held.case as { id: string };
    expect((await postOutcome(t, agent.cookie, held.assignment.id, { outcome: 'not_reached' })).status).toBe(202);
    await attemptsRecorded(t, only.id, 1);
    // fastRules retry after a second: the next attempt's job becomes due, and is dropped at the
    // pull instead of handed out while the list is paused.
    const { nextDueAt } = (await t.db.select().from(cases).where(eq(cases.id, only.id)))[0]!;
    await eventually(async () => Date.now() > nextDueAt!.getTime() + 200, 5_000, 'the next attempt due');
    expect((await next(t, agent.cookie)).assignment).toBeNull();
    expect(await t.queues.calls(callQueueName(clientId, 'de')).getJob(callJobId(only.id, 2))).toBeUndefined();
    expect(await statusOf(listId)).toBe('paused');
    expect((await act(lead.cookie, listId, 'resume')).status).toBe(200);
    const again = await eventually(async () => (await next(t, agent.cookie)).assignment && (await t.db.select().from(cases).where(eq(cases.id, only.id)))[0], 10_000, 'the case handed out again');
    expect(again.attemptsMade).toBe(1);
  });

  it('names its interim result list so, and has reconcile remove a job its outcome left while paused', async () => {
    const { clientId, listId, lead, agent, held } = await heldThenPaused({ ...fastRules, retryDelaySeconds: 3600 }, 2);
    const download = await t.request('GET', `/api/lists/${listId}/results.csv`, { cookie: lead.cookie });
    expect(download.headers.get('content-disposition')).toContain('_Zwischenstand_');

    expect((await postOutcome(t, agent.cookie, held.assignment.id, { outcome: 'not_reached' })).status).toBe(202);
    const heldCase = held.case.id as string;
    await attemptsRecorded(t, heldCase, 1);
    // The outcomes worker queued the next attempt, in a paused list: stale for reconcile.
    const queue = t.queues.calls(callQueueName(clientId, 'de'));
    expect(await queue.getJob(callJobId(heldCase, 2))).toBeTruthy();
    const report = await reconcile(serviceDeps(t));
    expect(report.removed).toBeGreaterThanOrEqual(1);
    expect(await queue.getJob(callJobId(heldCase, 2))).toBeUndefined();
  });

  it('gives a case its job back when reconcile removed it as paused after a resume had counted it', async () => {
    const clientId = await createClient(t, admin, fastRules);
    const { listId, cases: seeded } = await seedList(t, clientId, 1);
    const only = seeded[0]!.id;
    const lead = await t.userSession('lead', [clientId]);
    // A job left behind by the pause: paused in PostgreSQL, still queued.
    await t.db.update(dunningLists).set({ status: 'paused', pausedAt: new Date() }).where(eq(dunningLists.id, listId));
    // Reconcile read the list paused; the resume (and its reconcile, which finds the job still
    // there) lands before reconcile removes the job.
    const remove = Queue.prototype.remove;
    let resumed = 0;
    const spy = vi.spyOn(Queue.prototype, 'remove').mockImplementation(async function (this: Queue, jobId: string, ...rest) {
      if (jobId === callJobId(only, 1) && resumed++ === 0) {
        expect((await act(lead.cookie, listId, 'resume')).status).toBe(200);
        expect(await jobOf(clientId, only)).toBeTruthy(); // counted by the resume's reconcile
      }
      return remove.call(this, jobId, ...rest);
    });
    try {
      await reconcile(serviceDeps(t));
    } finally {
      spy.mockRestore();
    }
    expect([resumed, await statusOf(listId)]).toEqual([1, 'active']);
    expect((await jobOf(clientId, only))?.id).toBe(callJobId(only, 1));
  });

  it('gives a case its job back when its pull read the list paused and dropped the job after a resume had counted it', async () => {
    const clientId = await createClient(t, admin, fastRules);
    const { listId, cases: seeded } = await seedList(t, clientId, 1);
    const only = seeded[0]!.id;
    const lead = await t.userSession('lead', [clientId]);
    const agent = await t.userSession('agent', [clientId]);
    // A job left behind by the pause (Redis away, say): paused in PostgreSQL, still queued.
    await t.db.update(dunningLists).set({ status: 'paused', pausedAt: new Date() }).where(eq(dunningLists.id, listId));
    // The pull read the list paused; the resume (and its reconcile, which finds the job still
    // there) lands before the pull drops the job.
    const moveToCompleted = Job.prototype.moveToCompleted;
    let dropped = 0;
    // Only this case's job: the workers complete jobs of their own meanwhile.
    const drop = vi.spyOn(Job.prototype, 'moveToCompleted').mockImplementation(async function (this: Job, ...args) {
      if (this.id === callJobId(only, 1) && dropped++ === 0) {
        expect((await act(lead.cookie, listId, 'resume')).status).toBe(200);
        expect(await jobOf(clientId, only)).toBeTruthy(); // counted by the resume's reconcile
      }
      return moveToCompleted.apply(this, args);
    });
    let first;
    try {
      first = await next(t, agent.cookie);
    } finally {
      drop.mockRestore();
    }
    expect(dropped).toBe(1);
    expect(await statusOf(listId)).toBe('active');
    // Handed out by that very `next` once given back, or by one of the next ones.
    const handed = first.assignment
      ? first
      : await eventually(async () => {
          const res = await next(t, agent.cookie);
          return res.assignment ? res : null;
        }, 10_000, 'the case handed out again');
    expect(handed.case.id).toBe(only);
  });

  it('refuses what does not fit (409), other clients\' leads and agents (403); a paused list can be cancelled', async () => {
    const clientId = await createClient(t, admin, fastRules);
    const { listId } = await seedList(t, clientId, 1);
    const lead = await t.userSession('lead', [clientId]);
    const agent = await t.userSession('agent', [clientId]);
    const foreign = await t.userSession('lead', [await createClient(t, admin, fastRules)]);
    const resumeActive = await act(lead.cookie, listId, 'resume');
    expect([resumeActive.status, resumeActive.body.error.code]).toEqual([409, 'list_not_paused']);
    expect((await act(foreign.cookie, listId, 'pause')).status).toBe(403);
    expect((await act(agent.cookie, listId, 'pause')).status).toBe(403);
    expect(await statusOf(listId)).toBe('active');

    expect((await act(lead.cookie, listId, 'pause')).status).toBe(200);
    const twice = await act(lead.cookie, listId, 'pause');
    expect([twice.status, twice.body.error.code]).toEqual([409, 'list_paused']);
    const cancelled = await act(lead.cookie, listId, 'cancel');
    expect([cancelled.status, cancelled.body.status]).toEqual([200, 'cancelled']);
    const pauseClosed = await act(lead.cookie, listId, 'pause');
    expect([pauseClosed.status, pauseClosed.body.error.code]).toEqual([409, 'list_not_active']);
  });
});
