import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Job, Queue, type JobsOptions } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bulkAdd } from '../src/queues/bulk-add.js';
import { createRedis } from '../src/redis/connection.js';
import { TEST_REDIS_URL } from './helpers/env.js';

/**
 * `bulkAdd` runs BullMQ's own add scripts, many jobs per call, from arguments it encodes as
 * BullMQ does: what it writes must be what `Queue.addBulk` writes, key by key.
 */
const redis = createRedis(TEST_REDIS_URL, 'command');
const prefix = `t-bulk-${randomUUID().slice(0, 8)}`;
const defaults: JobsOptions = { removeOnComplete: true, removeOnFail: true, attempts: 1 };
let viaBullmq: Queue;
let viaBulk: Queue;

beforeAll(() => {
  viaBullmq = new Queue('calls-bullmq', { connection: redis, prefix, defaultJobOptions: defaults });
  viaBulk = new Queue('calls-bulk', { connection: redis, prefix, defaultJobOptions: defaults });
});
afterAll(async () => {
  for (const q of [viaBullmq, viaBulk]) {
    await q.obliterate({ force: true });
    await q.close();
  }
  await redis.quit();
});

const data = { caseId: 'c-1', listId: 'l-1', clientId: 'k-1', attemptNo: 1, slot: { start: '2026-12-01T08:00:00.000Z', end: null, window: null, kind: 'first' } };
const kinds: Array<{ jobId: string; opts: JobsOptions }> = [
  { jobId: 'plain-a1', opts: {} },
  { jobId: 'prio-a1', opts: { priority: 7 } },
  { jobId: 'later-a1', opts: { priority: 7, delay: 60_000 } },
  { jobId: 'retried-a1', opts: { priority: 2, attempts: 3, backoff: 1000 } },
  // A default the job unsets, and one it overrides: encoded from the queue's defaults, then the job's own.
  { jobId: 'unset-a1', opts: { removeOnFail: undefined, removeOnComplete: { count: 5 } } },
];

/** A job's hash without the time it was added, which differs between the two adds. */
async function stored(queue: Queue, jobId: string) {
  const { timestamp, ...rest } = await redis.hgetall(queue.toKey(jobId));
  expect(Number(timestamp)).toBeGreaterThan(0);
  return rest;
}

/** What each queue's sets and event stream say, with the queue's own name taken out. */
async function layout(queue: Queue) {
  const events = await redis.xrange(queue.toKey('events'), '-', '+');
  return {
    wait: await redis.lrange(queue.toKey('wait'), '0', '-1'),
    prioritized: await redis.zrange(queue.toKey('prioritized'), '0', '-1', 'WITHSCORES'),
    delayed: await redis.zrange(queue.toKey('delayed'), '0', '-1'),
    marker: (await redis.zrange(queue.toKey('marker'), '0', '-1')).length,
    events: events.map(([, fields]) => fields.filter((_, i) => fields[i - 1] !== 'delay')),
  };
}

describe('bulkAdd', () => {
  it('writes each kind of job (waiting, prioritized, delayed, with a backoff, with defaults unset or overridden) as Queue.addBulk does', async () => {
    await viaBullmq.addBulk(kinds.map(({ jobId, opts }) => ({ name: 'call', data, opts: { ...opts, jobId } })));
    const ids = await bulkAdd(viaBulk, redis, kinds.map(({ jobId, opts }) => ({ name: 'call', data, opts: { ...opts, jobId } })));

    expect(ids).toEqual(kinds.map((k) => k.jobId));
    for (const { jobId } of kinds) expect(await stored(viaBulk, jobId)).toEqual(await stored(viaBullmq, jobId));
    expect(await layout(viaBulk)).toEqual(await layout(viaBullmq));
    const read = await Job.fromId(viaBulk, 'later-a1');
    expect(read?.data).toEqual(data);
    expect(read?.opts).toEqual((await Job.fromId(viaBullmq, 'later-a1'))?.opts);
    expect(await viaBulk.getJobState('later-a1')).toBe('delayed');
  });

  it('leaves a job whose id exists as it is, as BullMQ does for a custom id', async () => {
    const queue = new Queue(`calls-again-${randomUUID().slice(0, 8)}`, { connection: redis, prefix, defaultJobOptions: defaults });
    try {
      await bulkAdd(queue, redis, [{ name: 'call', data: { n: 1 }, opts: { jobId: 'same-a1', priority: 3 } }]);
      const ids = await bulkAdd(queue, redis, [{ name: 'call', data: { n: 2 }, opts: { jobId: 'same-a1', priority: 9 } }]);
      expect(ids).toEqual(['same-a1']);
      expect((await Job.fromId(queue, 'same-a1'))?.data).toEqual({ n: 1 });
      expect(await redis.zcard(queue.toKey('prioritized'))).toBe(1);
    } finally {
      await queue.obliterate({ force: true });
      await queue.close();
    }
  });

  it('adds more jobs than one script call takes, every one once, ids in the order given', async () => {
    const queue = new Queue(`calls-many-${randomUUID().slice(0, 8)}`, { connection: redis, prefix, defaultJobOptions: defaults });
    try {
      const jobs = Array.from({ length: 1_234 }, (_, i) => ({ name: 'call', data: { i }, opts: { jobId: `many-${i}-a1`, priority: 1 + (i % 50), delay: i % 2 ? 30_000 : 0 } }));
      const ids = await bulkAdd(queue, redis, jobs);
      expect(ids).toEqual(jobs.map((j) => j.opts.jobId));
      const counts = await queue.getJobCounts('prioritized', 'delayed');
      expect(counts).toEqual({ prioritized: 617, delayed: 617 });
    } finally {
      await queue.obliterate({ force: true });
      await queue.close();
    }
  });

  it('sets the ready entry it is given in the same call, never to a later time than it has', async () => {
    const queue = new Queue(`calls-ready-${randomUUID().slice(0, 8)}`, { connection: redis, prefix, defaultJobOptions: defaults });
    const key = `${prefix}:ready`;
    try {
      const entry = (at: number) => ({ key, member: queue.name, at });
      await bulkAdd(queue, redis, [{ name: 'call', data: {}, opts: { jobId: 'r1-a1', delay: 60_000 } }], entry(5_000));
      expect(await redis.zscore(key, queue.name)).toBe('5000');
      await bulkAdd(queue, redis, [{ name: 'call', data: {}, opts: { jobId: 'r2-a1' } }], entry(9_000));
      expect(await redis.zscore(key, queue.name)).toBe('5000');
      await bulkAdd(queue, redis, [{ name: 'call', data: {}, opts: { jobId: 'r3-a1' } }], entry(1_000));
      expect(await redis.zscore(key, queue.name)).toBe('1000');
      expect(await queue.getJobCounts('waiting', 'delayed')).toEqual({ waiting: 2, delayed: 1 });
    } finally {
      await redis.del(key);
      await queue.obliterate({ force: true });
      await queue.close();
    }
  });

  it('encodes with the msgpackr version BullMQ itself uses', () => {
    const read = (path: string) => JSON.parse(readFileSync(new URL(path, import.meta.url), 'utf8')) as { dependencies: Record<string, string> };
    expect(read('../package.json').dependencies.msgpackr).toBe(read('../node_modules/bullmq/package.json').dependencies.msgpackr);
  });
});
