import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../src/clock.js';
import { isUniqueViolation } from '../src/db/errors.js';
import { assignments } from '../src/db/schema.js';
import { endIfExpired } from '../src/dispatch/assignment-end.js';
import { createTestContext, type TestContext } from './helpers/context.js';
import { createClient, fastRules } from './helpers/dispatch.js';
import { seedList } from './helpers/seed.js';

/**
 * A pull checks its case, then inserts the assignment. When another agent's whole call — pull
 * and outcome — falls between the two, the check saw neither, and only the database can refuse
 * the second hand-out of that attempt (found by the load test: the customer called twice, one
 * of the two outcomes never recorded). `assignments_attempt_taken` is that refusal.
 */
let t: TestContext;
let clientId: string;
beforeAll(async () => {
  t = await createTestContext({}, { clock: systemClock });
  clientId = await createClient(t, (await t.userSession('admin')).cookie, fastRules);
});
afterAll(() => t.close());

async function handOut(caseId: string, agentId: string, attemptNo: number, end?: { reason: 'outcome' | 'expired' | 'released' | 'dropped' }) {
  const now = new Date();
  const [row] = await t.db
    .insert(assignments)
    .values({ caseId, agentId, attemptNo, queue: 'calls-x', jobId: `${caseId}-a${attemptNo}`, lockToken: 'token', assignedAt: now, expiresAt: new Date(now.getTime() + 60_000), ...(end ? { endedAt: now, endReason: end.reason } : {}) })
    .returning();
  return row!;
}

const refusal = (p: Promise<unknown>) =>
  p.then(
    () => 'inserted',
    (err: unknown) => (isUniqueViolation(err, 'assignments_attempt_taken') ? 'attempt_taken' : isUniqueViolation(err, 'assignments_live_case') ? 'live_case' : String(err)),
  );

describe('one hand-out per attempt', () => {
  it('refuses an attempt whose outcome is claimed, and allows it again after an expiry or a release', async () => {
    const { cases: [c] } = await seedList(t, clientId, 1);
    const anna = (await t.userSession('agent', [clientId])).user;
    const bert = (await t.userSession('agent', [clientId])).user;

    // Anna's hand-out expired, Bert's was released: the attempt is still to be made.
    await handOut(c!.id, anna.id, 1, { reason: 'expired' });
    await handOut(c!.id, bert.id, 1, { reason: 'released' });
    // Anna's call ended with its outcome, not yet recorded: nobody gets attempt 1 again.
    await handOut(c!.id, anna.id, 1, { reason: 'outcome' });
    expect(await refusal(handOut(c!.id, bert.id, 1))).toBe('attempt_taken');
    // The next attempt is free.
    expect(await refusal(handOut(c!.id, bert.id, 2))).toBe('inserted');
  });
});

describe("ending another agent's hand-out as expired", () => {
  it('ends it only when its time is up by then: one extended by a heartbeat since it was read stays live', async () => {
    const { cases: [c] } = await seedList(t, clientId, 1);
    const anna = (await t.userSession('agent', [clientId])).user;
    const held = await handOut(c!.id, anna.id, 1);
    const readAsExpiredAt = new Date(held.expiresAt.getTime() + 1);
    // Anna's heartbeat extended it after another pull read it as expired.
    await t.db.update(assignments).set({ expiresAt: new Date(held.expiresAt.getTime() + 60_000) }).where(eq(assignments.id, held.id));
    expect(await endIfExpired(t.db, held, readAsExpiredAt)).toBeNull();
    expect((await t.db.select().from(assignments).where(eq(assignments.id, held.id)))[0]).toMatchObject({ endedAt: null, endReason: null });

    const [row] = await t.db.select().from(assignments).where(eq(assignments.id, held.id));
    expect(await endIfExpired(t.db, held, new Date(row!.expiresAt.getTime() + 1))).toBe(0); // ended; nothing was dialled, so no hold
    // Ended when it ran out, not when that was noticed.
    expect((await t.db.select().from(assignments).where(eq(assignments.id, held.id)))[0]).toMatchObject({ endedAt: row!.expiresAt, endReason: 'expired' });
  });
});
