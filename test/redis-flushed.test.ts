import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../src/clock.js';
import { createTestContext, type TestContext } from './helpers/context.js';
import { createClient, fastRules, next } from './helpers/dispatch.js';
import { eventually } from './helpers/eventually.js';
import { seedList } from './helpers/seed.js';

let t: TestContext;
let admin: string;

beforeAll(async () => {
  // LOCK_SECONDS 2: the workers look for their schedules every 2 s (30 s in production).
  t = await createTestContext({ LOCK_SECONDS: '2' }, { clock: systemClock });
  admin = (await t.userSession('admin')).cookie;
  await t.runWorkers();
});
afterAll(() => t?.close());

describe('Redis flushed while everything runs', () => {
  it('is noticed by the workers without a reconnect: schedules rebuilt, every open case back in its queue', async () => {
    const clientId = await createClient(t, admin, fastRules);
    const { cases: seeded } = await seedList(t, clientId, 3);
    const maintenance = t.queues.get('maintenance');
    await eventually(async () => (await maintenance.getJobScheduler('recover')) !== undefined, 10_000, 'the schedules set up at start');

    // FLUSHALL for this test's keys only (other files share the Redis); no connection drops.
    const keys = await t.keys(`${t.prefix}:*`);
    await t.redis.del(...keys);
    expect(await maintenance.getJobScheduler('recover')).toBeUndefined();

    await eventually(async () => (await maintenance.getJobScheduler('recover')) !== undefined, 15_000, 'the schedules rebuilt');
    const { cookie } = await t.userSession('agent', [clientId]);
    // Reconcile (queued with the rebuild) restores the call jobs from PostgreSQL.
    const handedOut = await eventually(async () => (await next(t, cookie)).assignment ? true : null, 20_000, 'a case handed out again');
    expect(handedOut).toBe(true);
    expect(seeded).toHaveLength(3);
  }, 45_000);
});
