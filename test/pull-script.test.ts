import { randomUUID } from 'node:crypto';
import { Worker } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../src/log.js';
import { lockKey } from '../src/queues/bullmq-layout.js';
import { CallQueues } from '../src/queues/call-queues.js';
import { Queues, type CallJob } from '../src/queues/registry.js';
import { sharedConnectionBackend } from '../src/queues/shared-connection.js';
import { createRedis } from '../src/redis/connection.js';
import { TEST_REDIS_URL } from './helpers/env.js';

/**
 * The pull script runs BullMQ's own `moveToActive` inside one script with the ready index: the
 * job it hands out must be the one `Worker.getNextJob` hands out, written as BullMQ writes it,
 * and the index must say afterwards what a refresh would.
 */
const redis = createRedis(TEST_REDIS_URL, 'command');
const manual = createRedis(TEST_REDIS_URL, 'manual');
const prefix = `t-pull-${randomUUID().slice(0, 8)}`;
const LOCK_MS = 30_000;
let queues: Queues;
let calls: CallQueues;

beforeAll(() => {
  queues = new Queues(redis, prefix);
  calls = new CallQueues(queues, manual, LOCK_MS, createLogger('silent'));
});
afterAll(async () => {
  await calls.close();
  await queues.close();
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length) await redis.del(...keys);
  await redis.quit();
  await manual.quit();
});

const data = (caseId: string): CallJob => ({ caseId, listId: 'l-1', clientId: 'k-1', attemptNo: 1, slot: { start: '2026-12-01T08:00:00.000Z', end: null, window: null, kind: 'first' } });
const fresh = (name: string) => `calls-${name}-${randomUUID().slice(0, 8)}`;

/** Adds jobs as the product does and enters their queue in the index, due now. */
async function seed(queue: string, jobs: Array<{ id: string; priority?: number; delay?: number }>, readyAt = Date.now()) {
  for (const j of jobs) await queues.calls(queue).add('call', data(j.id), { jobId: j.id, priority: j.priority, delay: j.delay });
  await redis.zadd(`${prefix}:ready`, readyAt, queue);
}

/** A job's hash without the times that differ between two runs. */
async function stored(queue: string, jobId: string) {
  const { timestamp, processedOn, ...rest } = await redis.hgetall(`${prefix}:${queue}:${jobId}`);
  expect(Number(timestamp)).toBeGreaterThan(0);
  expect(Number(processedOn)).toBeGreaterThan(0);
  return rest;
}

async function layout(queue: string) {
  const events = await redis.xrange(`${prefix}:${queue}:events`, '-', '+');
  return {
    wait: await redis.lrange(`${prefix}:${queue}:wait`, 0, -1),
    active: await redis.lrange(`${prefix}:${queue}:active`, 0, -1),
    prioritized: await redis.zrange(`${prefix}:${queue}:prioritized`, '0', '-1'),
    events: events.map(([, fields]) => fields.filter((_, i) => fields[i - 1] !== 'delay')),
  };
}

const score = async (queue: string) => {
  const s = await redis.zscore(`${prefix}:ready`, queue);
  return s === null ? null : Number(s);
};

