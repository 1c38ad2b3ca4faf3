import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../src/clock.js';
import { attempts, auditLog, cases, dials } from '../src/db/schema.js';
import { createTestContext, type TestContext } from './helpers/context.js';
import { attemptsRecorded, createClient, next, postOutcome, setTime, useFakeDate } from './helpers/dispatch.js';
import { seedList } from './helpers/seed.js';

/** Default calling hours and windows (Mon–Fri 08–20, evening 17–20, …), no holidays to keep dates simple. */
const rules = { holidays: null };
const at = (local: string) => `${local}+01:00`; // Europe/Berlin in November

let t: TestContext;
let admin: string;

beforeAll(async () => {
  useFakeDate(at('2026-11-25T10:00:00'));
  t = await createTestContext({ LOCK_SECONDS: '600', SESSION_HOURS: '168' }, { clock: systemClock });
  admin = (await t.userSession('admin')).cookie;
  await t.runWorkers();
});
afterAll(() => t.close());

/** Seeds one case (at 10:00 on Wednesday unless told) and has `agent` record `body` for its first attempt. */
async function firstAttempt(clientId: string, cookie: string, body: Record<string, unknown>, when = '2026-11-25T10:00:00') {
  setTime(at(when));
  const { cases: seeded } = await seedList(t, clientId, 1);
  const a = await next(t, cookie);
  expect(a.case.id).toBe(seeded[0]!.id);
  expect((await postOutcome(t, cookie, a.assignment.id, body)).status).toBe(202);
  await attemptsRecorded(t, a.case.id, 1);
  return a.case.id as string;
}

describe('callback windows', () => {
  it('a callback "evening" asked for at 10:00 is not handed out before 17:00, and is then', async () => {
    const clientId = await createClient(t, admin, rules);
    const { cookie } = await t.userSession('agent', [clientId]);
    const caseId = await firstAttempt(clientId, cookie, { outcome: 'callback', callback: { window: 'evening' }, note: 'abends' });

    setTime(at('2026-11-25T16:59:00'));
    const early = await next(t, cookie);
    expect(early.assignment).toBeNull();
    expect(early.waiting.callbackWindow).toBe(1);
    expect(early.nextDueAt).toBe(new Date(at('2026-11-25T17:00:00')).toISOString());

    setTime(at('2026-11-25T17:00:01'));
    const due = await next(t, cookie);
    expect(due.case).toMatchObject({ id: caseId, attemptNo: 2 });
    const [recorded] = await t.db.select().from(attempts).where(eq(attempts.caseId, caseId));
    const entry = { attemptNo: 1, at: recorded!.recordedAt.toISOString(), agent: expect.stringMatching(/^agent-/), outcome: 'callback', rightParty: null, note: 'abends', phone: recorded!.phoneE164 };
    expect(due.history).toEqual([entry]);
    // Pressed again while held: the same history, read for the held case.
    expect((await next(t, cookie)).history).toEqual([entry]);
  });

  it('a personal callback "evening" agreed at 17:30 is not handed straight back to its agent, but 30 minutes later', async () => {
    const clientId = await createClient(t, admin, rules);
    const { cookie } = await t.userSession('agent', [clientId]);
    const caseId = await firstAttempt(clientId, cookie, { outcome: 'callback', callback: { window: 'evening', owner: 'me' } }, '2026-11-25T17:30:00');

    // The customer just hung up: the next press must not ring them again.
    const right = await next(t, cookie);
    expect(right.assignment).toBeNull();
    expect(right.waiting.callbackWindow).toBe(1);
    expect(right.nextDueAt.slice(0, 16)).toBe(new Date(at('2026-11-25T18:00:00')).toISOString().slice(0, 16)); // the fake clock ticks

    setTime(at('2026-11-25T18:00:30'));
    expect((await next(t, cookie)).case).toMatchObject({ id: caseId, attemptNo: 2 });
  });

  it('a case pulled after its window closed moves to the next occurrence of that window', async () => {
    const clientId = await createClient(t, admin, rules);
    const { cookie } = await t.userSession('agent', [clientId]);
    const caseId = await firstAttempt(clientId, cookie, { outcome: 'callback', callback: { window: 'midday' } });

    setTime(at('2026-11-25T14:30:00')); // midday is 12–14; nobody called
    const late = await next(t, cookie);
    expect(late.assignment).toBeNull();
    expect(late.nextDueAt).toBe(new Date(at('2026-11-26T12:00:00')).toISOString());
    const [c] = await t.db.select().from(cases).where(eq(cases.id, caseId));
    expect(c!.nextDueAt?.toISOString()).toBe(new Date(at('2026-11-26T12:00:00')).toISOString());
    const blocked = await t.db.select().from(auditLog).where(eq(auditLog.entityId, caseId));
    expect(blocked.map((b) => b.action)).toContain('pull_blocked');

    setTime(at('2026-11-26T12:00:01'));
    expect((await next(t, cookie)).case.id).toBe(caseId);
  });
});

