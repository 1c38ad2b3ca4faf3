import { and, eq, inArray, isNull } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../src/clock.js';
import { assignments, cases } from '../src/db/schema.js';
import { reconcile } from '../src/dispatch/reconcile.js';
import { createTestContext, type TestContext } from './helpers/context.js';
import { attemptsRecorded, createClient, fastRules, next, postOutcome, setTime, useFakeDate } from './helpers/dispatch.js';
import { eventually } from './helpers/eventually.js';
import { seedList } from './helpers/seed.js';

let t: TestContext;
let admin: string;

beforeAll(async () => {
  useFakeDate('2026-11-25T10:00:00+01:00');
  t = await createTestContext({ LOCK_SECONDS: '2' }, { clock: systemClock });
  admin = (await t.userSession('admin')).cookie;
  await t.runWorkers();
});
afterAll(() => t.close());

describe('locks', () => {
  it('the lock watch ends a vanished agent\'s assignment as expired and puts the job back, nobody asking', async () => {
    const clientId = await createClient(t, admin, fastRules);
    const { cases: [c] } = await seedList(t, clientId, 1);
    const gone = await t.userSession('agent', [clientId]);
    const held = await next(t, gone.cookie);
    expect(held.case.id).toBe(c!.id);
    await eventually(async () => {
      const [a] = await t.db.select().from(assignments).where(eq(assignments.id, held.assignment.id));
      const counts = await t.queues.calls(a!.queue).getJobCounts('active', 'waiting', 'prioritized');
      return a!.endReason === 'expired' && counts.active === 0 && (counts.waiting ?? 0) + (counts.prioritized ?? 0) === 1;
    }, 20_000, 'the assignment expired and its job waiting again');
    const [a] = await t.db.select().from(assignments).where(eq(assignments.id, held.assignment.id));
    // Ended when its lock ran out, not when that was noticed.
    expect(a!.endedAt!.getTime()).toBe(a!.expiresAt.getTime());
  });

  it('an agent who vanishes after dialling: the case waits the retry delay before anyone rings the customer again', async () => {
    const clientId = await createClient(t, admin, { ...fastRules, retryDelaySeconds: 600 });
    const { cases: [c] } = await seedList(t, clientId, 1);
    const gone = await t.userSession('agent', [clientId]);
    const held = await next(t, gone.cookie);
    expect((await t.request('POST', `/api/agent/assignments/${held.assignment.id}/link-dialled`, { cookie: gone.cookie })).status).toBe(204);
    await eventually(async () => {
      const [a] = await t.db.select().from(assignments).where(eq(assignments.id, held.assignment.id));
      return a!.endReason === 'expired';
    }, 20_000, 'the assignment expired');
    const [row] = await t.db.select().from(cases).where(eq(cases.id, c!.id));
    expect(row).toMatchObject({ waitReason: 'dialled' });
    expect(row!.nextDueAt!.getTime() - Date.now()).toBeGreaterThan(500_000);
    const other = await t.userSession('agent', [clientId]);
    expect((await next(t, other.cookie)).assignment).toBeNull();
  }, 30_000);

  it('an agent who vanishes loses the case when the lock expires; another gets it with the same attempt number', async () => {
    const clientId = await createClient(t, admin, fastRules);
    await seedList(t, clientId, 1);
    const gone = await t.userSession('agent', [clientId]);
    const other = await t.userSession('agent', [clientId]);
    const held = await next(t, gone.cookie);
    expect((await next(t, other.cookie)).assignment).toBeNull();

    // No heartbeat: the lock (2 s) runs out and the lock watcher puts the case back.
    const taken = await eventually(async () => {
      const r = await next(t, other.cookie);
      return r.assignment ? r : null;
    }, 20_000, 'the case back after lock expiry');
    expect(taken.case).toMatchObject({ id: held.case.id, attemptNo: 1 });
    const [old] = await t.db.select().from(assignments).where(eq(assignments.id, held.assignment.id));
    expect(old!.endReason).toBe('expired');
    // Its outcome, posted late, is refused: the case is another agent's now (late-outcome.ts).
    const late = await postOutcome(t, gone.cookie, held.assignment.id, { outcome: 'paid' });
    expect([late.status, late.body.error.code, late.body.error.details]).toEqual([409, 'lock_expired', { why: 'another agent has the case now' }]);
  }, 30_000);

  it('a heartbeat keeps the case; release gives it back at once with no attempt counted', async () => {
    const clientId = await createClient(t, admin, fastRules);
    await seedList(t, clientId, 1);
    const anna = await t.userSession('agent', [clientId]);
    const bert = await t.userSession('agent', [clientId]);
    const a = await next(t, anna.cookie);
    const beat = await t.request('POST', `/api/agent/assignments/${a.assignment.id}/heartbeat`, { cookie: anna.cookie });
    expect(beat.status).toBe(200);
    expect(Date.parse(beat.body.expiresAt)).toBeGreaterThan(Date.parse(a.assignment.expiresAt) - 1);
    const rel = await t.request('POST', `/api/agent/assignments/${a.assignment.id}/release`, { cookie: anna.cookie });
    expect(rel.status).toBe(204);
    const b = await next(t, bert.cookie);
    expect(b.case).toMatchObject({ id: a.case.id, attemptNo: 1 });
    const [c] = await t.db.select().from(cases).where(eq(cases.id, a.case.id));
    expect(c!.attemptsMade).toBe(0);
    const [ended] = await t.db.select().from(assignments).where(eq(assignments.id, a.assignment.id));
    expect(ended!.endReason).toBe('released');
    // A released assignment can no longer be used.
    expect((await t.request('POST', `/api/agent/assignments/${a.assignment.id}/heartbeat`, { cookie: anna.cookie })).status).toBe(409);
  });

  it('a case given back goes to the others at once, and to the agent who gave it back only when nothing else is there for them', async () => {
    const clientId = await createClient(t, admin, fastRules);
    // The largest amount first: the case given back is the best of its queue.
    const { cases: [big, small] } = await seedList(t, clientId, [{ amountCents: 900_000 }, { amountCents: 1_000 }]);
    const anna = await t.userSession('agent', [clientId]);
    const bert = await t.userSession('agent', [clientId]);
    const first = await next(t, anna.cookie);
    expect(first.case.id).toBe(big!.id);
    expect((await t.request('POST', `/api/agent/assignments/${first.assignment.id}/release`, { cookie: anna.cookie })).status).toBe(204);
    // Anna gets the other case, not the one she just put down.
    const second = await next(t, anna.cookie);
    expect(second.case.id).toBe(small!.id);
    // Set aside for Anna, it stayed in the queue for everyone else: Bert gets it at once.
    const forBert = await next(t, bert.cookie);
    expect(forBert.case.id).toBe(big!.id);
  });

  it('a case given back, the only one of its queue, is not lost to the others while its agent works another client', async () => {
    const [a, b] = [await createClient(t, admin, fastRules), await createClient(t, admin, fastRules)];
    const { cases: [only] } = await seedList(t, a, 1);
    const anna = await t.userSession('agent', [a, b]);
    const bert = await t.userSession('agent', [a]);
    const first = await next(t, anna.cookie);
    expect(first.case.id).toBe(only!.id);
    expect((await t.request('POST', `/api/agent/assignments/${first.assignment.id}/release`, { cookie: anna.cookie })).status).toBe(204);
    // The other client's case due a moment later: Anna's queue, waiting longer, is pulled first.
    setTime(Date.now() + 1_000);
    const { cases: [other] } = await seedList(t, b, 1);
    // Anna's pull sets her case aside, finds its queue empty after it, and takes the other client's case.
    expect((await next(t, anna.cookie)).case.id).toBe(other!.id);
    // Bert gets the case at once.
    expect((await next(t, bert.cookie)).case?.id).toBe(only!.id);
  });

  it('a case given back comes back to the same agent when nothing else is there for them', async () => {
    const clientId = await createClient(t, admin, fastRules);
    const { cases: [only] } = await seedList(t, clientId, 1);
    const anna = await t.userSession('agent', [clientId]);
    const first = await next(t, anna.cookie);
    expect((await t.request('POST', `/api/agent/assignments/${first.assignment.id}/release`, { cookie: anna.cookie })).status).toBe(204);
    const again = await next(t, anna.cookie);
    expect(again.case).toMatchObject({ id: only!.id, attemptNo: 1 });
  });
});

