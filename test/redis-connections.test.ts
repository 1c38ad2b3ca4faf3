import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../src/clock.js';
import { createRedis } from '../src/redis/connection.js';
import { startCallLockWatch } from '../workers/call-locks.js';
import { createTestContext, type TestContext } from './helpers/context.js';
import { eventually } from './helpers/eventually.js';

let t: TestContext;
beforeAll(async () => {
  t = await createTestContext({ LOCK_SECONDS: '2' }, { clock: systemClock });
});
afterAll(() => t.close());

/** Connections BullMQ opened for this file's prefix: it names each dedicated one `<prefix>:…`. */
async function dedicatedConnections(): Promise<number> {
  const list = (await t.redis.client('LIST')) as string;
  return list.split('\n').filter((line) => line.includes(` name=${t.prefix}:`)).length;
}

describe('Redis connections', () => {
  it('stay the same however many call queues the API pulls from and the lock watch checks', async () => {
    const queues = Array.from({ length: 30 }, (_, i) => `calls-${randomUUID().slice(0, 8)}-${i}`);
    const watchConnection = createRedis(t.config.redisUrl, 'worker');
    const watch = startCallLockWatch(t.runtime, watchConnection);
    try {
      const now = new Date();
      for (const [i, queue] of queues.entries()) {
        const data = { caseId: randomUUID(), listId: randomUUID(), clientId: randomUUID(), attemptNo: 1, slot: { start: now.toISOString(), end: null, window: null, kind: 'first' as const } };
        await t.calls.schedule(queue, data, now, { priority: 2 + i, now });
        const job = await t.calls.worker(queue).getNextJob(randomUUID(), { block: false });
        expect(job?.data.caseId).toBe(data.caseId);
      }
      // Nobody renews the 2 s locks: each queue's watcher puts its job back, so every queue was watched.
      await eventually(async () => {
        const states = await Promise.all(queues.map((q) => t.queues.calls(q).getJobCounts('waiting', 'prioritized', 'active')));
        return states.every((s) => s.active === 0 && (s.waiting ?? 0) + (s.prioritized ?? 0) === 1);
      }, 30_000, 'every held job back in its queue');
      expect(await dedicatedConnections()).toBe(0);
    } finally {
      await watch.close();
      await watchConnection.quit();
    }
  });
});
