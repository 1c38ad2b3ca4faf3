import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from './helpers/context.js';

let t: TestContext;
let admin: string;
let adminId: string;
beforeAll(async () => {
  t = await createTestContext();
  const session = await t.userSession('admin');
  [admin, adminId] = [session.cookie, session.user.id];
});
afterAll(() => t.close());

describe('users API', () => {
  it('creates a user with scope and languages, and the user can log in', async () => {
    const client = await t.request('POST', '/api/clients', { cookie: admin, body: { code: 'U1', name: 'Client U1' } });
    const res = await t.request('POST', '/api/users', {
      cookie: admin,
      body: { username: 'anna', password: 'anna-password', displayName: 'Anna', role: 'agent', clientIds: [client.body.id], languages: ['de', 'fr'] },
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ username: 'anna', role: 'agent', clientIds: [client.body.id], languages: ['de', 'fr'], active: true });
    expect(res.body).not.toHaveProperty('password');
    expect(res.body).not.toHaveProperty('passwordHash');
    const cookie = await t.login('anna', 'anna-password');
    expect((await t.request('GET', '/api/me', { cookie })).body.clientIds).toEqual([client.body.id]);
  });

  it('refuses a taken username (any case), an unknown client and a short password', async () => {
    const base = { password: 'long-password', displayName: 'B', role: 'agent' };
    expect((await t.request('POST', '/api/users', { cookie: admin, body: { ...base, username: 'bert' } })).status).toBe(201);
    const taken = await t.request('POST', '/api/users', { cookie: admin, body: { ...base, username: 'BERT' } });
    expect(taken.status).toBe(409);
    expect(taken.body.error.code).toBe('username_taken');
    const unknown = await t.request('POST', '/api/users', {
      cookie: admin,
      body: { ...base, username: 'carl', clientIds: ['00000000-0000-4000-8000-000000000000'] },
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.message).toMatch(/Unknown client ids/);
    // A misspelt field is refused, not dropped: an agent created without clients would never get a case.
    const typo = await t.request('POST', '/api/users', { cookie: admin, body: { ...base, username: 'emil', clientIDs: [] } });
    expect([typo.status, typo.body.error.code]).toEqual([400, 'validation']);
    const short = await t.request('POST', '/api/users', { cookie: admin, body: { ...base, username: 'dora', password: 'short' } });
    expect(short.status).toBe(400);
    expect(short.body.error.details[0]).toEqual({ path: 'password', message: 'at least 10 characters' });
    const users = await t.request('GET', '/api/users', { cookie: admin });
    expect(users.body.map((u: { username: string }) => u.username)).not.toContain('carl');
  });

  it('changes a password: the old one stops working', async () => {
    const { user } = await t.userSession('agent');
    const res = await t.request('PATCH', `/api/users/${user.id}`, { cookie: admin, body: { password: 'brand-new-password' } });
    expect(res.status).toBe(200);
    await expect(t.login(user.username, 'correct horse battery')).rejects.toThrow(/401/);
    expect(await t.login(user.username, 'brand-new-password')).toMatch(/^mahn_session=/);
  });

  it('records in the audit trail who created a user and who changed role, scope, password or access, never the password', async () => {
    const client = await t.request('POST', '/api/clients', { cookie: admin, body: { code: 'AU1', name: 'Audit' } });
    const created = await t.request('POST', '/api/users', { cookie: admin, body: { username: 'audited', password: 'first-password', displayName: 'A', role: 'agent' } });
    const id = created.body.id;
    expect((await t.request('PATCH', `/api/users/${id}`, { cookie: admin, body: { role: 'lead', clientIds: [client.body.id], password: 'second-password', displayName: 'A. B.' } })).status).toBe(200);
    expect((await t.request('PATCH', `/api/users/${id}`, { cookie: admin, body: { active: false } })).status).toBe(200);
    // Nothing changed (the admin screen sends every field again): nothing recorded.
    expect((await t.request('PATCH', `/api/users/${id}`, { cookie: admin, body: { active: false, displayName: 'A. B.', languages: ['de'], extension: null, clientIds: [client.body.id] } })).status).toBe(200);
    const trail = await t.request('GET', '/api/audit?limit=100', { cookie: admin });
    const mine = trail.body.filter((e: { entityId: string }) => e.entityId === id).reverse();
    expect(mine.map((e: { action: string; actor: { id: string }; entityType: string }) => [e.action, e.actor.id, e.entityType])).toEqual([
      ['user.created', adminId, 'user'],
      ['user.changed', adminId, 'user'],
      ['user.changed', adminId, 'user'],
    ]);
    expect(mine.map((e: { details: unknown }) => e.details)).toEqual([
      { username: 'audited', role: 'agent', clientIds: [] },
      { role: { from: 'agent', to: 'lead' }, clientIds: { from: [], to: [client.body.id] }, password: true, fields: ['displayName'] },
      { active: { from: true, to: false } },
    ]);
    expect(JSON.stringify(trail.body)).not.toContain('second-password');
  });

  it('refuses unknown fields and answers 404 for an unknown id', async () => {
    const { user } = await t.userSession('agent');
    const typo = await t.request('PATCH', `/api/users/${user.id}`, { cookie: admin, body: { rolle: 'admin' } });
    expect(typo.status).toBe(400);
    const missing = await t.request('GET', '/api/users/00000000-0000-4000-8000-000000000000', { cookie: admin });
    expect(missing.status).toBe(404);
    const notUuid = await t.request('GET', '/api/users/123', { cookie: admin });
    expect(notUuid.status).toBe(400);
  });

  it('never demotes or deactivates the last active admin: nobody could manage users again', async () => {
    const me = adminId;
    const { user: other, cookie: otherCookie } = await t.userSession('admin');
    const all = (await t.request('GET', '/api/users', { cookie: admin })).body as Array<{ id: string; role: string; active: boolean }>;
    // Every other admin steps down: allowed while one is left.
    for (const u of all.filter((u) => u.role === 'admin' && u.active && u.id !== me)) {
      expect((await t.request('PATCH', `/api/users/${u.id}`, { cookie: admin, body: u.id === other.id ? { role: 'lead' } : { active: false } })).status).toBe(200);
    }
    for (const body of [{ role: 'lead' }, { active: false }, { role: 'agent', active: false }]) {
      const res = await t.request('PATCH', `/api/users/${me}`, { cookie: admin, body });
      expect(res.status, JSON.stringify(body)).toBe(409);
      expect(res.body.error.code).toBe('last_admin');
    }
    expect((await t.request('GET', '/api/users', { cookie: admin })).status).toBe(200); // still an admin
    // Another admin again.
    expect((await t.request('PATCH', `/api/users/${other.id}`, { cookie: admin, body: { role: 'admin' } })).status).toBe(200);
    // The two demote each other at the same moment: one wins; the other is the last admin (409) or,
    // checked after the first committed, no admin any more (403) — never both, never a 500.
    for (let round = 0; round < 5; round++) {
      const [mine, theirs] = await Promise.all([
        t.request('PATCH', `/api/users/${other.id}`, { cookie: admin, body: { role: 'lead' } }),
        t.request('PATCH', `/api/users/${me}`, { cookie: otherCookie, body: { role: 'lead' } }),
      ]);
      const [won, lost] = [mine.status, theirs.status].sort();
      expect(won, JSON.stringify([mine.body, theirs.body])).toBe(200);
      expect([403, 409], JSON.stringify([mine.body, theirs.body])).toContain(lost);
      // The one still admin makes the other admin again.
      if (mine.status === 200) expect((await t.request('PATCH', `/api/users/${other.id}`, { cookie: admin, body: { role: 'admin' } })).status).toBe(200);
      else expect((await t.request('PATCH', `/api/users/${me}`, { cookie: otherCookie, body: { role: 'admin' } })).status).toBe(200);
    }
  });
});

describe('clients API', () => {
  it('lets only admins say where result lists are mailed, and records each change', async () => {
    const created = await t.request('POST', '/api/clients', { cookie: admin, body: { code: 'RE1', name: 'Ziel', resultEmail: 'alt@ziel.example' } });
    const lead = (await t.userSession('lead', [created.body.id])).cookie;
    const redirect = await t.request('PATCH', `/api/clients/${created.body.id}`, { cookie: lead, body: { resultEmail: 'angreifer@example.com' } });
    expect([redirect.status, redirect.body.error.code]).toEqual([403, 'forbidden']);
    // The same address again (a form sending all it shows) is no change.
    expect((await t.request('PATCH', `/api/clients/${created.body.id}`, { cookie: lead, body: { resultEmail: 'alt@ziel.example', name: 'Ziel GmbH' } })).status).toBe(200);
    expect((await t.request('POST', '/api/clients', { cookie: lead, body: { code: 'RE2', name: 'Neu', resultEmail: 'x@y.example' } })).status).toBe(403);
    expect((await t.request('PATCH', `/api/clients/${created.body.id}`, { cookie: admin, body: { resultEmail: 'neu@ziel.example' } })).status).toBe(200);
    const trail = await t.request('GET', '/api/audit?limit=50', { cookie: admin });
    const changes = trail.body.filter((e: { action: string; entityId: string }) => e.action === 'client.resultEmail' && e.entityId === created.body.id);
    expect(changes.map((e: { details: unknown }) => e.details)).toEqual([{ from: 'alt@ziel.example', to: 'neu@ziel.example' }, { from: null, to: 'alt@ziel.example' }]);
  });

  it('creates a client with the defaults of DESIGN.md sections 5 and 6', async () => {
    const res = await t.request('POST', '/api/clients', {
      cookie: admin,
      body: { code: 'SWM', name: 'Stadtwerke Muster', resultEmail: 'forderung@example.de', doNotCall: ['0721 123456'] },
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      code: 'SWM',
      timezone: 'Europe/Berlin',
      maxAttempts: 3,
      maxAttemptsPerDay: 2,
      retryDelaySeconds: 7200,
      personalCallbackGraceMinutes: 30,
      defaultCountry: 'DE',
      doNotCall: ['+49721123456'],
    });
    expect(res.body.windows.evening).toEqual(['17:00', '20:00']);
    expect(res.body.outcomes.map((o: { code: string }) => o.code)).toEqual(
      expect.arrayContaining(['paid', 'promise_to_pay', 'dispute', 'wrong_number', 'refused', 'not_reached', 'callback']),
    );
  });

  it('PATCH changes only what it names and validates the merged settings', async () => {
    const created = await t.request('POST', '/api/clients', { cookie: admin, body: { code: 'P1', name: 'Patch', maxAttempts: 5 } });
    const res = await t.request('PATCH', `/api/clients/${created.body.id}`, { cookie: admin, body: { retryDelaySeconds: 30 } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ maxAttempts: 5, retryDelaySeconds: 30, name: 'Patch' });
    const bad = await t.request('PATCH', `/api/clients/${created.body.id}`, { cookie: admin, body: { maxAttempts: 0 } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0].path).toBe('maxAttempts');
    expect((await t.request('GET', `/api/clients/${created.body.id}`, { cookie: admin })).body.maxAttempts).toBe(5);
  });

  it('PATCH of some days of the calling hours keeps the others as the client had them, not the defaults', async () => {
    const short = Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri'].map((d) => [d, [['09:00', '18:00']]]));
    const created = await t.request('POST', '/api/clients', { cookie: admin, body: { code: 'P2', name: 'Kurz', callingHours: short, windows: { tag: ['09:00', '18:00'] } } });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const res = await t.request('PATCH', `/api/clients/${created.body.id}`, { cookie: admin, body: { callingHours: { sat: [] } } });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.callingHours).toEqual({ ...short, sat: [], sun: [] });
    const unknown = await t.request('PATCH', `/api/clients/${created.body.id}`, { cookie: admin, body: { callingHours: { monday: [] } } });
    expect([unknown.status, unknown.body.error.details[0].message]).toEqual([400, 'unknown day "monday"; days are mon, tue, wed, thu, fri, sat, sun']);
  });

  it('refuses a duplicate code, a bad e-mail and an invalid do-not-call number', async () => {
    await t.request('POST', '/api/clients', { cookie: admin, body: { code: 'DUP', name: 'One' } });
    expect((await t.request('POST', '/api/clients', { cookie: admin, body: { code: 'DUP', name: 'Two' } })).status).toBe(409);
    const mail = await t.request('POST', '/api/clients', { cookie: admin, body: { code: 'M1', name: 'M', resultEmail: 'nope' } });
    expect(mail.status).toBe(400);
    const dnc = await t.request('POST', '/api/clients', { cookie: admin, body: { code: 'D1', name: 'D', doNotCall: ['12'] } });
    expect(dnc.status).toBe(400);
    const list = await t.request('GET', '/api/clients', { cookie: admin });
    expect(list.body.map((c: { code: string }) => c.code)).not.toContain('D1');
  });

  it('two renames to the same code at once: one wins, the other gets 409, never 500', async () => {
    for (let round = 0; round < 5; round++) {
      const ids: string[] = [];
      for (const n of [1, 2]) ids.push((await t.request('POST', '/api/clients', { cookie: admin, body: { code: `R${round}-${n}`, name: 'Rename' } })).body.id);
      const results = await Promise.all(ids.map((id) => t.request('PATCH', `/api/clients/${id}`, { cookie: admin, body: { code: `SAME${round}` } })));
      expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    }
  });

  it('a lead sees only the clients assigned to them, including the ones they create', async () => {
    const { cookie } = await t.userSession('lead');
    expect((await t.request('GET', '/api/clients', { cookie })).body).toEqual([]);
    const own = await t.request('POST', '/api/clients', { cookie, body: { code: 'LEAD1', name: 'Lead client' } });
    expect(own.status).toBe(201);
    const list = await t.request('GET', '/api/clients', { cookie });
    expect(list.body.map((c: { code: string }) => c.code)).toEqual(['LEAD1']);
  });
});
