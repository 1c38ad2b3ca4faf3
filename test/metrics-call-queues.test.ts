import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { systemClock } from '../src/clock.js';
import { caseQueue } from '../src/dispatch/case-state.js';
import { createTestContext, type TestContext } from './helpers/context.js';
import { createClient, fastRules, next, setTime, useFakeDate } from './helpers/dispatch.js';
import { seedList } from './helpers/seed.js';

/**
 * `mahn_call_queue_unserved_seconds` says what its help text says: for a queue with jobs due,
 * how long no pull has taken one of them (BullMQ's Date and the app's clock move together).
 */
const METRICS_TOKEN = 'scrape-token-queues-0123456789';
const START = Date.parse('2026-11-25T10:00:00+01:00');
let t: TestContext;
let admin: string;

beforeAll(async () => {
  useFakeDate(new Date(START).toISOString());
  t = await createTestContext({ METRICS_TOKEN, LOCK_SECONDS: '600' }, { clock: systemClock });
  admin = (await t.userSession('admin')).cookie;
});
afterAll(async () => {
  await t.close();
  vi.useRealTimers();
});

const scrape = async () => (await t.request('GET', '/metrics', { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).body as string;
const value = (text: string, series: string) => {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
};

describe('mahn_call_queue_unserved_seconds', () => {
  it('grows while nobody pulls from a queue with jobs due, and starts again at the pull that takes one', async () => {
    const clientId = await createClient(t, admin, fastRules);
    const { cases: seeded } = await seedList(t, clientId, 3);
    // The fake clock runs on with real time: the queue became ready just before this.
    const seededAt = Date.now();
    const queue = caseQueue(seeded[0]!);
    const unserved = `mahn_call_queue_unserved_seconds{queue="${queue}"}`;
    const waiting = `mahn_call_queue_jobs{queue="${queue}",state="waiting"}`;

    const first = await scrape();
    expect(value(first, unserved)).toBeLessThanOrEqual(2);
    expect(first).not.toContain('mahn_call_queue_oldest_due_seconds');

    // Two hours and no agent: the queue has gone unserved that long.
    setTime(seededAt + 2 * 3600_000);
    const idle = await scrape();
    expect(value(idle, waiting)).toBe(3);
    expect(value(idle, unserved)).toBeGreaterThanOrEqual(7200);
    expect(value(idle, unserved)).toBeLessThan(7210);

    // A pull takes one: counted from that pull, while two jobs still wait.
    const agent = (await t.userSession('agent', [clientId])).cookie;
    expect((await next(t, agent)).assignment).toBeTruthy();
    setTime(Date.now() + 60_000);
    const served = await scrape();
    expect(value(served, waiting)).toBe(2);
    expect(value(served, unserved)).toBeGreaterThanOrEqual(55);
    expect(value(served, unserved)).toBeLessThan(70);
  });
});
