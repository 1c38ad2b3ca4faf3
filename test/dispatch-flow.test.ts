import { and, count, eq, isNull, sql } from 'drizzle-orm';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../src/clock.js';
import { assignments, attempts, cases, clients, dunningLists } from '../src/db/schema.js';
import { createTestContext, type TestContext } from './helpers/context.js';
import { attemptsRecorded, createClient, fastRules, next, postOutcome, setTime, useFakeDate } from './helpers/dispatch.js';
import { eventually } from './helpers/eventually.js';
import { seedList } from './helpers/seed.js';
import { waitingForALock } from './helpers/db.js';

let t: TestContext;
let admin: string;

beforeAll(async () => {
  useFakeDate('2026-11-25T10:00:00+01:00');
  t = await createTestContext({ LOCK_SECONDS: '60' }, { clock: systemClock });
  admin = (await t.userSession('admin')).cookie;
  await t.runWorkers();
});
afterAll(() => t.close());

describe('a whole list', () => {
  it('is worked to the end by several agents: every case closed, attempts counted, max_attempts where due', async () => {
    const clientId = await createClient(t, admin, fastRules);
    const { listId, cases: seeded } = await seedList(t, clientId, 12);
    const agents = await Promise.all([1, 2, 3].map(() => t.userSession('agent', [clientId])));
    // Case i: paid on attempt (i % 4) + 1; 4 means never reached → closes as max_attempts after 3.
    const paidOn = new Map(seeded.map((c, i) => [c.id, (i % 4) + 1]));
    let rounds = 0;
    while (rounds++ < 200) {
      const [list] = await t.db.select().from(dunningLists).where(eq(dunningLists.id, listId));
      if (list!.status === 'completed') break;
      let worked = 0;
      await Promise.all(
        agents.map(async ({ cookie }) => {
          const a = await next(t, cookie);
          if (!a.assignment) return;
          worked++;
          const outcome = a.case.attemptNo === paidOn.get(a.case.id) ? 'paid' : 'not_reached';
          expect((await postOutcome(t, cookie, a.assignment.id, { outcome, rightParty: outcome === 'paid' })).status).toBe(202);
          await attemptsRecorded(t, a.case.id, a.case.attemptNo);
        }),
      );
      if (worked === 0) setTime(Date.now() + 2_000); // past the 1 s retry delay
    }
    const rows = await t.db.select().from(cases).where(eq(cases.listId, listId));
    expect(rows.every((c) => c.status === 'closed')).toBe(true);
    for (const c of rows) {
      const due = paidOn.get(c.id)!;
      if (due <= 3) expect([c.finalOutcome, c.attemptsMade]).toEqual(['paid', due]);
      else expect([c.finalOutcome, c.attemptsMade]).toEqual(['max_attempts', 3]);
      const [n] = await t.db.select({ n: count() }).from(attempts).where(eq(attempts.caseId, c.id));
      expect(n!.n).toBe(c.attemptsMade);
    }
    const [list] = await t.db.select().from(dunningLists).where(eq(dunningLists.id, listId));
    expect(list!.status).toBe('completed');
  }, 60_000);
});

