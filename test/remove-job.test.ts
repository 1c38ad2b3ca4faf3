import { Worker } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removed } from '../src/queues/remove-job.js';
import { createTestContext, type TestContext } from './helpers/context.js';

let t: TestContext;

beforeAll(async () => {
  t = await createTestContext();
});
afterAll(() => t?.close());

/** Two sweeps at once: the second removes a job the first just queued again and a worker took. */
describe('removed', () => {
  it('removes a job nobody holds, and leaves one a worker holds (false) instead of throwing', async () => {
    const queue = t.queues.get('imports');
    await queue.add('import', { listId: 'free' }, { jobId: 'free' });
    expect(await removed(t.deps, (await queue.getJob('free'))!)).toBe(true);
    expect(await queue.getJob('free')).toBeUndefined();

    await queue.add('import', { listId: 'held' }, { jobId: 'held' });
    const handle = await queue.getJob('held');
    const worker = new Worker('imports', null, { connection: t.redis.duplicate({ maxRetriesPerRequest: null }), prefix: t.prefix, autorun: false });
    try {
      expect((await worker.getNextJob('other-worker'))?.id).toBe('held');
      expect(await removed(t.deps, handle!)).toBe(false);
      expect(await (await queue.getJob('held'))!.getState()).toBe('active');
    } finally {
      await worker.close();
    }
  });

  it('lets any other failure through (Redis away is the sweep\'s failure, not a job taken up)', async () => {
    const failing = { id: 'x', remove: () => Promise.reject(new Error('Connection is closed.')) };
    await expect(removed(t.deps, failing)).rejects.toThrow('Connection is closed.');
  });
});
