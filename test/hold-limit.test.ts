import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../src/clock.js';
import { assignments } from '../src/db/schema.js';
import { createTestContext, type TestContext } from './helpers/context.js';
import { attemptsRecorded, createClient, fastRules, next, postOutcome, setTime, useFakeDate } from './helpers/dispatch.js';
import { seedList } from './helpers/seed.js';

let t: TestContext;
let admin: string;
beforeAll(async () => {
  useFakeDate('2026-11-25T10:00:00+01:00');
  t = await createTestContext({ LOCK_SECONDS: '600', HOLD_MAX_MINUTES: '1' }, { clock: systemClock });
  admin = (await t.userSession('admin')).cookie;
  await t.runWorkers();
});
afterAll(() => t?.close());

describe('HOLD_MAX_MINUTES', () => {
  it('stops extending a case held that long (a tab left open overnight); its outcome is still taken while the lock lasts', async () => {
    const clientId = await createClient(t, admin, fastRules);
    const { cases: [only] } = await seedList(t, clientId, 1);
    const { cookie } = await t.userSession('agent', [clientId]);
    const held = await next(t, cookie);
    const beat = () => t.request('POST', `/api/agent/assignments/${held.assignment.id}/heartbeat`, { cookie });
    expect((await beat()).status).toBe(200);
    const expiresAt = (await t.db.select().from(assignments).where(eq(assignments.id, held.assignment.id)))[0]!.expiresAt;

    const start = Date.now();
    setTime(start + 61_000);
    try {
      const refused = await beat();
      expect([refused.status, refused.body.error.code, refused.body.error.details]).toEqual([409, 'hold_limit', { expiresAt: expiresAt.toISOString(), holdMaxMinutes: 1 }]);
      // Not extended: the lock runs out at the time it had.
      expect((await t.db.select().from(assignments).where(eq(assignments.id, held.assignment.id)))[0]!.expiresAt).toEqual(expiresAt);
      expect((await postOutcome(t, cookie, held.assignment.id, { outcome: 'paid', rightParty: true })).status).toBe(202);
      await attemptsRecorded(t, only!.id, 1);
    } finally {
      setTime(Date.now() - 61_000);
    }
  });
});
