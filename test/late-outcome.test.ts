import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../src/clock.js';
import { assignments, attempts, cases } from '../src/db/schema.js';
import { lateOutcomeVerdict } from '../src/dispatch/late-outcome.js';
import { createTestContext, type TestContext } from './helpers/context.js';
import { attemptsRecorded, createClient, fastRules, next, postOutcome } from './helpers/dispatch.js';
import { eventually } from './helpers/eventually.js';
import { seedList } from './helpers/seed.js';

let t: TestContext;
let admin: string;

beforeAll(async () => {
  // LOCK_SECONDS 2: a lock runs out in Redis and PostgreSQL within the test, the lock watch returns the job.
  t = await createTestContext({ LOCK_SECONDS: '2' }, { clock: systemClock });
  admin = (await t.userSession('admin')).cookie;
  await t.runWorkers();
});
afterAll(() => t?.close());

const promiseDate = new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10);
const promise = { outcome: 'promise_to_pay', promise: { amountCents: 50_000, date: promiseDate }, rightParty: true, note: 'zahlt nächste Woche' };
const endOf = async (id: string) => (await t.db.select().from(assignments).where(eq(assignments.id, id)))[0]!;
const expiredSeen = (id: string) => eventually(async () => (await endOf(id)).endReason === 'expired', 15_000, 'the lock watch ended the assignment as expired');

describe('an outcome posted after the lock ran out', () => {
  it('is recorded when nobody took the case since, and the case is not handed out again', async () => {
    const clientId = await createClient(t, admin, fastRules);
    const { cases: [only] } = await seedList(t, clientId, 1);
    const a = await t.userSession('agent', [clientId]);
    const b = await t.userSession('agent', [clientId]);
    const held = await next(t, a.cookie);
    await expiredSeen(held.assignment.id); // no heartbeat: the agent's network was away

    const late = await postOutcome(t, a.cookie, held.assignment.id, promise);
    expect([late.status, late.body]).toEqual([202, { status: 'accepted', attemptNo: 1 }]);
    await attemptsRecorded(t, only!.id, 1);
    const [attempt] = await t.db.select().from(attempts).where(eq(attempts.caseId, only!.id));
    expect(attempt).toMatchObject({ agentId: a.user.id, outcome: 'promise_to_pay', promiseAmountCents: 50_000, promiseDate, note: 'zahlt nächste Woche' });
    expect((await t.db.select().from(cases).where(eq(cases.id, only!.id)))[0]!.status).toBe('closed');
    // The returned call job is stale now: the other agent is not sent to ring the customer again.
    expect((await next(t, b.cookie)).assignment).toBeNull();
    // Posted again, it is the same attempt (a retry of the request), not a second one.
    expect((await postOutcome(t, a.cookie, held.assignment.id, promise)).status).toBe(409);
    expect(await t.db.select().from(attempts).where(eq(attempts.caseId, only!.id))).toHaveLength(1);
  }, 30_000);

  it('is refused (409 lock_expired, saying why) when another agent has the case now; theirs counts', async () => {
    const clientId = await createClient(t, admin, fastRules);
    const { cases: [only] } = await seedList(t, clientId, 1);
    const a = await t.userSession('agent', [clientId]);
    const b = await t.userSession('agent', [clientId]);
    const held = await next(t, a.cookie);
    await expiredSeen(held.assignment.id);
    const taken = await eventually(async () => (await next(t, b.cookie)).assignment ?? null, 15_000, 'the case handed to the other agent');
    expect(taken.caseId ?? (await endOf(taken.id)).caseId).toBe(only!.id);

    const late = await postOutcome(t, a.cookie, held.assignment.id, promise);
    expect([late.status, late.body.error.code, late.body.error.details]).toEqual([409, 'lock_expired', { why: 'another agent has the case now' }]);
    expect((await endOf(held.assignment.id)).endReason).toBe('expired'); // nothing half-written
    expect((await postOutcome(t, b.cookie, taken.id, { outcome: 'paid', rightParty: true })).status).toBe(202);
    await attemptsRecorded(t, only!.id, 1);
    const recorded = await t.db.select().from(attempts).where(and(eq(attempts.caseId, only!.id)));
    expect(recorded.map((r) => [r.agentId, r.outcome])).toEqual([[b.user.id, 'paid']]);
  }, 30_000);
});

describe('lateOutcomeVerdict', () => {
  const now = new Date('2026-12-03T10:00:00Z');
  const a = { agentId: 'u1', attemptNo: 2, endedAt: null, endReason: null, expiresAt: new Date('2026-12-03T09:59:00Z') } as never as Parameters<typeof lateOutcomeVerdict>[0];
  const ctx = { case: { clientId: 'c1', status: 'open', attemptsMade: 1 } } as never as Parameters<typeof lateOutcomeVerdict>[1];
  const agent = { id: 'u1', clientIds: ['c1'] };
  it.each([
    ['lock ran out, unnoticed', a, ctx, agent, { ok: true }],
    ['ended as expired', { ...a, endedAt: now, endReason: 'expired' }, ctx, agent, { ok: true }],
    ['freed by a lead', { ...a, endedAt: now, endReason: 'freed' }, ctx, agent, { ok: true }],
    ['still held', { ...a, expiresAt: new Date('2026-12-03T10:01:00Z') }, ctx, agent, { ok: false, why: 'it is still held' }],
    ['given back', { ...a, endedAt: now, endReason: 'released' }, ctx, agent, { ok: false, why: 'it ended (released)' }],
    ['another agent', a, ctx, { ...agent, id: 'u2' }, { ok: false, why: 'another agent’s assignment' }],
    ['client taken away', a, ctx, { ...agent, clientIds: [] }, { ok: false, why: 'its client is no longer assigned to you' }],
    ['case closed', a, { case: { ...ctx.case, status: 'closed' } }, agent, { ok: false, why: 'the case is closed' }],
    ['called again since', a, { case: { ...ctx.case, attemptsMade: 2 } }, agent, { ok: false, why: 'the case was called again since' }],
  ] as const)('%s', (_name, assignment, context, who, verdict) => {
    expect(lateOutcomeVerdict(assignment as never, context as never, who as never, now)).toEqual(verdict);
  });
});