describe('concurrency', () => {
  it('50 agents pulling at once never share a case', async () => {
    const clientId = await createClient(t, admin, fastRules);
    await seedList(t, clientId, 30);
    const agents = await Promise.all(Array.from({ length: 50 }, () => t.userSession('agent', [clientId])));
    const results = await Promise.all(agents.map(({ cookie }) => next(t, cookie)));
    const got = results.filter((r) => r.assignment).map((r) => r.case.id);
    expect(got).toHaveLength(30);
    expect(new Set(got).size).toBe(30);
    const live = await t.db.select({ n: count() }).from(assignments).where(sql`${assignments.endedAt} is null and ${assignments.caseId} in ${got}`);
    expect(live[0]!.n).toBe(30);
    expect(results.filter((r) => !r.assignment).every((r) => r.nextDueAt === null)).toBe(true);
  });

  it('the same outcome posted twice records one attempt', async () => {
    const clientId = await createClient(t, admin, fastRules);
    await seedList(t, clientId, 1);
    const { cookie } = await t.userSession('agent', [clientId]);
    const a = await next(t, cookie);
    const body = { outcome: 'not_reached', note: 'Mailbox' };
    const [r1, r2] = await Promise.all([postOutcome(t, cookie, a.assignment.id, body), postOutcome(t, cookie, a.assignment.id, body)]);
    expect([r1.status, r2.status].sort()).toEqual([202, 409]);
    const again = await postOutcome(t, cookie, a.assignment.id, body);
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('assignment_ended');
    await attemptsRecorded(t, a.case.id, 1);
    const rows = await t.db.select().from(attempts).where(eq(attempts.caseId, a.case.id));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ attemptNo: 1, outcome: 'not_reached', note: 'Mailbox' });
  });

  it('an outcome whose assignment is given back between its read and its claim is answered with the real end, not as saved', async () => {
    const clientId = await createClient(t, admin, fastRules);
    await seedList(t, clientId, 1);
    const { cookie } = await t.userSession('agent', [clientId]);
    const a = await next(t, cookie);
    // A lead's edit during the call: the outcome takes the full path (read, then claim).
    await t.db.update(cases).set({ name: sql`${cases.name}` }).where(eq(cases.id, a.case.id));
    // The assignment row held, then ended as released, as a release from another tab would.
    const res = await whileRowHeld('assignments', a.assignment.id, () => postOutcome(t, cookie, a.assignment.id, { outcome: 'paid' }), {
      beforeRelease: (tx) => tx`update assignments set ended_at = now(), end_reason = 'released' where id = ${a.assignment.id}`,
    });
    expect(res.status).toBe(409);
    expect(res.body.error).toMatchObject({ code: 'assignment_ended', details: { endReason: 'released' } });
    const [row] = await t.db.select().from(assignments).where(eq(assignments.id, a.assignment.id));
    expect(row).toMatchObject({ endReason: 'released', outcome: null });
  });

  it('a pull whose statement waited past the lock hands nothing out', async () => {
    const clientId = await createClient(t, admin, fastRules);
    const { cases: [seeded] } = await seedList(t, clientId, 1);
    const { cookie } = await t.userSession('agent', [clientId]);
    await expectNothingHandedOutPastTheLock(seeded!.id, cookie);
  });

  it('a pull that ends an expired holder and whose insert then waited past the lock hands nothing out either', async () => {
    const clientId = await createClient(t, admin, fastRules);
    const { cases: [seeded] } = await seedList(t, clientId, 1);
    const gone = await t.userSession('agent', [clientId]);
    const held = await next(t, gone.cookie);
    // The holder's time is up in PostgreSQL, and its job is back in its queue before the lock
    // watch ended the assignment: the next pull ends it itself, then inserts its own.
    const [row] = await t.db.update(assignments).set({ expiresAt: new Date(Date.now() - 1_000) }).where(eq(assignments.id, held.assignment.id)).returning();
    await (await t.queues.calls(row!.queue).getJob(row!.jobId))!.moveToWait(row!.lockToken);
    const { cookie } = await t.userSession('agent', [clientId]);
    await expectNothingHandedOutPastTheLock(seeded!.id, cookie);
  });

  it("an outcome is decided on the case and the client's rules as they are when it is posted, not as they were at the pull", async () => {
    const clientId = await createClient(t, admin, fastRules);
    const { cases: seeded } = await seedList(t, clientId, 3);
    const anna = await t.userSession('agent', [clientId]);
    const rules = async (change: (outcomes: Array<Record<string, unknown>>) => Array<Record<string, unknown>>) => {
      const [row] = await t.db.select({ settings: clients.settings }).from(clients).where(eq(clients.id, clientId));
      const settings = row!.settings as unknown as { outcomes: Array<Record<string, unknown>> };
      await t.db.update(clients).set({ settings: { ...settings, outcomes: change(settings.outcomes) } as never }).where(eq(clients.id, clientId));
    };

    // An outcome added during the call is accepted; one removed during the call is refused.
    const first = await next(t, anna.cookie);
    await rules((o) => [...o, { code: 'mailbox', label: 'Mailbox', effect: 'retry' }]);
    expect((await postOutcome(t, anna.cookie, first.assignment.id, { outcome: 'mailbox' })).status).toBe(202);
    const second = await next(t, anna.cookie);
    await rules((o) => o.filter((x) => x.code !== 'dispute'));
    const refused = await postOutcome(t, anna.cookie, second.assignment.id, { outcome: 'dispute' });
    expect(refused.status).toBe(400);
    expect(refused.body.error.message).toMatch(/Unknown outcome "dispute"/);

    // The case edited during the call (its number replaced): the old number is no longer one to record.
    expect((await postOutcome(t, anna.cookie, second.assignment.id, { outcome: 'not_reached' })).status).toBe(202);
    const third = await next(t, anna.cookie);
    const old = third.case.phones[0].e164 as string;
    await t.db.update(cases).set({ phones: sql`jsonb_set(${cases.phones}, '{0,e164}', '"+4972199999999"')` }).where(eq(cases.id, third.case.id));
    const stale = await postOutcome(t, anna.cookie, third.assignment.id, { outcome: 'not_reached', phone: old });
    expect(stale.status).toBe(400);
    expect(stale.body.error.message).toMatch(/is not one of this case's numbers/);
    expect((await postOutcome(t, anna.cookie, third.assignment.id, { outcome: 'not_reached', phone: '+4972199999999' })).status).toBe(202);
    await attemptsRecorded(t, third.case.id, 1);
    expect(seeded.map((c) => c.id)).toContain(third.case.id);
  });

  it("another agent's assignment, an ended one, and bad bodies change nothing", async () => {
    const clientId = await createClient(t, admin, fastRules);
    await seedList(t, clientId, 1);
    const anna = await t.userSession('agent', [clientId]);
    const bert = await t.userSession('agent', [clientId]);
    const a = await next(t, anna.cookie);
    const id = a.assignment.id;
    const foreign = await postOutcome(t, bert.cookie, id, { outcome: 'paid' });
    expect(foreign.status).toBe(409);
    expect(foreign.body.error.code).toBe('not_your_assignment');
    expect((await t.request('POST', `/api/agent/assignments/${id}/heartbeat`, { cookie: bert.cookie })).status).toBe(409);
    const bad = [
      [{ outcome: 'nonsense' }, /Unknown outcome "nonsense"/],
      [{ outcome: 'promise_to_pay' }, /needs "promise"/],
      [{ outcome: 'promise_to_pay', promise: { amountCents: 100, date: '2020-01-01' } }, /lies in the past/],
      [{ outcome: 'callback' }, /needs "callback"/],
      [{ outcome: 'callback', callback: { window: 'nachts' } }, /cannot be scheduled/],
      [{ outcome: 'not_reached', note: 'x'.repeat(2001) }, /2000/],
      [{ outcome: 'not_reached', extra: 1 }, /Invalid request/],
    ] as const;
    for (const [body, message] of bad) {
      const res = await postOutcome(t, anna.cookie, id, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.message).toMatch(message);
    }
    expect(await t.db.select().from(attempts).where(eq(attempts.caseId, a.case.id))).toEqual([]);
    // Still held: the right outcome goes through.
    expect((await postOutcome(t, anna.cookie, id, { outcome: 'paid' })).status).toBe(202);
    await eventually(async () => (await t.db.select().from(cases).where(eq(cases.id, a.case.id)))[0]!.status === 'closed');
  });
});

