import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from './helpers/context.js';

/**
 * Every endpoint × every role × own/foreign client → the expected status.
 * The lead and the agent work for client A only; B is foreign to them. Add a row per endpoint.
 */
type Who = 'anon' | 'agent' | 'lead' | 'admin';
interface Fixture {
  own: string;
  foreign: string;
  someUser: string;
}
interface Row {
  name: string;
  method: string;
  path: (f: Fixture) => string;
  body?: () => unknown;
  expect: Record<Who, number>;
}

const allowAll = { anon: 401, agent: 200, lead: 200, admin: 200 };
const adminOnly = (ok: number) => ({ anon: 401, agent: 403, lead: 403, admin: ok });
const leadsOnly = (ok: number) => ({ anon: 401, agent: 403, lead: ok, admin: ok });
const leadsForeign = (ok: number) => ({ anon: 401, agent: 403, lead: 403, admin: ok });
const uniq = () => randomUUID().slice(0, 8);
/** A CSV upload with no header row in it: refused after the scope check, nothing stored. */
const notAList = () => {
  const form = new FormData();
  form.append('file', new Blob(['nur ein Satz\n'], { type: 'text/csv' }), 'liste.csv');
  return form;
};

const rows: Row[] = [
  { name: 'me', method: 'GET', path: () => '/api/me', expect: allowAll },
  { name: 'list users', method: 'GET', path: () => '/api/users', expect: adminOnly(200) },
  { name: 'get user', method: 'GET', path: (f) => `/api/users/${f.someUser}`, expect: adminOnly(200) },
  {
    name: 'create user',
    method: 'POST',
    path: () => '/api/users',
    body: () => ({ username: `u${uniq()}`, password: 'long-enough-pw', displayName: 'U', role: 'agent' }),
    expect: adminOnly(201),
  },
  { name: 'patch user', method: 'PATCH', path: (f) => `/api/users/${f.someUser}`, body: () => ({ displayName: 'X' }), expect: adminOnly(200) },
  { name: 'list clients', method: 'GET', path: () => '/api/clients', expect: leadsOnly(200) },
  { name: 'create client', method: 'POST', path: () => '/api/clients', body: () => ({ code: `C${uniq()}`, name: 'N' }), expect: leadsOnly(201) },
  { name: 'get own client', method: 'GET', path: (f) => `/api/clients/${f.own}`, expect: leadsOnly(200) },
  { name: 'get foreign client', method: 'GET', path: (f) => `/api/clients/${f.foreign}`, expect: leadsForeign(200) },
  { name: 'patch own client', method: 'PATCH', path: (f) => `/api/clients/${f.own}`, body: () => ({ name: 'Renamed' }), expect: leadsOnly(200) },
  { name: 'patch foreign client', method: 'PATCH', path: (f) => `/api/clients/${f.foreign}`, body: () => ({ name: 'Renamed' }), expect: leadsForeign(200) },
  { name: 'queue board', method: 'GET', path: () => '/admin/queues', expect: { anon: 401, agent: 403, lead: 200, admin: 200 } },
  { name: 'queue board: Redis details', method: 'GET', path: () => '/admin/queues/api/redis/stats', expect: adminOnly(200) },
  // A session is no scraper's token (METRICS_TOKEN is unset here: not there for anyone).
  { name: 'metrics', method: 'GET', path: () => '/metrics', expect: { anon: 404, agent: 404, lead: 404, admin: 404 } },
  { name: 'list lists', method: 'GET', path: () => '/api/lists', expect: leadsOnly(200) },
  { name: 'lists of own client', method: 'GET', path: (f) => `/api/lists?clientId=${f.own}`, expect: leadsOnly(200) },
  { name: 'lists of foreign client', method: 'GET', path: (f) => `/api/lists?clientId=${f.foreign}`, expect: leadsForeign(200) },
  { name: 'get unknown list', method: 'GET', path: () => '/api/lists/00000000-0000-4000-8000-000000000000', expect: leadsOnly(404) },
  { name: 'progress of unknown list', method: 'GET', path: () => '/api/lists/00000000-0000-4000-8000-000000000000/progress', expect: leadsOnly(404) },
  ...['results.xlsx', 'results.csv', 'deliveries'].map((tail) => ({
    name: `${tail} of an unknown list`,
    method: 'GET',
    path: () => `/api/lists/00000000-0000-4000-8000-000000000000/${tail}`,
    expect: leadsOnly(404),
  })),
  { name: 'send the result list of an unknown list', method: 'POST', path: () => '/api/lists/00000000-0000-4000-8000-000000000000/deliveries', body: () => ({}), expect: leadsOnly(404) },
  { name: 'audit trail', method: 'GET', path: () => '/api/audit', expect: adminOnly(200) },
  { name: 'log in with a wrong password', method: 'POST', path: () => '/api/session', body: () => ({ username: `nobody-${uniq()}`, password: 'not the password' }), expect: { anon: 401, agent: 401, lead: 401, admin: 401 } },
  { name: 'reach rates of own client', method: 'GET', path: (f) => `/api/clients/${f.own}/reach-rates`, expect: leadsOnly(200) },
  { name: 'reach rates of foreign client', method: 'GET', path: (f) => `/api/clients/${f.foreign}/reach-rates`, expect: leadsForeign(200) },
  { name: 'upload a file without a list to own client', method: 'POST', path: (f) => `/api/clients/${f.own}/lists`, body: notAList, expect: leadsOnly(422) },
  { name: 'upload a file without a list to foreign client', method: 'POST', path: (f) => `/api/clients/${f.foreign}/lists`, body: notAList, expect: leadsForeign(422) },
  { name: 'cancel an unknown list', method: 'POST', path: () => '/api/lists/00000000-0000-4000-8000-000000000000/cancel', expect: leadsOnly(404) },
  // Scope on a real held case: test/free-assignment.test.ts (a foreign lead's 403).
  { name: 'team view', method: 'GET', path: () => '/api/team', expect: leadsOnly(200) },
  { name: 'pause an unknown list', method: 'POST', path: () => '/api/lists/00000000-0000-4000-8000-000000000000/pause', expect: leadsOnly(404) },
  { name: 'resume an unknown list', method: 'POST', path: () => '/api/lists/00000000-0000-4000-8000-000000000000/resume', expect: leadsOnly(404) },
  { name: 'free an unknown assignment', method: 'POST', path: () => '/api/assignments/00000000-0000-4000-8000-000000000000/free', expect: leadsOnly(404) },
  { name: 'failed jobs', method: 'GET', path: () => '/api/admin/failed-jobs', expect: adminOnly(200) },
  { name: 'LE report, all clients in scope', method: 'GET', path: () => '/api/reports/le?from=2026-11-01&to=2026-11-30', expect: leadsOnly(200) },
  { name: 'LE report of own client', method: 'GET', path: (f) => `/api/reports/le?clientId=${f.own}&from=2026-11-01&to=2026-11-30`, expect: leadsOnly(200) },
  { name: 'LE report of foreign client', method: 'GET', path: (f) => `/api/reports/le?clientId=${f.foreign}&from=2026-11-01&to=2026-11-30`, expect: leadsForeign(200) },
  { name: 'LE report xlsx of own client', method: 'GET', path: (f) => `/api/reports/le.xlsx?clientId=${f.own}&from=2026-11-01&to=2026-11-30`, expect: leadsOnly(200) },
  { name: 'LE report xlsx of foreign client', method: 'GET', path: (f) => `/api/reports/le.xlsx?clientId=${f.foreign}&from=2026-11-01&to=2026-11-30`, expect: leadsForeign(200) },
  { name: 'next call', method: 'POST', path: () => '/api/agent/next', expect: { anon: 401, agent: 200, lead: 403, admin: 403 } },
  { name: 'presence', method: 'POST', path: () => '/api/agent/presence', expect: { anon: 401, agent: 204, lead: 403, admin: 403 } },
  ...(['heartbeat', 'release', 'outcome', 'dial', 'link-dialled'] as const).map((action) => ({
    name: `${action} of an unknown assignment`,
    method: 'POST',
    path: () => `/api/agent/assignments/00000000-0000-4000-8000-000000000000/${action}`,
    body: action === 'outcome' ? () => ({ outcome: 'paid' }) : undefined,
    expect: { anon: 401, agent: 404, lead: 403, admin: 403 },
  })),
];

