import { Writable } from 'node:stream';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../src/clock.js';
import { createLogger } from '../src/log.js';
import { createTestContext, type TestContext } from './helpers/context.js';
import { eventually } from './helpers/eventually.js';

/** A maintenance task that fails shows in `/metrics` beside its last success, from any process. */
const METRICS_TOKEN = 'scrape-token-maintenance-0123456789';
let t: TestContext;
let logged = '';
const sink = new Writable({ write: (chunk: Buffer, _e, cb) => void ((logged += chunk.toString()), cb()) });

beforeAll(async () => {
  t = await createTestContext({ METRICS_TOKEN }, { clock: systemClock, log: createLogger('info', 'test', sink) });
});
afterAll(() => t.close());

const scrape = async () => (await t.request('GET', '/metrics', { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).body as string;
const stamp = async (series: string, task: string) => {
  const line = (await scrape()).split('\n').find((l) => l.startsWith(`${series}{task="${task}"} `));
  return line === undefined ? undefined : Number(line.split(' ')[1]);
};
const lastSuccess = (task: string) => stamp('mahn_maintenance_last_success_timestamp_seconds', task);
const lastFailure = (task: string) => stamp('mahn_maintenance_last_failure_timestamp_seconds', task);
const runNow = (task: 'reach-rates', id: string) => t.queues.get('maintenance').add(task, { task }, { jobId: id });

describe('maintenance runs in /metrics', () => {
  it('gives each task its last success and its last failure, and a failure does not hide a later success', async () => {
    const started = Date.now() / 1000;
    expect(await lastSuccess('reconcile')).toBeUndefined();
    await t.runWorkers();
    // The runs at start.
    await eventually(async () => (await lastSuccess('reconcile')) !== undefined && (await lastSuccess('reach-rates')) !== undefined, 15_000, 'the runs at start recorded');
    expect(await lastSuccess('reconcile')).toBeGreaterThanOrEqual(Math.floor(started));
    expect(await lastFailure('reach-rates')).toBeUndefined();

    // The rates' table away: the task fails, and says so.
    await t.db.execute(sql`ALTER TABLE reach_rates RENAME TO reach_rates_away`);
    const beforeFailure = Date.now() / 1000;
    await runNow('reach-rates', 'fails');
    await eventually(async () => (await lastFailure('reach-rates')) !== undefined, 15_000, 'the failure recorded');
    const failedAt = (await lastFailure('reach-rates'))!;
    expect(failedAt).toBeGreaterThanOrEqual(Math.floor(beforeFailure));
    expect(await lastSuccess('reach-rates')).toBeLessThan(failedAt);
    // Said in the log by task, and kept in Redis without the failed query's text.
    await eventually(async () => logged.includes('"msg":"maintenance task failed"'), 5_000, 'the failure logged');
    expect(logged.split('\n').find((l) => l.includes('maintenance task failed'))).toContain('"task":"reach-rates"');
    const failed = await eventually(async () => (await t.queues.get('maintenance').getJob('fails'))?.failedReason, 10_000, 'the job failed');
    expect(failed).not.toMatch(/select|insert|params/i);

    // Back: the next run succeeds and is newer than the failure, which stays as it was.
    await t.db.execute(sql`ALTER TABLE reach_rates_away RENAME TO reach_rates`);
    await runNow('reach-rates', 'succeeds');
    await eventually(async () => ((await lastSuccess('reach-rates')) ?? 0) >= failedAt, 15_000, 'the success after the failure');
    expect(await lastFailure('reach-rates')).toBe(failedAt);
  });
});
