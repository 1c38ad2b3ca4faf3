import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../src/clock.js';
import { assignments, attempts } from '../src/db/schema.js';
import { createTestContext, type TestContext } from './helpers/context.js';
import { attemptsRecorded, createClient, fastRules, next, postOutcome, setTime, useFakeDate } from './helpers/dispatch.js';
import { seedList } from './helpers/seed.js';
import { eventually } from './helpers/eventually.js';
import { callJobId } from '../src/queues/registry.js';

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
    expect(first.case.ctiLink).toBe(`tel:${first.case.phoneE164}`);
    expect(first.history).toEqual([]);
    // Highest amount first (priority), and pressing again gives the same case.
    expect(first.case.id).toBe(seeded[1]!.id);
    const again = await next(t, cookie);
    expect(again.assignment.id).toBe(first.assignment.id);
  });

  it('ends a held case whose lock ran out at the next press, as expired, and hands out another', async () => {
    const clientId = await createClient(t, admin, fastRules);
    const { cases: seeded } = await seedList(t, clientId, [{ amountCents: 90_000 }, { amountCents: 5_000 }]);
    const { cookie } = await t.userSession('agent', [clientId]);
    const first = await next(t, cookie);
    expect(first.case.id).toBe(seeded[0]!.id);
    const before = Date.now();
    setTime(before + 31_000); // past LOCK_SECONDS in PostgreSQL's eyes
    try {
      const second = await next(t, cookie);
      expect(second.assignment.id).not.toBe(first.assignment.id);
      expect(second.case.id).toBe(seeded[1]!.id);
      const [old] = await t.db.select().from(assignments).where(eq(assignments.id, first.assignment.id));
      expect(old!.endReason).toBe('expired');
    } finally {
      setTime(Date.now() - 31_000);
    }
  });

  it('refuses „Richtige Person“ with an outcome that reached nobody, and takes it with one that did', async () => {
    const clientId = await createClient(t, admin, fastRules);
    await seedList(t, clientId, 1);
    const { cookie } = await t.userSession('agent', [clientId]);
    const a = await next(t, cookie);
    for (const outcome of ['not_reached', 'wrong_number']) {
      const refused = await postOutcome(t, cookie, a.assignment.id, { outcome, rightParty: true });
      expect([refused.status, refused.body.error.details]).toEqual([400, { cause: 'right_party_not_reached' }]);
    }
    // Nothing half-written: the case is still held, and a consistent outcome is taken.
    expect((await postOutcome(t, cookie, a.assignment.id, { outcome: 'not_reached', rightParty: false })).status).toBe(202);
    await attemptsRecorded(t, a.case.id, 1);
  });

  it('refuses a payment promise with an outcome that reached nobody, and a callback with an outcome that asks for none', async () => {
    const clientId = await createClient(t, admin, fastRules);
    await seedList(t, clientId, 1);
    const { cookie } = await t.userSession('agent', [clientId]);
    const a = await next(t, cookie);
    const promise = { amountCents: 50_000, date: new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10) };
    for (const outcome of ['not_reached', 'wrong_number']) {
      const refused = await postOutcome(t, cookie, a.assignment.id, { outcome, promise });
      expect([refused.status, refused.body.error.details]).toEqual([400, { cause: 'promise_not_reached' }]);
    }
    for (const outcome of ['not_reached', 'paid']) {
      const refused = await postOutcome(t, cookie, a.assignment.id, { outcome, rightParty: outcome === 'paid', callback: { window: 'ganztags', owner: 'me' } });
      expect([refused.status, refused.body.error.details]).toEqual([400, { cause: 'callback_not_expected' }]);
    }
    // Nothing half-written: the case is still held, its promise-free attempt taken as sent.
    expect((await postOutcome(t, cookie, a.assignment.id, { outcome: 'not_reached' })).status).toBe(202);
    await attemptsRecorded(t, a.case.id, 1);
    const [recorded] = await t.db.select().from(attempts).where(eq(attempts.caseId, a.case.id));
    expect([recorded!.promiseAmountCents ?? null, recorded!.callback ?? null]).toEqual([null, null]);
  });

  it('removes a recorded outcome\'s job from Redis at once (it carries the agent\'s note)', async () => {
    const clientId = await createClient(t, admin, fastRules);
    await seedList(t, clientId, 1);
    const { cookie } = await t.userSession('agent', [clientId]);
    const a = await next(t, cookie);
    expect((await postOutcome(t, cookie, a.assignment.id, { outcome: 'not_reached', note: 'Tochter am Telefon' })).status).toBe(202);
    await attemptsRecorded(t, a.case.id, 1);
    const outcomes = t.queues.get('outcomes');
    await eventually(async () => (await outcomes.getJob(callJobId(a.case.id, 1))) === undefined, 10_000, 'the outcome job gone');
    expect(await outcomes.getJobCounts('completed', 'failed')).toEqual({ completed: 0, failed: 0 });
  });

  it('hands out no case of a client set inactive, nor counts its cases as waiting, until it is active again', async () => {
    const paused = await createClient(t, admin, fastRules);
    const working = await createClient(t, admin, fastRules);
    const { cases: [pausedCase] } = await seedList(t, paused, [{ amountCents: 900_000 }]);
    const { cases: [workingCase] } = await seedList(t, working, [{ amountCents: 1_000 }]);
    const { cookie } = await t.userSession('agent', [paused, working]);
    const setActive = async (active: boolean) => expect((await t.request('PATCH', `/api/clients/${paused}`, { cookie: admin, body: { active } })).status).toBe(200);

    await setActive(false);
    const other = await next(t, cookie);
    expect(other.case.id).toBe(workingCase!.id); // not the larger amount of the paused client
    expect((await postOutcome(t, cookie, other.assignment.id, { outcome: 'paid' })).status).toBe(202);
    await attemptsRecorded(t, workingCase!.id, 1);
    const empty = await next(t, cookie);
    expect(empty.assignment).toBeNull();
    expect(Object.values(empty.waiting).every((n) => n === 0)).toBe(true);
    expect(empty.nextDueAt).toBeNull();
    expect(empty.clients).toEqual({ assigned: 2, active: 1 });
    // An agent of the paused client only is told that no case will come, not that none is open.
    const onlyPaused = await t.userSession('agent', [paused]);
    expect(await next(t, onlyPaused.cookie)).toMatchObject({ assignment: null, clients: { assigned: 1, active: 0 } });

    await setActive(true);
    expect((await next(t, cookie)).case.id).toBe(pausedCase!.id);
  });

  it('answers with the reasons when nothing is callable, counted as the cases stand', async () => {
    const windows = { ganztags: ['00:00', '24:00'], abends: ['17:00', '20:00'] };
    const clientId = await createClient(t, admin, { ...fastRules, windows, retryDelaySeconds: 3600 });
    await seedList(t, clientId, [{}, {}, {}, { language: 'fr' }, { language: 'fr' }]);
    const { cookie } = await t.userSession('agent', [clientId]);
    const bodies = [
      { outcome: 'not_reached' },
      { outcome: 'not_reached' },
      { outcome: 'callback', callback: { window: 'abends' } },
    ];
    for (const body of bodies) {
      const a = await next(t, cookie);
      expect((await postOutcome(t, cookie, a.assignment.id, body)).status).toBe(202);
      await attemptsRecorded(t, a.case.id, 1);
    }
    const empty = await next(t, cookie);
    expect(empty.assignment).toBeNull();
    expect(empty.waiting).toEqual({
      retryDelay: 2,
      callbackWindow: 1,
      language: 2, // the French-speaking customers: this agent speaks German only
      callingHours: 0,
      holiday: 0,
      perDayCap: 0,
      preferredWindow: 0,
      personalCallback: 0,
      listPaused: 0,
    });
    // Day-part rotation moves the retries from "ganztags" (10:00) into "abends" as well.
    expect(empty.nextDueAt).toBe(new Date('2026-11-25T17:00:00+01:00').toISOString());
    const bilingual = await t.userSession('agent', [clientId], { languages: ['de', 'fr'] });
    expect((await next(t, bilingual.cookie)).case.language).toBe('fr');
  });
});
