import { inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/clock.js';
import { assignments } from '../src/db/schema.js';
import { createTestContext, type TestContext } from './helpers/context.js';
import { createClient, fastRules, next } from './helpers/dispatch.js';
import { seedList } from './helpers/seed.js';

const LOCK_SECONDS = 30;
const clock = new ManualClock('2026-11-25T10:00:00+01:00'); // a Wednesday morning
let t: TestContext;
let admin: string;

beforeAll(async () => {
  t = await createTestContext({ LOCK_SECONDS: String(LOCK_SECONDS) }, { clock });
  admin = (await t.userSession('admin')).cookie;
});
afterAll(() => t.close());

describe('an assignment and its job lock', () => {
  it('hands nothing out from a pull whose lock ran out before the case was written down', async () => {
    const clientId = await createClient(t, admin, fastRules);
    const { cases: seeded } = await seedList(t, clientId, [{ amountCents: 250_000 }, { amountCents: 5_000 }]);
    const { cookie } = await t.userSession('agent', [clientId]);
    // The process stalls right after its first pull for longer than the lock lasts.
    const pull = t.calls.pull.bind(t.calls);
    let pulls = 0;
    t.calls.pull = async (...args) => {
      const pulled = await pull(...args);
      if (++pulls === 1) clock.advance((LOCK_SECONDS + 1) * 1000);
      return pulled;
    };
    try {
      const got = await next(t, cookie);
      // Not the first case (its lock is gone): the second, with a whole lock ahead of it.
      expect(got.case.id).toBe(seeded[1]!.id);
      const rows = await t.db.select().from(assignments).where(inArray(assignments.caseId, seeded.map((c) => c.id)));
      expect(rows).toHaveLength(1);
      expect(rows[0]!.caseId).toBe(seeded[1]!.id);
      expect(rows[0]!.expiresAt.getTime()).toBeGreaterThan(rows[0]!.assignedAt.getTime());
      expect(pulls).toBe(2);
    } finally {
      t.calls.pull = pull;
    }
  });
});