/**
 * A `next` whose write waits past the job's lock (the case row held, as on a stalled server:
 * the write's foreign-key check waits on it) answers with no assignment and leaves none.
 */
async function expectNothingHandedOutPastTheLock(caseId: string, cookie: string): Promise<void> {
  const res = await whileRowHeld('cases', caseId, () => t.request('POST', '/api/agent/next', { cookie }), {
    meanwhile: () => setTime(Date.now() + (t.config.LOCK_SECONDS + 1) * 1000),
  });
  expect(res.status).toBe(200);
  expect(res.body.assignment).toBeNull();
  const live = await t.db.select().from(assignments).where(and(eq(assignments.caseId, caseId), isNull(assignments.endedAt)));
  expect(live).toEqual([]);
}

/**
 * Sends `request` while another connection holds a row (`FOR UPDATE`), as a stalled server or
 * a concurrent writer would; once the request waits on it, `meanwhile` runs, then the holder
 * runs `beforeRelease` in its transaction and commits. Returns the request's answer.
 */
async function whileRowHeld<T>(
  table: 'cases' | 'assignments',
  id: string,
  request: () => Promise<T>,
  opts: { meanwhile?: () => void; beforeRelease?: (tx: postgres.TransactionSql) => Promise<unknown> } = {},
): Promise<T> {
  const other = postgres(t.config.DATABASE_URL!, { max: 1, onnotice: () => {} });
  let release = () => {};
  try {
    let locked = () => {};
    const isLocked = new Promise<void>((resolve) => (locked = resolve));
    const released = new Promise<void>((resolve) => (release = resolve));
    const holding = other.begin(async (tx) => {
      await tx`select 1 from ${tx(table)} where id = ${id} for update`;
      locked();
      await released;
      await opts.beforeRelease?.(tx);
    });
    await isLocked;
    const pending = request();
    await eventually(() => waitingForALock(t.db), 10_000, `the request waiting on the ${table} row`);
    opts.meanwhile?.();
    release();
    await holding;
    return await pending;
  } finally {
    release(); // also when an expectation failed: the other transaction must end
    await other.end();
  }
}
