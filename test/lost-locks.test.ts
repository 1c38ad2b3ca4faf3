import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../src/clock.js';
import { lockKey } from '../src/queues/bullmq-layout.js';
import { LostLocks } from '../src/queues/lost-locks.js';
import { createTestContext, type TestContext } from './helpers/context.js';

/** The lock watch's Redis side (`src/queues/lost-locks.ts`) on its own. */
let t: TestContext;
let lost: LostLocks;
beforeAll(async () => {
  t = await createTestContext({}, { clock: systemClock });
  lost = new LostLocks(t.redis, t.prefix);
});
afterAll(() => t.close());

async function handOut(queue: string, token: string): Promise<string> {
  const now = new Date();
  const data = { caseId: randomUUID(), listId: randomUUID(), clientId: randomUUID(), attemptNo: 1, slot: { start: now.toISOString(), end: null, window: null, kind: 'first' as const } };
  await t.calls.schedule(queue, data, now, { priority: 2, now });
  const job = await t.calls.worker(queue).getNextJob(token, { block: false });
  return job!.id!;
}

describe('lost locks', () => {
  it('are the handed-out jobs without a lock, over every queue named, in one script', async () => {
    const [a, b, c] = ['a', 'b', 'c'].map((x) => `calls-${x}-${randomUUID().slice(0, 8)}`) as [string, string, string];
    const heldA = await handOut(a, 'token-a');
    const lostB = await handOut(b, 'token-b');
    await t.redis.del(lockKey(t.prefix, b, lostB));
    expect(await lost.find([a, b, c])).toEqual([{ queue: b, jobId: lostB }]);
    expect(heldA).toBeTypeOf('string');
  });

  it('are taken over only while nobody holds them, and a failed move gives the lock back', async () => {
    const queue = `calls-d-${randomUUID().slice(0, 8)}`;
    const jobId = await handOut(queue, 'token-d');
    let moved = 0;
    // Still held: no take-over, nothing moved.
    expect(await lost.takeOver({ queue, jobId }, async () => void moved++)).toBe(false);
    expect(moved).toBe(0);
    expect(await t.redis.get(lockKey(t.prefix, queue, jobId))).toBe('token-d');

    await t.redis.del(lockKey(t.prefix, queue, jobId));
    expect(await lost.takeOver({ queue, jobId }, () => Promise.reject(new Error('left the active list')))).toBe(false);
    expect(await t.redis.exists(lockKey(t.prefix, queue, jobId))).toBe(0);
    expect(
      await lost.takeOver({ queue, jobId }, async (token) => {
        expect(await t.redis.get(lockKey(t.prefix, queue, jobId))).toBe(token);
        moved++;
      }),
    ).toBe(true);
    expect(moved).toBe(1);
  });
});
