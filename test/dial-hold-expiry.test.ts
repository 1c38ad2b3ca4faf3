import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../src/clock.js';
import { assignments, cases, dials } from '../src/db/schema.js';
import { endIfExpired } from '../src/dispatch/assignment-end.js';
import { createTestContext, type TestContext } from './helpers/context.js';
import { createClient, fastRules, next } from './helpers/dispatch.js';
import { eventually } from './helpers/eventually.js';
import { seedList } from './helpers/seed.js';

/**
 * A customer dialled for an assignment that ends without an outcome waits the client's retry
 * delay, whichever way it ended: given back, run out and noticed by the lock watch, by the
 * agent's own heartbeat or "next", or by another copy's pull. Otherwise the next agent rings
 * them again within seconds — possibly while the first is still on the line.
 */
let t: TestContext;
let admin: string;
beforeAll(async () => {
  // LOCK_SECONDS 2: locks run out within the test. No workers: only the paths under test end them.
  t = await createTestContext({ LOCK_SECONDS: '2' }, { clock: systemClock });
  admin = (await t.userSession('admin')).cookie;
});
afterAll(() => t?.close());

async function dialledThenGone() {
  const clientId = await createClient(t, admin, { ...fastRules, retryDelaySeconds: 600 });
  const { cases: [c] } = await seedList(t, clientId, 1);
  const agent = await t.userSession('agent', [clientId]);
  const held = await next(t, agent.cookie);
  expect((await t.request('POST', `/api/agent/assignments/${held.assignment.id}/link-dialled`, { cookie: agent.cookie })).status).toBe(204);
  // The lock runs out (no heartbeat), in PostgreSQL's eyes.
  await eventually(async () => (await t.db.select().from(assignments).where(eq(assignments.id, held.assignment.id)))[0]!.expiresAt.getTime() < Date.now() - 50, 5_000, 'the lock run out');
  return { clientId, caseId: c!.id as string, agent, assignmentId: held.assignment.id as string };
}

const caseOf = async (id: string) => (await t.db.select().from(cases).where(eq(cases.id, id)))[0]!;

describe('the hold after a dial when an assignment runs out', () => {
  // The hold is the case's (`next_due_at`, `wait_reason` `dialled`): every copy of its job obeys it
  // at the pull (test/dispatch-faults.test.ts shows that for the lock watch's path).
  it('noticed by the agent\'s own heartbeat: the case is held for the retry delay', async () => {
    const { caseId, agent, assignmentId } = await dialledThenGone();
    const beat = await t.request('POST', `/api/agent/assignments/${assignmentId}/heartbeat`, { cookie: agent.cookie });
    expect([beat.status, beat.body.error.code]).toEqual([409, 'lock_expired']);
    const c = await caseOf(caseId);
    expect(c.waitReason).toBe('dialled');
    expect(c.nextDueAt!.getTime()).toBeGreaterThan(Date.now() + 590_000);
  });

  it('noticed by the agent\'s own "next": the case is held for the retry delay', async () => {
    const { caseId, agent } = await dialledThenGone();
    expect((await next(t, agent.cookie)).assignment).toBeNull();
    expect((await caseOf(caseId)).waitReason).toBe('dialled');
  });

  it('ended by another copy\'s pull (`endIfExpired`): the hold is written in its transaction, and its length answered', async () => {
    const { caseId, assignmentId } = await dialledThenGone();
    const [a] = await t.db.select().from(assignments).where(eq(assignments.id, assignmentId));
    const hold = await t.db.transaction((tx) => endIfExpired(tx, a!, new Date()));
    expect(hold).toBe(600_000);
    expect(await caseOf(caseId)).toMatchObject({ waitReason: 'dialled' });
    expect(await t.db.select().from(dials).where(eq(dials.assignmentId, assignmentId))).toHaveLength(1);
  });
});
