import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../src/clock.js';
import { attempts, cases, reachRates } from '../src/db/schema.js';
import type { DispatchDeps } from '../src/deps.js';
import { caseQueue } from '../src/dispatch/case-state.js';
import { recordOutcome } from '../src/dispatch/record-outcome.js';
import { loadReachRates } from '../src/reach/load-reach-rates.js';
import { refreshReachRates } from '../src/reach/refresh-reach-rates.js';
import { unitHash } from '../src/scheduling/learned-retry.js';
import { EXPLORATION_RATE, PRIOR_ATTEMPTS } from '../src/scheduling/index.js';
import { createTestContext, type TestContext } from './helpers/context.js';
import { createClient, next, setTime, useFakeDate } from './helpers/dispatch.js';
import { seedList } from './helpers/seed.js';

/**
 * Reach rates from a seeded attempt history (Berlin, November: UTC+1), the endpoint behind the
 * lead's heat map, and the learned retry through the outcomes worker's function.
 */

let t: TestContext;
let d: DispatchDeps;
let admin: string;

interface Seeded {
  at: string;
  outcome: string;
  rightParty?: boolean;
}

/** One closed case per attempt (its call job gone), attempts written as the outcomes worker writes them. */
async function seedAttempts(clientId: string, list: Seeded[]): Promise<void> {
  const { cases: rows } = await seedList(t, clientId, list.length);
  await t.db.insert(attempts).values(
    list.map((a, i) => ({ caseId: rows[i]!.id, clientId, attemptNo: 1, outcome: a.outcome, rightParty: a.rightParty ?? null, recordedAt: new Date(a.at) })),
  );
  await t.db.update(cases).set({ status: 'closed', attemptsMade: 1, finalOutcome: 'paid' }).where(eq(cases.clientId, clientId));
  await t.queues.calls(caseQueue(rows[0]!)).drain(true);
}

const times = (n: number, at: string, outcome: string, rightParty?: boolean): Seeded[] => Array.from({ length: n }, () => ({ at, outcome, rightParty }));

beforeAll(async () => {
  useFakeDate('2026-11-25T09:00:00+01:00'); // a Wednesday
  t = await createTestContext({}, { clock: systemClock });
  d = { db: t.db, calls: t.calls, queues: t.queues, clock: t.clock, config: t.config, log: t.deps.log };
  admin = (await t.userSession('admin')).cookie;
});
afterAll(() => t.close());