describe('a callback window renamed by the client meanwhile', () => {
  it('moves the case to the next callable time instead of closing it', async () => {
    const clientId = await createClient(t, admin, rules);
    const { cookie } = await t.userSession('agent', [clientId]);
    const caseId = await firstAttempt(clientId, cookie, { outcome: 'callback', callback: { window: 'evening' } });
    const renamed = { morning: ['08:00', '12:00'], midday: ['12:00', '14:00'], afternoon: ['14:00', '17:00'], spaet: ['17:00', '20:00'] };
    expect((await t.request('PATCH', `/api/clients/${clientId}`, { cookie: admin, body: { windows: renamed } })).status).toBe(200);

    setTime(at('2026-11-25T20:30:00')); // nobody called in the evening; calling hours are over
    expect((await next(t, cookie)).assignment).toBeNull();
    const [c] = await t.db.select().from(cases).where(eq(cases.id, caseId));
    expect(c).toMatchObject({ status: 'open', nextDueAt: new Date(at('2026-11-26T08:00:00')) });
  });
});

describe('exact-time callbacks', () => {
  it('a callback for 11:55 pulled at 12:01 is handed out then, not moved to the next morning', async () => {
    const clientId = await createClient(t, admin, rules);
    const { cookie } = await t.userSession('agent', [clientId]);
    const caseId = await firstAttempt(clientId, cookie, { outcome: 'callback', callback: { at: new Date(at('2026-11-25T11:55:00')).toISOString() } });

    setTime(at('2026-11-25T11:54:00'));
    expect((await next(t, cookie)).assignment).toBeNull();
    // The time fell in the morning window (until 12:00): that is no restriction of the customer's.
    setTime(at('2026-11-25T12:01:00'));
    expect((await next(t, cookie)).case).toMatchObject({ id: caseId, attemptNo: 2 });
  });
});

