import { randomUUID } from 'node:crypto';
import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../src/clock.js';
import { cases, dunningLists } from '../src/db/schema.js';
import { enqueueFirstCalls } from '../src/dispatch/first-calls.js';
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

/** What a killed import leaves in Redis: the first call job of a case rolled back with its transaction. */
async function addGhostJob(clientId: string, listId: string) {
  const ghost = { id: randomUUID(), listId, clientId, language: 'de', secondLanguage: null, amountCents: 100, nextDueAt: t.clock.now() };
  await enqueueFirstCalls(serviceDeps(t), [{ case: ghost, windowEnd: null, window: null }], t.clock.now(), await loadSettings(t.db, clientId));
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

    await failImport(serviceDeps(t), listId, 'test: the import was given up');
    await reconcile(serviceDeps(t));
    expect(await ghostJob()).toBeUndefined();
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