describe('reach rates from the recorded attempts', () => {
  let swm: string;
  let other: string;

  beforeAll(async () => {
    swm = await createClient(t, admin, { learningDays: 30 });
    other = await createClient(t, admin, {});
    await seedAttempts(swm, [
      // Monday 23 Nov 18:00 Berlin, evening: 10 attempts, 6 reached (paid, callback), 4 of them the right person.
      ...times(4, '2026-11-23T17:00:00Z', 'paid', true),
      ...times(2, '2026-11-23T17:30:00Z', 'callback', false),
      ...times(4, '2026-11-23T18:59:00Z', 'not_reached'),
      // Tuesday 09:00, morning: 10 attempts, 1 reached.
      ...times(1, '2026-11-24T08:00:00Z', 'refused', true),
      ...times(9, '2026-11-24T08:00:00Z', 'not_reached'),
      // 12:00 exactly is midday (windows are half-open), a code the settings do not know is not reached.
      { at: '2026-11-24T11:00:00Z', outcome: 'legacy_code' },
      // Saturday 21 Nov 10:00, weekend morning: 2 of 4.
      ...times(2, '2026-11-21T09:00:00Z', 'promise_to_pay', true),
      ...times(2, '2026-11-21T09:00:00Z', 'not_reached'),
      // 07:30 lies in no window; 40 days ago is beyond learningDays 30: neither counts.
      { at: '2026-11-24T06:30:00Z', outcome: 'paid' },
      { at: '2026-10-16T17:00:00Z', outcome: 'paid' },
    ]);
    await seedAttempts(other, [...times(18, '2026-11-23T17:00:00Z', 'not_reached'), ...times(2, '2026-11-23T17:00:00Z', 'paid', true)]);
    expect(await refreshReachRates(t.db, new Date())).toEqual({ clients: 2, cells: 5 });
  });

  it('counts attempts, reached and right party per weekday type and window, on the client wall clock', async () => {
    const rows = await t.db.select().from(reachRates).where(eq(reachRates.clientId, swm));
    const cells = rows.map(({ dayType, window, attempts: n, reached, rightParty }) => ({ dayType, window, attempts: n, reached, rightParty }));
    expect(cells.sort((a, b) => `${a.dayType}${a.window}`.localeCompare(`${b.dayType}${b.window}`))).toEqual([
      { dayType: 'weekday', window: 'evening', attempts: 10, reached: 6, rightParty: 4 },
      { dayType: 'weekday', window: 'midday', attempts: 1, reached: 0, rightParty: 0 },
      { dayType: 'weekday', window: 'morning', attempts: 10, reached: 1, rightParty: 1 },
      { dayType: 'weekend', window: 'morning', attempts: 4, reached: 2, rightParty: 2 },
    ]);
    // The prior pools every client's attempts: 25 of SWM (9 reached), 20 of the other (2 reached).
    const rates = await loadReachRates(t.db, swm, new Date());
    expect(rates.prior).toEqual({ attempts: 45, reached: 11, rightParty: 9 });
  });

  it('GET /api/clients/{id}/reach-rates: every weekday type × window with counts and the expected reach', async () => {
    const lead = (await t.userSession('lead', [swm])).cookie;
    const res = await t.request('GET', `/api/clients/${swm}/reach-rates`, { cookie: lead });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ clientId: swm, retryStrategy: 'auto', effectiveStrategy: 'rotation', learningDays: 30, clientAttempts: 25 });
    expect(res.body.windows.map((w: { name: string }) => w.name)).toEqual(['morning', 'midday', 'afternoon', 'evening']);
    expect(res.body.cells).toHaveLength(8);
    // All clients' rate, then this client's (9 of 25) shrunk towards it, then each cell towards that.
    const p0 = 11 / 45;
    const pc = (9 + PRIOR_ATTEMPTS * p0) / (25 + PRIOR_ATTEMPTS);
    const evening = res.body.cells.find((c: { dayType: string; window: string }) => c.dayType === 'weekday' && c.window === 'evening');
    expect(evening).toMatchObject({ attempts: 10, reached: 6, rightParty: 4, observedRate: 0.6 });
    expect(evening.rate).toBeCloseTo((6 + PRIOR_ATTEMPTS * pc) / (10 + PRIOR_ATTEMPTS), 10);
    const empty = res.body.cells.find((c: { dayType: string; window: string }) => c.dayType === 'weekend' && c.window === 'evening');
    expect(empty).toMatchObject({ attempts: 0, observedRate: null, callable: false }); // Saturday until 14:00, no Sunday
    expect(empty.rate).toBeCloseTo(pc, 10);
    expect(evening.callable).toBe(true);
    expect(res.body.cells.find((c: { dayType: string; window: string }) => c.dayType === 'weekend' && c.window === 'midday').callable).toBe(true);

    const stranger = (await t.userSession('lead', [other])).cookie;
    expect((await t.request('GET', `/api/clients/${swm}/reach-rates`, { cookie: stranger })).status).toBe(403);
    const agent = (await t.userSession('agent', [swm])).cookie;
    expect((await t.request('GET', `/api/clients/${swm}/reach-rates`, { cookie: agent })).status).toBe(403);
  });
});