describe('outcomes the calling rules cannot meet are refused, the case stays with the agent', () => {
  it('a callback in the past, a year or more ahead, and a retry with windows the calling hours never meet', async () => {
    const clientId = await createClient(t, admin, rules);
    const { cookie } = await t.userSession('agent', [clientId]);
    setTime(at('2026-11-25T16:00:00'));
    const { cases: seeded } = await seedList(t, clientId, 1);
    const a = await next(t, cookie);
    expect(a.case.id).toBe(seeded[0]!.id);
    const refused = async (body: Record<string, unknown>, cause: string) => {
      const res = await postOutcome(t, cookie, a.assignment.id, body);
      expect(res.status, JSON.stringify(res.body)).toBe(400);
      expect(res.body.error.details).toEqual({ cause });
    };
    // "15:30" typed at 16:00, a mistyped year, yesterday's evening: the customer would be rung again at once.
    await refused({ outcome: 'callback', callback: { at: at('2026-11-25T15:30:00') } }, 'callback_in_past');
    await refused({ outcome: 'callback', callback: { at: at('2025-11-26T10:00:00') } }, 'callback_in_past');
    await refused({ outcome: 'callback', callback: { window: 'evening', date: '2026-11-24' } }, 'callback_in_past');
    // Year 2099: the list would stay open, its result list unsent, until then.
    await refused({ outcome: 'callback', callback: { at: at('2099-11-26T10:00:00') } }, 'callback_too_far');
    await refused({ outcome: 'callback', callback: { window: 'evening', date: '2027-12-01' } }, 'callback_too_far');
    // Sunday mornings only, and no calls on Sundays: the case would close as never callable.
    await refused({ outcome: 'not_reached', preferredWindows: [{ days: ['sun'], from: '10:00', to: '11:00' }] }, 'outside_preferred_windows');

    // A time half a minute ago (the form's round trip) is due now; the case was kept held meanwhile.
    expect((await postOutcome(t, cookie, a.assignment.id, { outcome: 'callback', callback: { at: at('2026-11-25T15:59:30') } })).status).toBe(202);
    await attemptsRecorded(t, a.case.id, 1);
  });
});

describe('a window callback for today', () => {
  it('is refused once today\'s window can no longer be met (over, or ending within the gap after the call), not moved to another day unseen', async () => {
    const clientId = await createClient(t, admin, rules);
    const { cookie } = await t.userSession('agent', [clientId]);
    setTime(at('2026-11-25T19:40:00')); // „abends“ is 17:00–20:00; the gap after a call is 30 minutes
    try {
      const { cases: seeded } = await seedList(t, clientId, 1);
      const a = await next(t, cookie);
      expect(a.case.id).toBe(seeded[0]!.id);
      const today = await postOutcome(t, cookie, a.assignment.id, { outcome: 'callback', callback: { window: 'evening', date: '2026-11-25' } });
      expect([today.status, today.body.error?.details]).toEqual([400, { cause: 'not_on_requested_date' }]);
      // Without a date it is the next evening, as the form says.
      expect((await postOutcome(t, cookie, a.assignment.id, { outcome: 'callback', callback: { window: 'evening' } })).status).toBe(202);
      await attemptsRecorded(t, a.case.id, 1);
    } finally {
      setTime(at('2026-11-25T10:00:00'));
    }
  });
});

describe('another agent\'s personal callback in a language the agent does not speak', () => {
  it('is announced for when it opens to this agent: grace period and then the language fallback', async () => {
    const clientId = await createClient(t, admin, { ...rules, personalCallbackGraceMinutes: 120 }); // prefer, 60 minutes
    const french = await t.userSession('agent', [clientId], { languages: ['fr'] });
    const german = await t.userSession('agent', [clientId], { languages: ['de'] });
    setTime(at('2026-11-25T10:00:00'));
    try {
      const { cases: seeded } = await seedList(t, clientId, [{ language: 'fr' }]);
      const a = await next(t, french.cookie);
      expect(a.case.id).toBe(seeded[0]!.id);
      expect((await postOutcome(t, french.cookie, a.assignment.id, { outcome: 'callback', callback: { at: at('2026-11-25T11:00:00'), owner: 'me' } })).status).toBe(202);
      await attemptsRecorded(t, a.case.id, 1);
      setTime(at('2026-11-25T12:05:00'));
      const empty = await next(t, german.cookie);
      expect(empty.assignment).toBeNull();
      // 11:00 + 120 minutes the French agent's, + 60 minutes for French speakers first.
      expect(empty.nextDueAt).toBe(new Date(at('2026-11-25T14:00:00')).toISOString());
    } finally {
      setTime(at('2026-11-25T10:00:00'));
    }
  });
});

