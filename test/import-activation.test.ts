import { asc, count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../src/clock.js';
import type { Db } from '../src/db/client.js';
import { cases, dunningLists, importFiles } from '../src/db/schema.js';
import { reconcile } from '../src/dispatch/reconcile.js';
import { runImport } from '../src/lists/run-import.js';
import { importJobId } from '../src/lists/upload.js';
import type { CallQueues } from '../src/queues/call-queues.js';
import { ReadyIndex } from '../src/queues/ready-index.js';
import { callJobId, callQueueName } from '../src/queues/registry.js';
import { recover } from '../src/recovery/recover.js';
import { createTestContext, type TestContext } from './helpers/context.js';
import { createClient, fastRules, next, useFakeDate } from './helpers/dispatch.js';
import { jobCount, largeXlsx, serviceDeps, upload } from './helpers/workbooks.js';

/**
 * The import activates its list in the transaction that commits the cases: a list is never seen
 * with committed cases and still `importing`, so a run queued again once the first has committed
 * (`recover`, Redis having lost the job) finds it active and leaves it. What follows the commit in
 * Redis (the ready index's refresh) is best effort: reconcile repairs it. No worker runs in this
 * file: each test runs `runImport` itself.
 */
let t: TestContext;
let admin: string;

beforeAll(async () => {
  useFakeDate('2026-11-25T10:00:00+01:00');
  t = await createTestContext({}, { clock: systemClock });
  admin = (await t.userSession('admin')).cookie;
});
afterAll(() => t?.close());

const listOf = async (id: string) => (await t.db.select().from(dunningLists).where(eq(dunningLists.id, id)))[0]!;
const caseIdsOf = async (id: string) => (await t.db.select({ id: cases.id }).from(cases).where(eq(cases.listId, id)).orderBy(asc(cases.id))).map((c) => c.id);
const filesOf = async (id: string) => (await t.db.select({ n: count() }).from(importFiles).where(eq(importFiles.listId, id)))[0]!.n;
const jobsOf = async (queue: string, caseIds: string[]) => Promise.all(caseIds.map(async (id) => (await t.queues.calls(queue).getJob(callJobId(id, 1)))?.id ?? null));

/** The context's call queues, with `hook` run at each refresh of the ready index: the import's first write after its commit. */
function atReadyRefresh(hook: () => Promise<void>): CallQueues {
  const ready = new (class extends ReadyIndex {
    override async refresh(queues: string[], now: number): Promise<void> {
      await hook();
      await super.refresh(queues, now);
    }
  })(t.redis, t.prefix);
  return Object.create(t.calls, { ready: { value: ready } }) as CallQueues;
}

/** `t.db` whose transactions start only once `gate` resolves; `reached` is called when one is asked for. */
function dbHeldAtTransaction(gate: Promise<void>, reached: () => void): Db {
  return new Proxy(t.db, {
    get(target, prop) {
      const value: unknown = Reflect.get(target, prop, target);
      if (typeof value !== 'function') return value;
      const bound = (value as (...args: unknown[]) => unknown).bind(target);
      if (prop !== 'transaction') return bound;
      return async (...args: unknown[]) => {
        reached();
        await gate;
        return bound(...args);
      };
    },
  });
}

describe('an import activates its list with its commit', () => {
  it('a run queued again right after the commit (Redis lost the job) finds the list active and leaves it, its cases and jobs', async () => {
    const clientId = await createClient(t, admin, fastRules);
    const queue = callQueueName(clientId, 'de');
    const listId = await upload(t, admin, clientId, await largeXlsx(5, 'A'));
    // Redis lost the import's job: a `recover` finding the list `importing` and its lock free queues it again.
    await (await t.queues.get('imports').getJob(importJobId(listId)))!.remove();
    let atCommit: { status: string; caseIds: string[]; requeued: number } | undefined;
    const calls = atReadyRefresh(async () => {
      atCommit = { status: (await listOf(listId)).status, caseIds: await caseIdsOf(listId), requeued: (await recover(serviceDeps(t))).imports };
      // And the run that job would start, beside the first.
      await runImport(serviceDeps(t), listId);
    });
    await runImport(serviceDeps(t, { calls }), listId);

    expect(atCommit).toMatchObject({ status: 'active', requeued: 0 });
    expect(atCommit!.caseIds).toHaveLength(5);
    expect(await t.queues.get('imports').getJob(importJobId(listId))).toBeUndefined();
    // The first run's cases, each with its first call job: nothing imported twice, nothing removed.
    expect(await caseIdsOf(listId)).toEqual(atCommit!.caseIds);
    expect(await jobsOf(queue, atCommit!.caseIds)).toEqual(atCommit!.caseIds.map((id) => callJobId(id, 1)));
    expect(await jobCount(t, queue)).toBe(5);
    expect(await listOf(listId)).toMatchObject({ status: 'active', importProgress: { percent: 100, rows: 5 } });
    expect(await filesOf(listId)).toBe(0);
  });

  it('a second run that read the list `importing` and takes the lock once the first committed leaves the list to it', async () => {
    const clientId = await createClient(t, admin, fastRules);
    const queue = callQueueName(clientId, 'de');
    const listId = await upload(t, admin, clientId, await largeXlsx(5, 'B'));
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let reached!: () => void;
    const atTransaction = new Promise<void>((resolve) => (reached = resolve));
    const secondProgress: unknown[] = [];
    // The second run has read the list (`importing`) and its file, and is about to take the lock.
    const second = runImport(serviceDeps(t, { db: dbHeldAtTransaction(gate, reached) }), listId, async (p) => {
      secondProgress.push(p);
    });
    try {
      await atTransaction;
      await runImport(serviceDeps(t), listId);
    } finally {
      release();
    }
    const first = { list: await listOf(listId), caseIds: await caseIdsOf(listId) };
    expect(first.list.status).toBe('active');
    expect(first.caseIds).toHaveLength(5);
    await second;

    expect(secondProgress).toEqual([]); // it read no row of the file
    expect(await listOf(listId)).toMatchObject({ status: 'active', activatedAt: first.list.activatedAt });
    expect(await caseIdsOf(listId)).toEqual(first.caseIds);
    expect(await jobsOf(queue, first.caseIds)).toEqual(first.caseIds.map((id) => callJobId(id, 1)));
    expect(await jobCount(t, queue)).toBe(5);
  });

  it('Redis failing after the commit leaves the list active with its cases and jobs; reconcile names its queue in the ready index', async () => {
    const clientId = await createClient(t, admin, fastRules);
    const agent = await t.userSession('agent', [clientId]);
    const queue = callQueueName(clientId, 'de');
    const listId = await upload(t, admin, clientId, await largeXlsx(5, 'C'));
    const calls = atReadyRefresh(async () => {
      throw new Error('Connection is closed.');
    });
    await runImport(serviceDeps(t, { calls }), listId); // not failed, not to be tried again

    const caseIds = await caseIdsOf(listId);
    expect(await listOf(listId)).toMatchObject({ status: 'active', importProgress: { percent: 100, rows: 5 } });
    expect(caseIds).toHaveLength(5);
    expect(await filesOf(listId)).toBe(0);
    expect(await jobsOf(queue, caseIds)).toEqual(caseIds.map((id) => callJobId(id, 1)));
    // The client's first list: its queue is in no ready index yet, so a pull does not look at it
    // (nothing handed out, nothing dropped) …
    expect(await t.calls.ready.all()).not.toContain(queue);
    expect((await next(t, agent.cookie)).assignment).toBeNull();
    expect(await jobCount(t, queue)).toBe(5);
    // … until reconcile refreshes the queues of the active lists' open cases.
    expect(await reconcile(serviceDeps(t))).toMatchObject({ added: 0, removed: 0 });
    expect(await t.calls.ready.all()).toContain(queue);
    const taken = await next(t, agent.cookie);
    expect(taken.assignment).not.toBeNull();
    expect(caseIds).toContain(taken.case.id);
  });
});