describe('learned retries through the outcomes worker', () => {
  let clientId: string;

  beforeAll(async () => {
    clientId = await createClient(t, admin, { retryStrategy: 'learned', holidays: null });
    // This client's customers answer in the morning: 60 of 100, the evening 10 of 100.
    await seedAttempts(clientId, [
      ...times(60, '2026-11-24T08:30:00Z', 'paid', true),
      ...times(40, '2026-11-24T08:30:00Z', 'not_reached'),
      ...times(10, '2026-11-23T17:30:00Z', 'paid', true),
      ...times(90, '2026-11-23T17:30:00Z', 'not_reached'),
    ]);
    await refreshReachRates(t.db, new Date());
  });

  /**
   * A fresh case whose exploration draw for attempt `attemptNo` does not fire (the draw is fixed
   * per case and attempt; one case id in ten explores): the others are closed, their jobs gone.
   */
  async function caseThatExploits(attemptNo: number) {
    for (;;) {
      const { cases: [c] } = await seedList(t, clientId, 1);
      if (unitHash(`${c!.id}-a${attemptNo}`, 'explore') >= EXPLORATION_RATE) return c!;
      await t.db.update(cases).set({ status: 'closed', finalOutcome: 'cancelled' }).where(eq(cases.id, c!.id));
      await t.queues.calls(caseQueue(c!)).drain(true);
    }
  }

  const notReached = (caseId: string, attemptNo: number, agentId: string, recordedAt: string) => ({
    assignmentId: `00000000-0000-4000-8000-00000000000${attemptNo}`,
    caseId,
    attemptNo,
    agentId,
    recordedAt,
    body: { outcome: 'not_reached' },
  });

  it('a customer reached before in the evening gets the evening, though this client reaches more in the morning', async () => {
    setTime('2026-11-25T18:10:00+01:00');
    const { cases: [c] } = await seedList(t, clientId, 1);
    const { user } = await t.userSession('agent', [clientId]);
    // Reached on Monday evening (a callback was agreed), then not reached on Wednesday evening.
    await t.db.insert(attempts).values({ caseId: c!.id, clientId, attemptNo: 1, outcome: 'callback', rightParty: true, recordedAt: new Date('2026-11-23T18:10:00+01:00') });
    await t.db.update(cases).set({ attemptsMade: 1 }).where(eq(cases.id, c!.id));
    await recordOutcome(d, notReached(c!.id, 2, user.id, '2026-11-25T18:10:00+01:00'));
    const [after] = await t.db.select().from(cases).where(eq(cases.id, c!.id));
    // Not the morning (the client's best), but Thursday evening: the delay ends at 20:10, after hours.
    expect(after!.nextDueAt?.toISOString()).toBe(new Date('2026-11-26T17:00:00+01:00').toISOString());
    expect(after!.retryChoice).toMatchObject({ basis: 'customer', window: 'evening', dayType: 'weekday' });
  });

  it('a retry goes to the window with the best rate, and the agent card says why', async () => {
    setTime('2026-11-25T14:00:00+01:00');
    const c = await caseThatExploits(2);
    const { user } = await t.userSession('agent', [clientId]);
    // Attempt 1 at 14:00 not reached: the evening is still today, but the morning reaches 6 in 10.
    await recordOutcome(d, notReached(c.id, 1, user.id, '2026-11-25T14:00:00+01:00'));
    const [after] = await t.db.select().from(cases).where(eq(cases.id, c.id));
    expect(after!.retryChoice).toMatchObject({ basis: 'rates', window: 'morning' });
    expect(after!.nextDueAt?.toISOString()).toBe(new Date('2026-11-26T08:00:00+01:00').toISOString());

    setTime('2026-11-26T08:00:05+01:00');
    const agent = await t.userSession('agent', [clientId]);
    const res = await next(t, agent.cookie);
    expect(res.case.id).toBe(c.id);
    expect(res.case.retryChoice).toMatchObject({ basis: 'rates', window: 'morning' });
    expect(res.case.retryChoice.rate).toBeGreaterThan(res.case.retryChoice.others[0].rate);
  });

  it('a learned retry that no agent took within its window moves to the next occurrence of that window', async () => {
    setTime('2026-11-25T14:00:00+01:00');
    const c = await caseThatExploits(2);
    const { user } = await t.userSession('agent', [clientId]);
    await recordOutcome(d, notReached(c.id, 1, user.id, '2026-11-25T14:00:00+01:00'));
    const [planned] = await t.db.select().from(cases).where(eq(cases.id, c.id));
    expect(planned!.retryChoice).toMatchObject({ window: 'morning' });
    expect(planned!.nextDueAt?.toISOString()).toBe(new Date('2026-11-26T08:00:00+01:00').toISOString());

    // Thursday 12:30: the morning is over before anyone pressed „Nächster Anruf“.
    setTime('2026-11-26T12:30:00+01:00');
    const agent = await t.userSession('agent', [clientId]);
    const res = await next(t, agent.cookie);
    expect(res.assignment).toBeNull();
    const [moved] = await t.db.select().from(cases).where(eq(cases.id, c.id));
    expect({ at: moved!.nextDueAt?.toISOString(), reason: moved!.waitReason }).toEqual({
      at: new Date('2026-11-27T08:00:00+01:00').toISOString(),
      reason: 'window_closed',
    });

    // Friday's morning is missed too: Saturday's (09–12), still within two days of the earliest
    // time the retry was allowed (Wednesday 16:00, two hours after the attempt).
    setTime('2026-11-27T12:30:00+01:00');
    expect((await next(t, (await t.userSession('agent', [clientId])).cookie)).assignment).toBeNull();
    const [again] = await t.db.select().from(cases).where(eq(cases.id, c.id));
    expect(again!.nextDueAt?.toISOString()).toBe(new Date('2026-11-28T09:00:00+01:00').toISOString());

    // Saturday's as well: past those two days the window is kept no longer (busy mornings would
    // move the case on for ever) — it is callable now, not on Monday morning.
    setTime('2026-11-28T12:30:00+01:00');
    const handed: Array<{ id: string; attemptNo: number }> = [];
    // Other tests' cases of this client may come first: agents ask until it or nothing comes.
    for (let i = 0; i < 10 && !handed.some((h) => h.id === c.id); i++) {
      const res = await next(t, (await t.userSession('agent', [clientId])).cookie);
      if (res.case) handed.push({ id: res.case.id, attemptNo: res.case.attemptNo });
    }
    expect(handed).toContainEqual({ id: c.id, attemptNo: 2 });
  });
});

