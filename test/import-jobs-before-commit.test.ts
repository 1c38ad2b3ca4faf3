import { randomUUID } from 'node:crypto';
import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../src/clock.js';
import { cases, dunningLists } from '../src/db/schema.js';
import { addFirstCalls, enqueueFirstCalls } from '../src/dispatch/first-calls.js';
import { lookAtMissingCase } from '../src/dispatch/pull-context.js';
import { cancelList } from '../src/lists/lists.service.js';
import { reconcile } from '../src/dispatch/reconcile.js';
import { failImport, runImport } from '../src/lists/run-import.js';
import { loadSettings } from '../src/clients/clients.service.js';
import { callJobId, callQueueName } from '../src/queues/registry.js';
import { createTestContext, type TestContext } from './helpers/context.js';
import { createClient, fastRules, next, setTime, useFakeDate } from './helpers/dispatch.js';
import { eventually } from './helpers/eventually.js';
import { jobCount, largeXlsx, serviceDeps, upload } from './helpers/workbooks.js';

/**
 * An import adds each batch's call jobs while it reads on, before it commits the cases
 * (`runImport`). Until the list is no longer `importing`, the pull holds such a job and
 * reconcile keeps it; after, a job whose case never got committed is dropped and removed.
 * No worker runs in this file: each test runs `runImport` (or not) itself.
 */
let t: TestContext;
let admin: string;

beforeAll(async () => {
  useFakeDate('2026-11-25T10:00:00+01:00');
  t = await createTestContext({}, { clock: systemClock });
  admin = (await t.userSession('admin')).cookie;
});
afterAll(() => t.close());

/**
 * What a killed import leaves in Redis: the first call job of a case rolled back with its
 * transaction. `enqueueFirstCalls` also names the queue in the ready index, as when the client
 * has another list; `addFirstCalls`, as the import adds, does not.
 */
async function addGhostJob(clientId: string, listId: string, add: (...args: Parameters<typeof addFirstCalls>) => Promise<unknown> = enqueueFirstCalls) {
  const ghost = { id: randomUUID(), listId, clientId, language: 'de', secondLanguage: null, amountCents: 100, nextDueAt: t.clock.now() };
  await add(serviceDeps(t), [{ case: ghost, windowEnd: null, window: null }], t.clock.now(), await loadSettings(t.db, clientId));
  return () => t.queues.calls(callQueueName(clientId, 'de')).getJob(callJobId(ghost.id, 1));
}

const visibleCases = async (listId: string) => (await t.db.select({ n: count() }).from(cases).where(eq(cases.listId, listId)))[0]!.n;

