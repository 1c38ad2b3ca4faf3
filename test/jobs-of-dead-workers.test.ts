import { UnrecoverableError, Worker } from 'bullmq';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../src/clock.js';
import { dunningLists } from '../src/db/schema.js';
import { importJobId } from '../src/lists/upload.js';
import { recover } from '../src/recovery/recover.js';
import { retryFailedOutcomes } from '../workers/maintenance.js';
import { createTestContext, type TestContext } from './helpers/context.js';
import { createClient, fastRules, next, postOutcome } from './helpers/dispatch.js';
import { seedList } from './helpers/seed.js';
import { serviceDeps, upload, xlsx } from './helpers/workbooks.js';

/** Jobs BullMQ failed because their worker died with them in hand too often: what comes of them. */
let t: TestContext;
let admin: string;

beforeAll(async () => {
  // No workers: the tests take the jobs themselves, as a worker that then died would.
  t = await createTestContext({}, { clock: systemClock });
  admin = (await t.userSession('admin')).cookie;
});
afterAll(() => t?.close());

/**
 * Takes the next job of `queue` (it must be `jobId`) and fails it as BullMQ fails a job that
 * stalled more often than allowed: a deferred failure, not counted as a try.
 */
async function failAsStalled(queue: 'outcomes' | 'imports', jobId: string) {
  const taker = new Worker(queue, null, { connection: t.redis.duplicate({ maxRetriesPerRequest: null }), prefix: t.prefix, autorun: false });
  try {
    const job = await taker.getNextJob('dead-worker');
    expect(job?.id).toBe(jobId);
    await job!.moveToFailed(new UnrecoverableError('job stalled more than allowable limit'), 'dead-worker');
    expect(await job!.getState()).toBe('failed');
    return job!;
  } finally {
    await taker.close();
  }
}

describe('jobs failed by stalls', () => {
  it('an outcome job (answered 202) is given another round by maintenance', async () => {
    const clientId = await createClient(t, admin, fastRules);
    const { cases: [seeded] } = await seedList(t, clientId, 1);
    const { cookie } = await t.userSession('agent', [clientId]);
    const a = await next(t, cookie);
    expect((await postOutcome(t, cookie, a.assignment.id, { outcome: 'paid' })).status).toBe(202);
    const job = await failAsStalled('outcomes', `${seeded!.id}-a1`);
    expect(job.attemptsMade).toBeLessThan(job.opts.attempts!); // one try made of 20

    expect(await retryFailedOutcomes(t.runtime)).toBe(1);
    const again = await t.queues.get('outcomes').getJob(`${seeded!.id}-a1`);
    expect(await again!.getState()).toBe('waiting');
    expect(again!.data.body).toEqual({ outcome: 'paid' });
  });

  it('an import is queued again a few times, then its list fails (a file that kills the worker is not retried for ever)', async () => {
    const clientId = await createClient(t, admin, fastRules);
    const imports = t.queues.get('imports');
    const listId = await upload(t, admin, clientId, await xlsx([['Kundennummer', 'Name', 'Telefon', 'Betrag'], ['F1', 'Anna', '0721 1234567', 10]]));
    for (let round = 1; round <= 3; round++) {
      await failAsStalled('imports', importJobId(listId));
      expect((await recover(serviceDeps(t))).imports).toBeGreaterThanOrEqual(1);
      expect((await imports.getJob(importJobId(listId)))!.data).toEqual({ listId, requeued: round });
    }
    await failAsStalled('imports', importJobId(listId));
    expect((await recover(serviceDeps(t))).failedImports).toBeGreaterThanOrEqual(1);
    const [list] = await t.db.select().from(dunningLists).where(eq(dunningLists.id, listId));
    expect(list).toMatchObject({ status: 'failed', errorCode: 'stalled', error: expect.stringMatching(/stopped several times/) });
    expect(await imports.getJob(importJobId(listId))).toBeUndefined();
  });
});