describe('the window an attempt is filed under', () => {
  it('is the one its call began in, not the one its outcome was saved in', async () => {
    setTime('2026-11-25T09:00:00+01:00'); // the admin's session is of then
    const clientId = await createClient(t, admin, { learningDays: 30 });
    const { cases: [late, old] } = await seedList(t, clientId, 2);
    await t.db.insert(attempts).values([
      // Called Monday 19:55 Berlin, saved 20:01: the evening's.
      { caseId: late!.id, clientId, attemptNo: 1, outcome: 'paid', rightParty: true, calledAt: new Date('2026-11-23T18:55:00Z'), recordedAt: new Date('2026-11-23T19:01:00Z') },
      // Recorded before calls were kept (no called_at): by its save time, 20:01, in no window.
      { caseId: old!.id, clientId, attemptNo: 1, outcome: 'paid', rightParty: true, recordedAt: new Date('2026-11-23T19:01:00Z') },
    ]);
    await refreshReachRates(t.db, new Date());
    const rows = await t.db.select().from(reachRates).where(eq(reachRates.clientId, clientId));
    expect(rows.map(({ dayType, window, attempts: n, reached }) => ({ dayType, window, attempts: n, reached }))).toEqual([{ dayType: 'weekday', window: 'evening', attempts: 1, reached: 1 }]);
  });
});

describe('a call back', () => {
  it('is left out of the rates: the customer chose its time; the attempt that agreed it counts', async () => {
    setTime('2026-11-25T09:00:00+01:00');
    const clientId = await createClient(t, admin, { learningDays: 30 });
    const { cases: [agreed, retried] } = await seedList(t, clientId, 2);
    const at = (iso: string) => ({ calledAt: new Date(iso), recordedAt: new Date(iso) });
    await t.db.insert(attempts).values([
      // Monday 10:00 Berlin "call me back in the evening", called back at 18:00 and paid.
      { caseId: agreed!.id, clientId, attemptNo: 1, outcome: 'callback', rightParty: true, ...at('2026-11-23T09:00:00Z') },
      { caseId: agreed!.id, clientId, attemptNo: 2, outcome: 'paid', rightParty: true, ...at('2026-11-23T17:00:00Z') },
      // Not reached at 10:00, tried again at 18:00 and paid: both count.
      { caseId: retried!.id, clientId, attemptNo: 1, outcome: 'not_reached', ...at('2026-11-23T09:00:00Z') },
      { caseId: retried!.id, clientId, attemptNo: 2, outcome: 'paid', rightParty: true, ...at('2026-11-23T17:00:00Z') },
    ]);
    await refreshReachRates(t.db, new Date());
    const rows = await t.db.select().from(reachRates).where(eq(reachRates.clientId, clientId));
    const cells = rows.map(({ dayType, window, attempts: n, reached }) => ({ dayType, window, attempts: n, reached }));
    expect(cells.sort((a, b) => a.window.localeCompare(b.window))).toEqual([
      { dayType: 'weekday', window: 'evening', attempts: 1, reached: 1 },
      { dayType: 'weekday', window: 'morning', attempts: 2, reached: 1 },
    ]);
  });
});