/** Operations the matrix cannot run per role, with the test that covers them. */
const COVERED_ELSEWHERE: Record<string, string> = {
  'DELETE /api/session': "logging out ends the caller's session, which the other rows use (test/auth.test.ts)",
};

let t: TestContext;
let fixture: Fixture;
const cookies: Partial<Record<Who, string>> = {};

beforeAll(async () => {
  t = await createTestContext();
  const admin = await t.userSession('admin');
  cookies.admin = admin.cookie;
  const a = await t.request('POST', '/api/clients', { cookie: admin.cookie, body: { code: 'A', name: 'Client A' } });
  const b = await t.request('POST', '/api/clients', { cookie: admin.cookie, body: { code: 'B', name: 'Client B' } });
  fixture = { own: a.body.id, foreign: b.body.id, someUser: admin.user.id };
  cookies.lead = (await t.userSession('lead', [fixture.own])).cookie;
  cookies.agent = (await t.userSession('agent', [fixture.own])).cookie;
});
afterAll(() => t.close());

describe('authorization matrix', () => {
  it('has a row for every operation of the API document', async () => {
    const doc = (await t.request('GET', '/api/openapi.json')).body as { paths: Record<string, Record<string, unknown>> };
    const covered = rows.map((r) => ({ method: r.method.toLowerCase(), path: r.path(fixture).split('?')[0]! }));
    const missing = Object.entries(doc.paths).flatMap(([template, ops]) => {
      const pattern = new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`);
      return Object.keys(ops)
        .filter((method) => !covered.some((c) => c.method === method && pattern.test(c.path)) && !COVERED_ELSEWHERE[`${method.toUpperCase()} ${template}`])
        .map((method) => `${method.toUpperCase()} ${template}`);
    });
    expect(missing).toEqual([]);
  });

  const cases = rows.flatMap((row) => (['anon', 'agent', 'lead', 'admin'] as Who[]).map((who) => ({ row, who })));
  it.each(cases.map((c) => [c.row.name, c.who, c.row.expect[c.who], c] as const))('%s as %s → %i', async (_n, who, status, { row }) => {
    const res = await t.request(row.method, row.path(fixture), { cookie: cookies[who], body: row.body?.() });
    expect(res.status, JSON.stringify(res.body)).toBe(status);
    if (status >= 400) expect(res.body.error.code).toBeTypeOf('string');
  });
});
