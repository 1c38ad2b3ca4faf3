import { UnrecoverableError, Worker } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../src/clock.js';
import { retryFailedOutcomes } from '../workers/maintenance.js';
import { createTestContext, type TestContext } from './helpers/context.js';
import { attemptsRecorded, createClient, fastRules, next, postOutcome } from './helpers/dispatch.js';
import { seedList } from './helpers/seed.js';

let t: TestContext;
let admin: string;

beforeAll(async () => {
  // No workers at first: the test takes the outcome job itself, as a worker that then died would.
  t = await createTestContext({}, { clock: systemClock });
  admin = (await t.userSession('admin')).cookie;
});
afterAll(() => t?.close());

describe('an outcome job failed by stalls', () => {
  it('(its worker died with it in hand too often) is given another round by maintenance and recorded', async () => {
    const clientId = await createClient(t, admin, fastRules);
    const { cases: [seeded] } = await seedList(t, clientId, 1);
    const { cookie } = await t.userSession('agent', [clientId]);
    const a = await next(t, cookie);
    expect((await postOutcome(t, cookie, a.assignment.id, { outcome: 'paid' })).status).toBe(202);

    // BullMQ fails a job that stalled more often than allowed without counting it as a try
    // (a deferred failure: one try made of 20). Done here by hand on the taken job.
    const taker = new Worker('outcomes', null, { connection: t.redis.duplicate({ maxRetriesPerRequest: null }), prefix: t.prefix, autorun: false });
    try {
      const token = 'dead-worker';
      const job = await taker.getNextJob(token);
      expect(job?.id).toBe(`${seeded!.id}-a1`);
      await job!.moveToFailed(new UnrecoverableError('job stalled more than allowable limit'), token);
      expect(await job!.getState()).toBe('failed');
      expect(job!.attemptsMade).toBeLessThan(job!.opts.attempts!);
    } finally {
      await taker.close();
    }

    expect(await retryFailedOutcomes(t.runtime)).toBe(1);
    await t.runWorkers();
    await attemptsRecorded(t, seeded!.id, 1);
    expect(await retryFailedOutcomes(t.runtime)).toBe(0);
  });
});