describe('call jobs added before the import commits', () => {
  it('are held at pull and kept by reconcile while the list imports, and handed out once it is active', async () => {
    const clientId = await createClient(t, admin, fastRules);
    const agent = await t.userSession('agent', [clientId]);
    const queue = callQueueName(clientId, 'de');
    const listId = await upload(t, admin, clientId, await largeXlsx(1500, 'H'));
    let during: Record<string, unknown> | undefined;
    await runImport(serviceDeps(t), listId, async () => {
      if (during) return;
      // Called after the first batch was inserted; its jobs are on their way to Redis.
      await eventually(async () => (await jobCount(t, queue)) === 1000, 10_000, "the first batch's jobs");
      // The import refreshes the ready index at its end; a client with other lists has its queue in it already.
      await t.calls.ready.refresh([queue], t.clock.now().getTime());
      const pulled = await next(t, agent.cookie);
      const held = await t.queues.calls(queue).getJobCounts('delayed');
      await reconcile(serviceDeps(t));
      during = { visibleCases: await visibleCases(listId), assignment: pulled.assignment, held: held.delayed! > 0, jobs: await jobCount(t, queue) };
    });
    expect(during).toEqual({ visibleCases: 0, assignment: null, held: true, jobs: 1000 });
    const [list] = await t.db.select().from(dunningLists).where(eq(dunningLists.id, listId));
    expect(list!.status).toBe('active');
    expect(await visibleCases(listId)).toBe(1500);
    expect(await jobCount(t, queue)).toBe(1500);

    // The jobs the pull held come back after their recheck, with every other one.
    setTime(Date.now() + 6_000);
    const taken = await next(t, agent.cookie);
    expect(taken.assignment).not.toBeNull();
    expect(taken.case.attemptNo).toBe(1);
  }, 60_000);

  it('of cases never committed (the import died before its commit) are dropped and removed once the list stopped importing', async () => {
    const clientId = await createClient(t, admin, fastRules);
    const agent = await t.userSession('agent', [clientId]);
    const listId = await upload(t, admin, clientId, await largeXlsx(3, 'D'));
    const ghostJob = await addGhostJob(clientId, listId);

    expect((await next(t, agent.cookie)).assignment).toBeNull();
    await reconcile(serviceDeps(t));
    expect(await (await ghostJob())?.getState()).toBe('delayed'); // held, not dropped

    await failImport(serviceDeps(t), listId, 'internal', 'test: the import was given up');
    await reconcile(serviceDeps(t));
    expect(await ghostJob()).toBeUndefined();
  });

  it('of cases never committed, in a queue the ready index does not name, are removed by reconcile once their list is cancelled', async () => {
    // A client's first list: no active list uses its queue, and the import never got to its
    // refresh of the ready index. Reconcile finds the queue through the imports' own index.
    const clientId = await createClient(t, admin, fastRules);
    const queue = callQueueName(clientId, 'de');
    const listId = await upload(t, admin, clientId, await largeXlsx(3, 'F'));
    const ghostJob = await addGhostJob(clientId, listId, addFirstCalls);
    expect(await t.calls.ready.all()).not.toContain(queue);
    expect(await t.calls.importQueues.all()).toContain(queue);

    await reconcile(serviceDeps(t));
    expect(await ghostJob()).toBeDefined(); // kept while the list imports…
    expect(await t.calls.ready.all()).not.toContain(queue); // …and not offered to agents before its commit

    await cancelList(serviceDeps(t), { ...(await t.userSession('admin')).user, callClientIds: [] }, listId);
    await reconcile(serviceDeps(t));
    expect(await ghostJob()).toBeUndefined();
    // Emptied, the queue leaves the imports' index, and the ready index was not given it.
    expect(await t.calls.importQueues.all()).not.toContain(queue);
    expect(await t.calls.ready.all()).not.toContain(queue);
  });

  it('a case committed between the pull\'s take and its second look is seen by that look, with its list', async () => {
    // The take found no case; the import then committed and activated the list. The second
    // look reads the list and the case in one statement, so it cannot see the list active
    // without the case (then the job would be dropped and the case left without one).
    const clientId = await createClient(t, admin, fastRules);
    const listId = await upload(t, admin, clientId, await largeXlsx(3, 'G'));
    const ghost = { listId, caseId: randomUUID() };
    expect(await lookAtMissingCase(t.db, ghost)).toEqual({ listStatus: 'importing', caseVisible: false });
    await runImport(serviceDeps(t), listId);
    const [imported] = await t.db.select({ id: cases.id }).from(cases).where(eq(cases.listId, listId)).limit(1);
    expect(await lookAtMissingCase(t.db, { listId, caseId: imported!.id })).toEqual({ listStatus: 'active', caseVisible: true });
    expect(await lookAtMissingCase(t.db, ghost)).toEqual({ listStatus: 'active', caseVisible: false });
  });

  it('of cases never committed are dropped at pull once their list is active', async () => {
    const clientId = await createClient(t, admin, fastRules);
    const agent = await t.userSession('agent', [clientId]);
    const listId = await upload(t, admin, clientId, await largeXlsx(3, 'E'));
    const ghostJob = await addGhostJob(clientId, listId);
    await t.db.update(dunningLists).set({ status: 'active', activatedAt: t.clock.now() }).where(eq(dunningLists.id, listId));

    expect((await next(t, agent.cookie)).assignment).toBeNull();
    expect(await ghostJob()).toBeUndefined();
  });
});
