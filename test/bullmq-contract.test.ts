import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Queue, Worker } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedis } from '../src/redis/connection.js';
import { ACTIVE, delayedDueMs, jobKey, jobSetKeys, lockKey } from '../src/queues/bullmq-layout.js';
import { sharedConnectionBackend } from '../src/queues/shared-connection.js';
import { TEST_REDIS_URL } from './helpers/env.js';

/**
 * What the ready index, reconcile and the lock watch read of BullMQ's Redis layout (`src/queues/bullmq-layout.ts`),
 * checked against the installed BullMQ: an upgrade that changes it fails here, not in production.
 */
const redis = createRedis(TEST_REDIS_URL, 'command');
const prefix = `t-contract-${randomUUID().slice(0, 8)}`;
const name = 'calls-contract';
let queue: Queue;

beforeAll(() => {
  queue = new Queue(name, { connection: redis, prefix });
});
afterAll(async () => {
  await queue.obliterate({ force: true });
  await queue.close();
  await redis.quit();
});

describe('BullMQ layout', () => {
  it('is the pinned version', () => {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { dependencies: Record<string, string> };
    const installed = JSON.parse(readFileSync(new URL('../node_modules/bullmq/package.json', import.meta.url), 'utf8')) as { version: string };
    expect(pkg.dependencies.bullmq).toMatch(/^\d+\.\d+\.\d+$/);
    expect(installed.version).toBe(pkg.dependencies.bullmq);
  });

  it('keeps a job under its key, waiting ones in a list, prioritized and delayed ones in sorted sets', async () => {
    const keys = jobSetKeys(prefix, name);
    const plain = await queue.add('call', {}, { jobId: 'plain-a1' });
    const prioritized = await queue.add('call', {}, { jobId: 'prio-a1', priority: 7 });
    const before = Date.now();
    const delayed = await queue.add('call', {}, { jobId: 'later-a1', delay: 60_000 });
    const after = Date.now();

    for (const job of [plain, prioritized, delayed]) expect(await redis.exists(jobKey(prefix, name, job.id!))).toBe(1);
    expect(await redis.lrange(keys.wait, 0, -1)).toEqual(['plain-a1']);
    expect(await redis.zrange(keys.prioritized, '0', '-1')).toEqual(['prio-a1']);
    const [id, score] = await redis.zrange(keys.delayed, '0', '-1', 'WITHSCORES');
    expect(id).toBe('later-a1');
    expect(delayedDueMs(Number(score))).toBeGreaterThanOrEqual(before + 60_000);
    expect(delayedDueMs(Number(score))).toBeLessThanOrEqual(after + 60_000);

    await delayed.remove();
    expect(await redis.exists(jobKey(prefix, name, 'later-a1'))).toBe(0);
    expect(await redis.zcard(keys.delayed)).toBe(0);
  });

  it('keeps handed-out jobs in a list, each locked under <jobKey>:lock with the holder\'s token until it expires', async () => {
    const held = `${name}-held`;
    const heldQueue = new Queue(held, { connection: redis, prefix });
    const manual = createRedis(TEST_REDIS_URL, 'manual');
    const worker = new Worker(held, null, { connection: manual, prefix, lockDuration: 1_000, autorun: false, skipStalledCheck: true, skipLockRenewal: true }, sharedConnectionBackend);
    try {
      await heldQueue.add('call', {}, { jobId: 'held-a1' });
      const job = await worker.getNextJob('token-1', { block: false });
      expect(job?.id).toBe('held-a1');
      expect(await redis.lrange(`${prefix}:${held}:${ACTIVE}`, 0, -1)).toEqual(['held-a1']);
      expect(await redis.get(lockKey(prefix, held, 'held-a1'))).toBe('token-1');
      expect(await redis.pttl(lockKey(prefix, held, 'held-a1'))).toBeGreaterThan(0);
      // Another token that takes the lost lock can move the job on (what the lock watch does).
      await redis.del(lockKey(prefix, held, 'held-a1'));
      await redis.set(lockKey(prefix, held, 'held-a1'), 'token-2', 'PX', 5_000, 'NX');
      await job!.moveToWait('token-2');
      expect(await redis.lrange(`${prefix}:${held}:${ACTIVE}`, 0, -1)).toEqual([]);
      expect(await redis.exists(lockKey(prefix, held, 'held-a1'))).toBe(0);
      expect(await redis.lrange(`${prefix}:${held}:wait`, 0, -1)).toEqual(['held-a1']);
    } finally {
      await worker.close();
      await manual.quit();
      await heldQueue.obliterate({ force: true });
      await heldQueue.close();
    }
  });
});
