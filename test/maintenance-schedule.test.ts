import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../src/clock.js';
import { createTestContext, type TestContext } from './helpers/context.js';
import { eventually } from './helpers/eventually.js';

let t: TestContext;
beforeAll(async () => {
  t = await createTestContext({}, { clock: systemClock });
});
afterAll(() => t.close());

describe('maintenance schedule', () => {
  it('runs reconcile and the reach rates once at start, and their schedules first one interval later', async () => {
    const started = Date.now();
    await t.runWorkers();
    const queue = t.queues.get('maintenance');
    const next = async (id: string) => (await queue.getJobScheduler(id))?.next ?? 0;
    await eventually(async () => (await next('reconcile')) > 0 && (await next('reach-rates')) > 0, 10_000, 'the schedulers');
    expect(await next('reconcile')).toBeGreaterThanOrEqual(started + 5 * 60_000);
    expect(await next('reach-rates')).toBeGreaterThanOrEqual(started + 60 * 60_000);
    // Recover has no run of its own at start: its schedule starts at once (its next run within a minute).
    expect(await next('recover')).toBeLessThanOrEqual(Date.now() + 60_000);
  });
});
