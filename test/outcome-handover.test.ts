import { randomUUID } from 'node:crypto';
import { Worker } from 'bullmq';
import { afterAll, describe, expect, it } from 'vitest';
import { lockKey } from '../src/queues/bullmq-layout.js';
import { handOverOutcome } from '../src/queues/outcome-handover.js';
import { callJobId, defaultJobOptions, Queues, type CallJob, type OutcomeJob } from '../src/queues/registry.js';
import { sharedConnectionBackend } from '../src/queues/shared-connection.js';
import { createRedis } from '../src/redis/connection.js';
import { TEST_REDIS_URL } from './helpers/env.js';

/**
 * The hand-over runs BullMQ's own add and complete scripts in one call: what it leaves must be
 * what `Queue.add` of the outcome and `Job.moveToCompleted` of the call job leave, key by key.
 */
const redis = createRedis(TEST_REDIS_URL, 'command');
const manual = createRedis(TEST_REDIS_URL, 'manual');
const LOCK_MS = 30_000;
const prefixes: string[] = [];
const opened: Array<{ close: () => Promise<unknown> }> = [];

afterAll(async () => {
  for (const o of opened) await o.close();
  for (const prefix of prefixes) {
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length) await redis.del(...keys);
  }
  await redis.quit();
  await manual.quit();
});

const callData = (caseId: string): CallJob => ({ caseId, listId: 'l-1', clientId: 'k-1', attemptNo: 1, slot: { start: '2026-12-01T08:00:00.000Z', end: null, window: null, kind: 'first' } });
const outcomeOf = (caseId: string): OutcomeJob => ({ assignmentId: 'a-1', caseId, attemptNo: 1, agentId: 'u-1', recordedAt: '2026-12-01T09:00:00.000Z', body: { outcome: 'not_reached', note: 'Mailbox' } });

/** A prefix of its own with one call job handed out under `token`. */
async function setup(token: string) {
  const prefix = `t-handover-${randomUUID().slice(0, 8)}`;
  prefixes.push(prefix);
  const queues = new Queues(redis, prefix);
  const queue = 'calls-k-1';
  await queues.calls(queue).add('call', callData('c-1'), { jobId: callJobId('c-1', 1), priority: 5 });
  const worker = new Worker<CallJob>(queue, null, { connection: manual, prefix, lockDuration: LOCK_MS, autorun: false, skipStalledCheck: true, skipLockRenewal: true }, sharedConnectionBackend);
  opened.push(worker, queues);
  const job = await worker.getNextJob(token, { block: false });
  expect(job?.id).toBe(callJobId('c-1', 1));
  return { prefix, queues, queue, worker, job: job! };
}

/** Every key of a prefix with its content, times taken out (they differ between two runs). */
async function snapshot(prefix: string) {
  const out: Record<string, unknown> = {};
  for (const key of (await redis.keys(`${prefix}:*`)).sort()) {
    const name = key.slice(prefix.length + 1);
    const type = await redis.type(key);
    if (type === 'hash') {
      const { timestamp, processedOn, finishedOn, ...rest } = await redis.hgetall(key);
      out[name] = { ...rest, times: [timestamp, processedOn, finishedOn].map((t) => t !== undefined) };
    } else if (type === 'list') out[name] = await redis.lrange(key, 0, -1);
    else if (type === 'zset') out[name] = await redis.zrange(key, '0', '-1');
    else if (type === 'stream') out[name] = (await redis.xrange(key, '-', '+')).map(([, fields]) => fields);
    else if (type === 'string') out[name] = await redis.get(key);
    else out[name] = type;
  }
  return out;
}

describe('handing an outcome over', () => {
  it('adds the outcome job and completes the call job as Queue.add and Job.moveToCompleted do', async () => {
    const viaBullmq = await setup('token-1');
    const viaScript = await setup('token-1');

    await viaBullmq.queues.get('outcomes').add('outcome', outcomeOf('c-1'), { jobId: callJobId('c-1', 1) });
    await viaBullmq.job.moveToCompleted(null, 'token-1', false);
    const code = await handOverOutcome(viaScript.queues, outcomeOf('c-1'), { queue: viaScript.queue, jobId: callJobId('c-1', 1), token: 'token-1' }, LOCK_MS);

    expect(code).toBe(0);
    const after = await snapshot(viaScript.prefix);
    expect(Object.keys(after)).toEqual(expect.arrayContaining(['outcomes:wait', 'outcomes:events', 'calls-k-1:events', `outcomes:${callJobId('c-1', 1)}`]));
    expect(after).toEqual(await snapshot(viaBullmq.prefix));
    // The call job is gone (removed on completion), its lock released; the outcome waits.
    expect(await redis.exists(`${viaScript.prefix}:${viaScript.queue}:${callJobId('c-1', 1)}`)).toBe(0);
    expect(await redis.exists(lockKey(viaScript.prefix, viaScript.queue, callJobId('c-1', 1)))).toBe(0);
    const outcome = await viaScript.queues.get('outcomes').getJob(callJobId('c-1', 1));
    expect(outcome?.data).toEqual(outcomeOf('c-1'));
    expect(outcome?.opts.attempts).toBe(defaultJobOptions.outcomes!.attempts);
  });

  it('adds the outcome job also when the call job is no longer the agent\'s, and says so', async () => {
    const { prefix, queues, queue } = await setup('token-1');
    const code = await handOverOutcome(queues, outcomeOf('c-1'), { queue, jobId: callJobId('c-1', 1), token: 'token-other' }, LOCK_MS);
    expect(code).toBeLessThan(0);
    expect(await queues.get('outcomes').getWaitingCount()).toBe(1);
    expect(await redis.get(lockKey(prefix, queue, callJobId('c-1', 1)))).toBe('token-1');
  });

  it('adds an outcome posted twice once', async () => {
    const { queues, queue } = await setup('token-1');
    const held = { queue, jobId: callJobId('c-1', 1), token: 'token-1' };
    expect(await handOverOutcome(queues, outcomeOf('c-1'), held, LOCK_MS)).toBe(0);
    expect(await handOverOutcome(queues, { ...outcomeOf('c-1'), body: { outcome: 'paid' } }, held, LOCK_MS)).toBeLessThan(0);
    const outcomes = queues.get('outcomes');
    expect(await outcomes.getWaitingCount()).toBe(1);
    expect((await outcomes.getJob(callJobId('c-1', 1)))?.data.body).toEqual({ outcome: 'not_reached', note: 'Mailbox' });
  });
});