describe('Redis loses the schedule', () => {
  it('reconcile restores every open case after the queues were flushed mid-list, and no closed case comes back', async () => {
    const clientId = await createClient(t, admin, fastRules);
    const { listId, cases: seeded } = await seedList(t, clientId, 8);
    const { cookie } = await t.userSession('agent', [clientId]);
    // Work three cases: one paid (closed), two not reached (open, attempt 2 due).
    for (const outcome of ['paid', 'not_reached', 'not_reached']) {
      const a = await next(t, cookie);
      await postOutcome(t, cookie, a.assignment.id, { outcome });
      await attemptsRecorded(t, a.case.id, 1);
    }
    // "FLUSHALL" for this test's data only: other test files share the Redis.
    const keys = await t.keys(`${t.prefix}:calls-*`);
    await t.redis.del(...keys, `${t.prefix}:ready`);
    expect((await next(t, cookie)).assignment).toBeNull();

    const report = await reconcile({ db: t.db, calls: t.calls, queues: t.queues, clock: t.clock, config: t.config, log: t.deps.log });
    expect(report.added).toBeGreaterThanOrEqual(7);
    setTime(Date.now() + 2_000);
    const seen = new Map<string, number>();
    for (;;) {
      const a = await next(t, cookie);
      if (!a.assignment) break;
      seen.set(a.case.id, a.case.attemptNo);
      await postOutcome(t, cookie, a.assignment.id, { outcome: 'paid' });
      await attemptsRecorded(t, a.case.id, a.case.attemptNo);
    }
    const open = await t.db.select().from(cases).where(and(eq(cases.listId, listId), eq(cases.status, 'open')));
    expect(open).toEqual([]);
    expect(seen.size).toBe(7); // every case but the paid one, each once, at its current attempt
    expect([...seen.values()].sort()).toEqual([1, 1, 1, 1, 1, 2, 2]);
    const live = await t.db
      .select()
      .from(assignments)
      .where(and(isNull(assignments.endedAt), inArray(assignments.caseId, seeded.map((c) => c.id))));
    expect(live).toEqual([]);
  });
});