describe('the pull script', () => {
  it("hands out the job Worker.getNextJob hands out, locked with the caller's token, as BullMQ writes it", async () => {
    const viaBullmq = fresh('bullmq');
    const viaScript = fresh('script');
    const jobs = [{ id: 'plain-a1' }, { id: 'prio-a1', priority: 3 }, { id: 'prio2-a1', priority: 9 }];
    await seed(viaBullmq, jobs);
    await seed(viaScript, jobs);
    const worker = new Worker<CallJob>(viaBullmq, null, { connection: manual, prefix, lockDuration: LOCK_MS, autorun: false, skipStalledCheck: true, skipLockRenewal: true }, sharedConnectionBackend);
    try {
      for (let i = 0; i < jobs.length; i++) {
        const expected = await worker.getNextJob(`token-b${i}`, { block: false });
        const pulled = await calls.pull([viaScript], null, `token-s${i}`, Date.now());
        expect(pulled?.queue).toBe(viaScript);
        const job = pulled!.job;
        expect(job.id).toBe(expected!.id);
        expect(job.token).toBe(`token-s${i}`);
        expect(job.data).toEqual(expected!.data);
        expect(job.opts).toEqual(expected!.opts);
        expect(job.attemptsStarted).toBe(expected!.attemptsStarted);
        expect(await stored(viaScript, job.id!)).toEqual(await stored(viaBullmq, job.id!));
        expect(await redis.get(lockKey(prefix, viaScript, job.id!))).toBe(`token-s${i}`);
        expect(await redis.pttl(lockKey(prefix, viaScript, job.id!))).toBeGreaterThan(LOCK_MS - 5_000);
      }
      expect(await layout(viaScript)).toEqual(await layout(viaBullmq));
      // The job's own operations run through the queue's Worker: completing it removes it.
      const [last] = await redis.lrange(`${prefix}:${viaScript}:active`, 0, 0);
      const done = await calls.pull([viaScript], null, 'token-x', Date.now());
      expect(done).toBeNull();
      const handle = calls.heldJob(viaScript, last!);
      await handle.moveToCompleted(null, 'token-s2', false);
      expect(await redis.exists(`${prefix}:${viaScript}:${last!}`)).toBe(0);
    } finally {
      await worker.close();
    }
  });

  it('takes the eligible due queue waiting longest, `first` before it when that is due', async () => {
    const now = Date.now();
    const [a, b, c, later] = ['a', 'b', 'c', 'later'].map(fresh) as [string, string, string, string];
    await seed(a, [{ id: 'a-a1' }, { id: 'a2-a1' }], now - 1_000);
    await seed(b, [{ id: 'b-a1' }], now - 5_000);
    await seed(c, [{ id: 'c-a1' }], now - 9_000);
    await seed(later, [{ id: 'later-a1' }], now + 60_000);

    // c waits longest but is not the agent's; `later` is the agent's and first, but not due.
    const one = await calls.pull([a, b, later], later, 'token-1', now);
    expect(one?.queue).toBe(b);
    // `first` goes before the rest when due.
    const two = await calls.pull([a, b, c], a, 'token-2', now);
    expect(two?.queue).toBe(a);
    // Each queue handed out from went to the back, with the time of its pull.
    expect(await score(a)).toBe(now);
    expect(await score(b)).toBe(now);
    expect(await score(c)).toBe(now - 9_000);
    expect(await score(later)).toBe(now + 60_000);
  });

  it('looks at the preferred due queues first, in the order given, then the rest; `first` before all', async () => {
    const now = Date.now();
    const [common, fr, it_, notDue] = ['common', 'fr', 'it', 'notdue'].map(fresh) as [string, string, string, string];
    await seed(common, [{ id: 'co-a1' }, { id: 'co2-a1' }], now - 9_000);
    await seed(fr, [{ id: 'fr-a1' }, { id: 'fr2-a1' }], now - 5_000);
    await seed(it_, [{ id: 'it-a1' }], now - 1_000);
    await seed(notDue, [{ id: 'nd-a1' }], now + 60_000);
    const eligible = [common, fr, it_, notDue];
    // Italian is the scarcest: before French, which waited longer; a preferred queue not due is skipped.
    expect((await calls.pull(eligible, null, 'token-1', now, [notDue, it_, fr]))?.queue).toBe(it_);
    expect((await calls.pull(eligible, null, 'token-2', now, [notDue, it_, fr]))?.queue).toBe(fr);
    // `first` before the preferred.
    expect((await calls.pull(eligible, common, 'token-3', now, [fr]))?.queue).toBe(common);
  });

  it('refreshes the due queues it finds empty on the way and keeps the one handed out due', async () => {
    const now = Date.now();
    const [empty, delayedOnly, last] = ['empty', 'delayed', 'last'].map(fresh) as [string, string, string];
    await redis.zadd(`${prefix}:ready`, now - 3_000, empty);
    await seed(delayedOnly, [{ id: 'd-a1', delay: 3_600_000 }], now - 2_000);
    await seed(last, [{ id: 'last-a1' }], now - 1_000);

    const pulled = await calls.pull([empty, delayedOnly, last], null, 'token-1', now);
    expect(pulled?.job.id).toBe('last-a1');
    expect(await score(empty)).toBeNull();
    expect(await score(delayedOnly)).toBeGreaterThanOrEqual(now + 3_600_000 - 5_000);
    // Its only job is out, but one not handed out would come back to it: due until a pull finds it empty.
    expect(await score(last)).toBe(now);

    expect(await calls.pull([empty, delayedOnly, last], null, 'token-2', now + 1)).toBeNull();
    expect(await score(last)).toBeNull();
  });

  it('hands out nothing from a queue that is not due, and leaves its entry alone', async () => {
    const now = Date.now();
    const q = fresh('future');
    await seed(q, [{ id: 'f-a1' }], now + 10_000);
    expect(await calls.pull([q], q, 'token-1', now)).toBeNull();
    expect(await score(q)).toBe(now + 10_000);
    expect(await queues.calls(q).getWaitingCount()).toBe(1);
  });
});