describe('a case given back', () => {
  it('after the phone system dialled it waits the retry delay; undialled it is handed out at once', async () => {
    const clientId = await createClient(t, admin, { ...rules, retryDelaySeconds: 600 });
    const first = await t.userSession('agent', [clientId]);
    const second = await t.userSession('agent', [clientId]);
    const release = (cookie: string, id: string) => t.request('POST', `/api/agent/assignments/${id}/release`, { cookie });
    setTime(at('2026-11-25T10:00:00'));
    const { cases: seeded } = await seedList(t, clientId, 1);

    const undialled = await next(t, first.cookie);
    expect(undialled.case.id).toBe(seeded[0]!.id);
    expect((await release(first.cookie, undialled.assignment.id)).status).toBe(204);
    const dialled = await next(t, second.cookie);
    expect(dialled.case.id).toBe(seeded[0]!.id);

    // The phone system rang the customer for this assignment (click-to-dial records it so).
    await t.db.insert(dials).values({ assignmentId: dialled.assignment.id, agentId: second.user.id, at: new Date(), mode: 'http', result: 'ok', durationMs: 40 });
    expect((await release(second.cookie, dialled.assignment.id)).status).toBe(204);
    // Nobody rings the customer again for the next 10 minutes, and the agent is told why.
    setTime(at('2026-11-25T10:09:00'));
    const held = await next(t, first.cookie);
    expect(held).toMatchObject({ assignment: null, waiting: { retryDelay: 1 } });
    expect(held.nextDueAt.slice(0, 16)).toBe(new Date(at('2026-11-25T10:10:00')).toISOString().slice(0, 16)); // the fake clock ticks
    setTime(at('2026-11-25T10:10:30'));
    expect((await next(t, first.cookie)).case).toMatchObject({ id: seeded[0]!.id, attemptNo: 1 });
  });

  it('after a dial, no other copy of its job rings the customer either (a bilingual postcode: German and French queues)', async () => {
    const clientId = await createClient(t, admin, { ...rules, retryDelaySeconds: 600 });
    const french = await t.userSession('agent', [clientId], { languages: ['fr'] });
    const german = await t.userSession('agent', [clientId], { languages: ['de'] });
    setTime(at('2026-11-25T10:00:00'));
    const { cases: seeded } = await seedList(t, clientId, [{ language: 'de', secondLanguage: 'fr' }]);
    const a = await next(t, french.cookie);
    expect(a.case.id).toBe(seeded[0]!.id);
    await t.db.insert(dials).values({ assignmentId: a.assignment.id, agentId: french.user.id, at: new Date(), mode: 'http', result: 'timeout', durationMs: 3000 });
    expect((await t.request('POST', `/api/agent/assignments/${a.assignment.id}/release`, { cookie: french.cookie })).status).toBe(204);
    setTime(at('2026-11-25T10:01:00'));
    expect((await next(t, german.cookie)).assignment).toBeNull();
    setTime(at('2026-11-25T10:10:30'));
    expect((await next(t, german.cookie)).case).toMatchObject({ id: seeded[0]!.id, attemptNo: 1 });
  });
});

describe('first calls', () => {
  it('a case nobody reached before calling hours ended is handed out the next morning', async () => {
    const clientId = await createClient(t, admin, rules);
    const { cookie } = await t.userSession('agent', [clientId]);
    setTime(at('2026-11-25T19:30:00'));
    const { cases: seeded } = await seedList(t, clientId, 1); // its slot ends at 20:00 today
    setTime(at('2026-11-25T21:00:00'));
    const night = await next(t, cookie);
    expect(night.assignment).toBeNull();
    expect(night.nextDueAt).toBe(new Date(at('2026-11-26T08:00:00')).toISOString());
    setTime(at('2026-11-26T08:30:00'));
    expect((await next(t, cookie)).case).toMatchObject({ id: seeded[0]!.id, attemptNo: 1 });
  });

  it('left over from yesterday and pulled first in the morning, it is handed out in that pull, not moved and audited first', async () => {
    const clientId = await createClient(t, admin, rules);
    const { cookie } = await t.userSession('agent', [clientId]);
    setTime(at('2026-11-25T19:30:00'));
    const { cases: seeded } = await seedList(t, clientId, 1); // its slot ends at 20:00 today; nobody works the night
    setTime(at('2026-11-26T08:30:00'));
    expect((await next(t, cookie)).case).toMatchObject({ id: seeded[0]!.id, attemptNo: 1 });
    expect(await t.db.select().from(auditLog).where(eq(auditLog.entityId, seeded[0]!.id))).toEqual([]);
    const [c] = await t.db.select().from(cases).where(eq(cases.id, seeded[0]!.id));
    expect(c!.waitReason).not.toBe('window_closed');
  });
});

