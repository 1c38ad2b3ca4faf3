import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../src/clock.js';
import { createTestContext, type TestContext } from './helpers/context.js';
import { attemptsRecorded, createClient, fastRules, next, postOutcome, setTime, useFakeDate } from './helpers/dispatch.js';
import { seedList } from './helpers/seed.js';
import { cases } from '../src/db/schema.js';
import { eq } from 'drizzle-orm';

let t: TestContext;
beforeAll(async () => {
  useFakeDate('2026-11-25T10:00:00+01:00');
  t = await createTestContext({}, { clock: systemClock });
  await t.runWorkers();
});
afterAll(() => t.close());

describe('GET /api/lists/:id/progress', () => {
  it('outside the calling hours says the due cases wait for them, and until when', async () => {
    const admin = await t.userSession('admin');
    const clientId = await createClient(t, admin.cookie, { holidays: null }); // the default hours: Wednesday until 20:00
    const { listId } = await seedList(t, clientId, 2);
    const lead = await t.userSession('lead', [clientId]);
    const progress = async () => (await t.request('GET', `/api/lists/${listId}/progress`, { cookie: lead.cookie })).body;
    try {
      setTime('2026-11-25T21:00:00+01:00');
      expect(await progress()).toMatchObject({ callingHoursNow: false, callingResumesAt: new Date('2026-11-26T08:00:00+01:00').toISOString() });
      setTime('2026-11-25T10:00:00+01:00');
      expect(await progress()).toMatchObject({ callingHoursNow: true, callingResumesAt: null });
    } finally {
      setTime('2026-11-25T10:00:00+01:00');
    }
  });

  it('counts the client\'s own holiday as calling time: its customers elsewhere are called', async () => {
    const admin = await t.userSession('admin');
    const clientId = await createClient(t, admin.cookie, { holidays: { country: 'DE', state: 'BY' } });
    const { listId } = await seedList(t, clientId, 1);
    const lead = await t.userSession('lead', [clientId]);
    try {
      setTime('2026-01-06T10:00:00+01:00'); // Epiphany, a Tuesday: a holiday in Bavaria, not in Cologne
      expect((await t.request('GET', `/api/lists/${listId}/progress`, { cookie: lead.cookie })).body).toMatchObject({ callingHoursNow: true, callingResumesAt: null });
    } finally {
      setTime('2026-11-25T10:00:00+01:00');
    }
  });

  it('says when the client is paused, and foresees no end while it is', async () => {
    const admin = await t.userSession('admin');
    const clientId = await createClient(t, admin.cookie, { ...fastRules, retryDelaySeconds: 3600 });
    const { listId } = await seedList(t, clientId, 3);
    const lead = await t.userSession('lead', [clientId]);
    const agent = await t.userSession('agent', [clientId]);
    const a = await next(t, agent.cookie);
    await postOutcome(t, agent.cookie, a.assignment.id, { outcome: 'paid' });
    await attemptsRecorded(t, a.case.id, 1);
    const progress = async () => (await t.request('GET', `/api/lists/${listId}/progress`, { cookie: lead.cookie })).body;
    expect(await progress()).toMatchObject({ clientActive: true, callableNow: 2, etaAt: expect.any(String) });
    expect((await t.request('PATCH', `/api/clients/${clientId}`, { cookie: admin.cookie, body: { active: false } })).status).toBe(200);
    expect(await progress()).toMatchObject({ clientActive: false, callableNow: 2, etaAt: null });
  });

  it('counts cases by state, outcome and attempts, names who is in a call, and estimates the end', async () => {
    const admin = await t.userSession('admin');
    const clientId = await createClient(t, admin.cookie, { ...fastRules, retryDelaySeconds: 3600 });
    const { listId } = await seedList(t, clientId, [{ amountCents: 4_000_00 }, { amountCents: 3_000_00 }, { amountCents: 2_000_00 }, { amountCents: 1_000_00 }]);
    const lead = await t.userSession('lead', [clientId]);
    const agent = await t.userSession('agent', [clientId]);
    for (const outcome of ['paid', 'not_reached']) {
      const a = await next(t, agent.cookie);
      await postOutcome(t, agent.cookie, a.assignment.id, { outcome });
      await attemptsRecorded(t, a.case.id, 1);
    }
    const held = await next(t, agent.cookie);

    const res = await t.request('GET', `/api/lists/${listId}/progress`, { cookie: lead.cookie });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      total: 4,
      closed: 1,
      inCall: 1,
      scheduled: 1,
      callableNow: 1,
      byOutcome: { paid: 1 },
      attemptsHistogram: { '0': 2, '1': 2 },
      inCallBy: [{ agent: agent.user.displayName, caseId: held.case.id }],
      throughputLastHour: 2,
    });
    const dueIn = Date.parse(res.body.nextDueAt) - Date.now();
    expect(dueIn).toBeGreaterThan(3_500_000);
    expect(dueIn).toBeLessThanOrEqual(3_600_000);
    expect(Date.parse(res.body.etaAt)).toBeGreaterThan(Date.now());

    const foreign = await t.userSession('lead');
    expect((await t.request('GET', `/api/lists/${listId}/progress`, { cookie: foreign.cookie })).status).toBe(403);
  });

  it('never counts a held case twice, also when it closed or moved after the lead’s view named who holds it', async () => {
    const admin = await t.userSession('admin');
    const clientId = await createClient(t, admin.cookie, { ...fastRules });
    const { listId } = await seedList(t, clientId, [{ amountCents: 4_000_00 }, { amountCents: 3_000_00 }, { amountCents: 2_000_00 }]);
    const lead = await t.userSession('lead', [clientId]);
    const agents = [await t.userSession('agent', [clientId]), await t.userSession('agent', [clientId])];
    const [closing, moving] = [await next(t, agents[0]!.cookie), await next(t, agents[1]!.cookie)];
    // As an outcome recorded meanwhile leaves them: one closed, one due later; both assignments still live.
    await t.db.update(cases).set({ status: 'closed', finalOutcome: 'paid' }).where(eq(cases.id, closing.case.id));
    await t.db.update(cases).set({ nextDueAt: new Date(Date.now() + 3_600_000) }).where(eq(cases.id, moving.case.id));

    const res = await t.request('GET', `/api/lists/${listId}/progress`, { cookie: lead.cookie });
    expect(res.body).toMatchObject({ total: 3, closed: 1, inCall: 2, callableNow: 1, scheduled: 0, byOutcome: { paid: 1 } });
  });
});
