import { and, eq, isNull } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../src/clock.js';
import { assignments, attempts, cases, dunningLists } from '../src/db/schema.js';
import { createTestContext, type TestContext } from './helpers/context.js';
import { attemptsRecorded, createClient, fastRules, next, postOutcome, setTime, useFakeDate } from './helpers/dispatch.js';
import { seedList } from './helpers/seed.js';

let t: TestContext;
let admin: string;

beforeAll(async () => {
  useFakeDate('2026-11-25T10:00:00+01:00'); // a Wednesday
  t = await createTestContext({ LOCK_SECONDS: '30' }, { clock: systemClock });
  admin = (await t.userSession('admin')).cookie;
  await t.runWorkers();
});
afterAll(() => t.close());

describe('next call', () => {
  it('hands out one case, locked, and the same one again while it is held', async () => {
    const clientId = await createClient(t, admin, fastRules);
    const { cases: seeded } = await seedList(t, clientId, [{ amountCents: 5_000 }, { amountCents: 250_000 }, { amountCents: 90_000 }]);
    const { cookie } = await t.userSession('agent', [clientId]);
    const first = await next(t, cookie);
    expect(first.assignment.id).toBeTypeOf('string');
    expect(first.case).toMatchObject({ clientId, attemptNo: 1, maxAttempts: 3, currency: 'EUR' });
    expect(first.case.ctiLink).toBe(`tel:${encodeURIComponent(first.case.phoneE164)}`);
    expect(first.history).toEqual([]);
    // Highest amount first (priority), and pressing again gives the same case.
    expect(first.case.id).toBe(seeded[1]!.id);
    const again = await next(t, cookie);
    expect(again.assignment.id).toBe(first.assignment.id);
  });

  it('answers with the reasons when nothing is callable', async () => {
    const clientId = await createClient(t, admin, { ...fastRules, retryDelaySeconds: 3600 });
    const { cases: seeded } = await seedList(t, clientId, 2);
    const { cookie } = await t.userSession('agent', [clientId]);
    for (const _ of seeded) {
      const a = await next(t, cookie);
      expect((await postOutcome(t, cookie, a.assignment.id, { outcome: 'not_reached' })).status).toBe(202);
      await attemptsRecorded(t, a.case.id, 1);
    }
    const empty = await next(t, cookie);
    expect(empty.assignment).toBeNull();
    expect(empty.waiting).toMatchObject({ retryDelay: 2, callbackWindow: 0, language: 0 });
    const wait = Date.parse(empty.nextDueAt) - Date.now();
    expect(wait).toBeGreaterThan(3_500_000);
    expect(wait).toBeLessThanOrEqual(3_600_000);
  });
});