describe('personal callbacks', () => {
  it('go to the agent who promised them first, and to everyone after the grace period', async () => {
    const clientId = await createClient(t, admin, rules);
    const anna = await t.userSession('agent', [clientId]);
    const bert = await t.userSession('agent', [clientId]);
    const callback = { at: at('2026-11-25T11:00:00'), owner: 'me' };
    const first = await firstAttempt(clientId, anna.cookie, { outcome: 'callback', callback });

    setTime(at('2026-11-25T11:00:01'));
    const forBert = await next(t, bert.cookie);
    expect(forBert.assignment).toBeNull();
    expect(forBert.waiting.personalCallback).toBe(1);
    const forAnna = await next(t, anna.cookie);
    expect(forAnna.case).toMatchObject({ id: first, attemptNo: 2 });
    expect((await postOutcome(t, anna.cookie, forAnna.assignment.id, { outcome: 'paid' })).status).toBe(202);
    await attemptsRecorded(t, first, 2);

    // Second case: Carla promises a callback but is not there; after 30 minutes Bert gets it.
    const carla = await t.userSession('agent', [clientId]);
    const second = await firstAttempt(
      clientId,
      carla.cookie,
      { outcome: 'callback', callback: { at: at('2026-11-25T12:00:00'), owner: 'me' } },
      '2026-11-25T11:05:00',
    );
    setTime(at('2026-11-25T12:29:00'));
    expect((await next(t, bert.cookie)).assignment).toBeNull();
    setTime(at('2026-11-25T12:30:01'));
    expect((await next(t, bert.cookie)).case).toMatchObject({ id: second, attemptNo: 2 });
  });

  it("another agent's are theirs only until the grace period ends; then colleagues are told when the case comes", async () => {
    const clientId = await createClient(t, admin, rules);
    const carla = await t.userSession('agent', [clientId]);
    const bert = await t.userSession('agent', [clientId]);
    const minute = (local: string) => new Date(at(local)).toISOString().slice(0, 16); // the fake clock ticks
    // Carla promises "midday" (12–14) and is away all day.
    const caseId = await firstAttempt(clientId, carla.cookie, { outcome: 'callback', callback: { window: 'midday', owner: 'me' } });

    setTime(at('2026-11-25T12:10:00'));
    const during = await next(t, bert.cookie);
    expect(during).toMatchObject({ assignment: null, waiting: { personalCallback: 1, callbackWindow: 0 } });
    expect(during.nextDueAt.slice(0, 16)).toBe(minute('2026-11-25T12:30:00')); // when it opens to Bert

    // Nobody called in the window; the pull moved it to tomorrow's midday.
    setTime(at('2026-11-25T14:30:00'));
    const after = await next(t, bert.cookie);
    expect(after).toMatchObject({ assignment: null, waiting: { personalCallback: 0, callbackWindow: 1 } });
    expect(after.nextDueAt.slice(0, 16)).toBe(minute('2026-11-26T12:00:00'));
    setTime(at('2026-11-26T12:00:30'));
    expect((await next(t, bert.cookie)).case).toMatchObject({ id: caseId, attemptNo: 2 });
  });
});

