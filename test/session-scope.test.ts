import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../src/clock.js';
import { resolveSession, SESSION_TRUST_MS } from '../src/auth/sessions.js';
import { assignments, sessions } from '../src/db/schema.js';
import { createTestContext, type TestContext } from './helpers/context.js';
import { createClient, fastRules, next, useFakeDate } from './helpers/dispatch.js';
import { seedList } from './helpers/seed.js';

let t: TestContext;
let admin: string;

beforeAll(async () => {
  useFakeDate('2026-11-25T10:00:00+01:00');
  t = await createTestContext({ LOCK_SECONDS: '30' }, { clock: systemClock });
  admin = (await t.userSession('admin')).cookie;
  await t.runWorkers();
});
afterAll(() => t.close());

describe('a held case of a client taken from the agent', () => {
  it('is no longer shown or extended: the assignment ends and the case goes back to its queue, no attempt counted', async () => {
    const a = await createClient(t, admin, fastRules);
    const b = await createClient(t, admin, fastRules);
    const { cases: [caseA] } = await seedList(t, a, 1);
    const { cookie, user } = await t.userSession('agent', [a, b]);
    const held = await next(t, cookie);
    expect(held.case.id).toBe(caseA!.id);

    // The admin takes client A away; the agent's session now sees only B.
    expect((await t.request('PATCH', `/api/users/${user.id}`, { cookie: admin, body: { clientIds: [b] } })).status).toBe(200);
    const beat = await t.request('POST', `/api/agent/assignments/${held.assignment.id}/heartbeat`, { cookie });
    expect([beat.status, beat.body.error.code]).toEqual([403, 'client_not_assigned']);
    expect(JSON.stringify(beat.body)).not.toContain(held.case.name);
    const [row] = await t.db.select().from(assignments).where(eq(assignments.id, held.assignment.id));
    expect(row).toMatchObject({ endReason: 'dropped' });
    for (const action of ['heartbeat', 'outcome', 'release']) {
      const res = await t.request('POST', `/api/agent/assignments/${held.assignment.id}/${action}`, { cookie, body: action === 'outcome' ? { outcome: 'paid' } : undefined });
      expect(res.status).toBe(409);
    }
    // Nothing of A for this agent any more; another agent of A gets the case, attempt 1.
    expect((await next(t, cookie)).assignment).toBeNull();
    const other = await t.userSession('agent', [a]);
    expect((await next(t, other.cookie)).case).toMatchObject({ id: caseA!.id, attemptNo: 1 });
  });

  it('next does not return it either', async () => {
    const a = await createClient(t, admin, fastRules);
    const { cases: [caseA] } = await seedList(t, a, 1);
    const { cookie, user } = await t.userSession('agent', [a]);
    await next(t, cookie);
    expect((await t.request('PATCH', `/api/users/${user.id}`, { cookie: admin, body: { clientIds: [] } })).status).toBe(200);
    const again = await next(t, cookie);
    expect(again.assignment).toBeNull();
    const other = await t.userSession('agent', [a]);
    expect((await next(t, other.cookie)).case.id).toBe(caseA!.id);
  });
});

describe('login', () => {
  it('ends the session the browser carried before', async () => {
    const first = await t.userSession('lead');
    const second = await t.userSession('agent');
    const res = await t.request('POST', '/api/session', { cookie: first.cookie, body: { username: second.user.username, password: 'correct horse battery' } });
    expect(res.status).toBe(200);
    expect((await t.request('GET', '/api/me', { cookie: first.cookie })).status).toBe(401);
  });
});

describe('a session read by this process', () => {
  it('is trusted for SESSION_TRUST_MS, then read again: a change made through another process counts from then on', async () => {
    const { cookie, user } = await t.userSession('agent');
    const token = cookie.split('=')[1]!.split(';')[0]!;
    const at = Date.now();
    expect(await resolveSession(t.db, token, new Date(at), 12)).toMatchObject({ id: user.id });
    // Another API process logs the session out: this one's copy holds until it is due again.
    await t.db.delete(sessions).where(eq(sessions.userId, user.id));
    expect(await resolveSession(t.db, token, new Date(at + SESSION_TRUST_MS - 1), 12)).toMatchObject({ id: user.id });
    expect(await resolveSession(t.db, token, new Date(at + SESSION_TRUST_MS), 12)).toBeNull();
  });
});
