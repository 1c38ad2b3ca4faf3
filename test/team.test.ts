import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clients, users } from '../src/db/schema.js';
import { systemClock } from '../src/clock.js';
import { createTestContext, type TestContext } from './helpers/context.js';
import { attemptsRecorded, createClient, fastRules, next, postOutcome } from './helpers/dispatch.js';
import { seedList } from './helpers/seed.js';

/** `GET /api/team`: the lead's live view of the agents of their clients. */
let t: TestContext;
let admin: string;
beforeAll(async () => {
  t = await createTestContext({}, { clock: systemClock });
  admin = (await t.userSession('admin')).cookie;
  await t.runWorkers();
});
afterAll(() => t?.close());

const team = async (cookie: string) => {
  const res = await t.request('GET', '/api/team', { cookie });
  expect(res.status).toBe(200);
  return res.body as Array<Record<string, any>>;
};

describe('the team view', () => {
  it('shows who is in a call (which list, since when), who is logged in, and today\'s figures for the lead\'s clients only', async () => {
    const own = await createClient(t, admin, { ...fastRules, name: 'Stadtwerke Eigen' });
    const foreign = await createClient(t, admin, { ...fastRules, name: 'Fremdwerke' });
    const { listId } = await seedList(t, own, 3);
    await seedList(t, foreign, 1);
    const lead = await t.userSession('lead', [own]);
    const calling = await t.userSession('agent', [own]);
    const waiting = await t.userSession('agent', [own]);
    const elsewhere = await t.userSession('agent', [own, foreign]);
    const stranger = await t.userSession('agent', [foreign]);

    // One promise and one "not reached" recorded today, then a call in progress.
    let held = await next(t, calling.cookie);
    const promiseDate = new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10);
    expect((await postOutcome(t, calling.cookie, held.assignment.id, { outcome: 'promise_to_pay', rightParty: true, promise: { amountCents: 5_000, date: promiseDate } })).status).toBe(202);
    await attemptsRecorded(t, held.case.id, 1);
    held = await next(t, calling.cookie);
    expect((await postOutcome(t, calling.cookie, held.assignment.id, { outcome: 'not_reached' })).status).toBe(202);
    await attemptsRecorded(t, held.case.id, 1);
    held = await next(t, calling.cookie);
    expect(held.case.listId).toBe(listId);
    // The agent of both clients holds the foreign client's case: in a call, the case not shown.
    // (the own client paused, so that this agent's next case is the foreign client's)
    await t.db.update(clients).set({ active: false }).where(eq(clients.id, own));
    const foreignCall = await next(t, elsewhere.cookie);
    expect(foreignCall.case.clientId).toBe(foreign);

    // At work: asked for a case a moment ago (as `next` records it).
    await t.db.update(users).set({ lastActiveAt: new Date() }).where(eq(users.id, waiting.user.id));
    // The agent of both clients records the foreign case: not in the lead's figures, in the admin's.
    expect((await postOutcome(t, elsewhere.cookie, foreignCall.assignment.id, { outcome: 'paid', rightParty: true })).status).toBe(202);
    await attemptsRecorded(t, foreignCall.case.id, 1);

    const rows = await team(lead.cookie);
    const byId = new Map(rows.map((r) => [r.id, r]));
    expect(byId.has(stranger.user.id)).toBe(false);
    expect(byId.get(calling.user.id)).toMatchObject({
      state: 'in_call',
      call: { assignmentId: held.assignment.id, clientName: 'Stadtwerke Eigen', listId, listName: 'Testliste' },
      today: { attempts: 2, reached: 1, rightParty: 1, promises: 1 },
    });
    expect(byId.get(calling.user.id)!.today.lastAt).toEqual(expect.any(String));
    expect(byId.get(waiting.user.id)).toMatchObject({ state: 'at_work', call: null, today: { attempts: 0, reached: 0, rightParty: 0, promises: 0, lastAt: null } });
    // Logged in and active, between calls; nothing for the lead's clients today.
    expect(byId.get(elsewhere.user.id)).toMatchObject({ state: 'at_work', call: null, today: { attempts: 0 } });
    // In a call first.
    expect(rows.map((r) => r.state)).toEqual(['in_call', 'at_work', 'at_work']);

    // An admin sees every agent and every client's figures.
    const all = new Map((await team(admin)).map((r) => [r.id, r]));
    expect(all.get(elsewhere.user.id)!.today).toMatchObject({ attempts: 1, reached: 1, rightParty: 1 });
    expect(all.get(calling.user.id)!.call).toMatchObject({ clientName: 'Stadtwerke Eigen' });
    expect(all.has(stranger.user.id)).toBe(false); // never active, nothing today
  });

  it('shows an agent who called today but left (logged out, or silent for an hour) as away; a foreign client\'s call unnamed', async () => {
    const own = await createClient(t, admin, fastRules);
    const foreign = await createClient(t, admin, { ...fastRules, name: 'Fremdwerke' });
    await seedList(t, own, 2);
    await seedList(t, foreign, 1);
    const lead = await t.userSession('lead', [own]);
    const left = await t.userSession('agent', [own]);
    const both = await t.userSession('agent', [own, foreign]);
    const held = await next(t, left.cookie);
    expect((await postOutcome(t, left.cookie, held.assignment.id, { outcome: 'not_reached' })).status).toBe(202);
    await attemptsRecorded(t, held.case.id, 1);
    await t.db.update(users).set({ lastActiveAt: new Date(Date.now() - 2 * 3_600_000) }).where(eq(users.id, left.user.id));
    await t.db.update(clients).set({ active: false }).where(eq(clients.id, own));
    const foreignCall = await next(t, both.cookie);
    expect(foreignCall.case.clientId).toBe(foreign);

    const byId = new Map((await team(lead.cookie)).map((r) => [r.id, r]));
    expect(byId.get(left.user.id)).toMatchObject({ state: 'away', call: null, today: { attempts: 1, reached: 0 } });
    expect(byId.get(both.user.id)).toMatchObject({ state: 'in_call', call: null });
    expect(JSON.stringify(byId.get(both.user.id))).not.toContain('Fremdwerke');
  });

  it('shows an agent waiting on an empty queue, whose screen says they are there, as at work; only agents say so', async () => {
    const clientId = await createClient(t, admin, fastRules);
    const lead = await t.userSession('lead', [clientId]);
    const waiting = await t.userSession('agent', [clientId]);
    await t.db.update(users).set({ lastActiveAt: new Date(Date.now() - 2 * 3_600_000) }).where(eq(users.id, waiting.user.id));
    const stateOf = async () => (await team(lead.cookie)).find((r) => r.id === waiting.user.id)?.state;
    expect(await stateOf()).toBeUndefined(); // silent for an hour, no call today: not listed

    const res = await t.request('POST', '/api/agent/presence', { cookie: waiting.cookie });
    expect(res.status).toBe(204);
    expect(await stateOf()).toBe('at_work');
    expect((await t.request('POST', '/api/agent/presence', { cookie: lead.cookie })).status).toBe(403);
    expect((await t.request('POST', '/api/agent/presence')).status).toBe(401);
  });

  it('leaves out agents who are neither logged in nor called today, and is for leads and admins only', async () => {
    const clientId = await createClient(t, admin, fastRules);
    const lead = await t.userSession('lead', [clientId]);
    const gone = await t.userSession('agent', [clientId]);
    expect((await t.request('DELETE', '/api/session', { cookie: gone.cookie })).status).toBeLessThan(300);
    expect((await team(lead.cookie)).some((r) => r.id === gone.user.id)).toBe(false);
    const agent = await t.userSession('agent', [clientId]);
    expect((await t.request('GET', '/api/team', { cookie: agent.cookie })).status).toBe(403);
    expect((await t.request('GET', '/api/team')).status).toBe(401);
  });
});