describe('customer-stated windows', () => {
  it('are respected on every later attempt, the third included', async () => {
    const clientId = await createClient(t, admin, rules);
    const { cookie } = await t.userSession('agent', [clientId]);
    const preferredWindows = [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '17:00', to: '20:00' }];
    const caseId = await firstAttempt(clientId, cookie, { outcome: 'not_reached', preferredWindows });

    setTime(at('2026-11-25T16:00:00'));
    expect((await next(t, cookie)).assignment).toBeNull();
    setTime(at('2026-11-25T17:00:01'));
    const second = await next(t, cookie);
    expect(second.case).toMatchObject({ id: caseId, attemptNo: 2, preferredWindows });
    expect((await postOutcome(t, cookie, second.assignment.id, { outcome: 'not_reached' })).status).toBe(202);
    await attemptsRecorded(t, caseId, 2);

    // Two attempts today (the per-day cap) and the window is evening-only: tomorrow 17:00.
    setTime(at('2026-11-26T10:00:00'));
    const morning = await next(t, cookie);
    expect(morning.assignment).toBeNull();
    expect(morning.nextDueAt).toBe(new Date(at('2026-11-26T17:00:00')).toISOString());
    setTime(at('2026-11-26T17:00:01'));
    expect((await next(t, cookie)).case).toMatchObject({ id: caseId, attemptNo: 3 });
  });
});

describe('the per-day cap', () => {
  it('is checked again at the pull: lowered after a retry was planned for today, the retry waits for another day', async () => {
    const clientId = await createClient(t, admin, { ...rules, maxAttemptsPerDay: 2, retryDelaySeconds: 3600 });
    const { cookie } = await t.userSession('agent', [clientId]);
    const caseId = await firstAttempt(clientId, cookie, { outcome: 'not_reached' });
    const [planned] = await t.db.select().from(cases).where(eq(cases.id, caseId));
    const due = planned!.nextDueAt!;
    expect(due.toISOString().slice(0, 10)).toBe('2026-11-25'); // a second attempt today

    const patched = await t.request('PATCH', `/api/clients/${clientId}`, { cookie: admin, body: { maxAttemptsPerDay: 1 } });
    expect(patched.status).toBe(200);
    setTime(due.getTime() + 1_000);
    const blocked = await next(t, cookie);
    expect(blocked.assignment).toBeNull();
    expect(new Date(blocked.nextDueAt).getTime()).toBeGreaterThanOrEqual(new Date(at('2026-11-26T00:00:00')).getTime());
    const [moved] = await t.db.select().from(cases).where(eq(cases.id, caseId));
    expect(moved!.nextDueAt!.getTime()).toBeGreaterThanOrEqual(new Date(at('2026-11-26T00:00:00')).getTime());
  });
});

describe('do-not-call', () => {
  it('a number added mid-list is never handed out again', async () => {
    const clientId = await createClient(t, admin, rules);
    const { cookie } = await t.userSession('agent', [clientId]);
    setTime(at('2026-11-25T10:00:00'));
    const { cases: seeded } = await seedList(t, clientId, [
      { phoneE164: '+4972199990001', amountCents: 900_00 },
      { phoneE164: '+4972199990002', amountCents: 100_00 },
    ]);
    const patch = await t.request('PATCH', `/api/clients/${clientId}`, { cookie: admin, body: { doNotCall: ['0721 99990001'] } });
    expect(patch.status).toBe(200);
    const a = await next(t, cookie);
    expect(a.case.id).toBe(seeded[1]!.id);
    await postOutcome(t, cookie, a.assignment.id, { outcome: 'paid' });
    await attemptsRecorded(t, a.case.id, 1);
    expect((await next(t, cookie)).assignment).toBeNull();
    const [blocked] = await t.db.select().from(cases).where(eq(cases.id, seeded[0]!.id));
    expect(blocked).toMatchObject({ status: 'closed', finalOutcome: 'do_not_call', attemptsMade: 0 });
  });
});
