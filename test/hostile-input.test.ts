import { count } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clients, cases, deliveries, dunningLists, users } from '../src/db/schema.js';
import { createTestContext, type TestContext } from './helpers/context.js';

/**
 * A corpus of malformed and hostile requests, generated over every operation of the API
 * document and sent as an admin (so that authorization does not answer first): each must be a
 * 4xx with a JSON error, the app must keep answering, and nothing may be written.
 */
let t: TestContext;
let admin: string;
let clientId: string;

beforeAll(async () => {
  t = await createTestContext();
  admin = (await t.userSession('admin')).cookie;
  clientId = (await t.request('POST', '/api/clients', { cookie: admin, body: { code: 'H', name: 'Hostile' } })).body.id;
});
afterAll(() => t.close());

type Attack = { name: string; method: string; path: string; body?: string; contentType?: string };

const BAD_IDS = ['abc', '..%2F..%2Fetc%2Fpasswd', '%00', '1%27%20or%201%3D1--', 'x'.repeat(5000), '00000000-0000-0000-0000-00000000000g'];
const deep = (n: number) => '['.repeat(n) + ']'.repeat(n);
const BAD_BODIES: Array<[string, string, string?]> = [
  ['an array', '[1,2,3]'],
  ['a string', '"hello"'],
  ['a number', '42'],
  ['null', 'null'],
  ['broken JSON', '{"a":'],
  ['deeply nested JSON', deep(20_000)],
  ['unknown fields', '{"__proto__":{"admin":true},"constructor":{"prototype":{"x":1}},"zzz":1}'],
  ['wrong types everywhere', '{"name":123,"code":[],"amountCents":"x","outcome":{},"password":false,"clientIds":"all"}'],
  ['a huge string', JSON.stringify({ name: 'x'.repeat(300_000), code: 'y'.repeat(300_000) })],
  ['negative and huge numbers', '{"amountCents":-1,"maxAttempts":1e308,"retryDelaySeconds":-5,"limit":9007199254740993}'],
  ['dates out of range', '{"from":"0000-00-00","to":"9999-99-99","date":"2027-02-30","at":"not a date"}'],
  ['the wrong content type', 'name=x&code=y', 'application/x-www-form-urlencoded'],
  ['text/plain', 'hello', 'text/plain'],
];

function corpus(doc: { paths: Record<string, Record<string, { requestBody?: unknown; parameters?: Array<{ in: string; name: string }> }>> }): Attack[] {
  const attacks: Attack[] = [];
  for (const [template, ops] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(ops)) {
      const M = method.toUpperCase();
      // Skip logging in and out: they change the admin's own session, which the corpus uses.
      if (template === '/api/session') continue;
      const withIds = (id: string) => template.replace(/\{[^}]+\}/g, id).replace('{clientId}', clientId);
      const ok = template.replace(/\{[^}]+\}/g, clientId);
      if (template.includes('{')) for (const id of BAD_IDS) attacks.push({ name: `${M} ${template} with id ${id.slice(0, 20)}`, method: M, path: withIds(id) });
      if (M !== 'GET' && M !== 'DELETE' && !template.endsWith('/lists') && !template.endsWith('/cancel')) {
        for (const [name, body, contentType] of BAD_BODIES) attacks.push({ name: `${M} ${template} with ${name}`, method: M, path: ok, body, contentType: contentType ?? 'application/json' });
      }
      if (M === 'GET' && (op.parameters ?? []).some((p) => p.in === 'query')) {
        const q = (op.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name);
        attacks.push({ name: `${M} ${template} with repeated and absurd query`, method: M, path: `${ok}?${q.map((n) => `${n}=a&${n}=b`).join('&')}` });
        attacks.push({ name: `${M} ${template} with out-of-range query`, method: M, path: `${ok}?${q.map((n) => `${n}=${n.match(/from|to|date/i) ? '9999-99-99' : '-1e999'}`).join('&')}` });
      }
    }
  }
  // Broken uploads: a form without its boundary, a body that is no form at all.
  const upload = `/api/clients/${clientId}/lists`;
  attacks.push({ name: 'an upload that is no multipart body', method: 'POST', path: upload, body: 'garbage', contentType: 'multipart/form-data; boundary=abc' });
  attacks.push({ name: 'an upload without boundary', method: 'POST', path: upload, body: '--abc\r\n', contentType: 'multipart/form-data' });
  attacks.push({ name: 'a 10 MB JSON body', method: 'POST', path: '/api/clients', body: JSON.stringify({ name: 'x'.repeat(10 * 1024 * 1024) }), contentType: 'application/json' });
  attacks.push({ name: 'a 10 MB JSON body to login', method: 'POST', path: '/api/session', body: JSON.stringify({ username: 'x'.repeat(10 * 1024 * 1024) }), contentType: 'application/json' });
  return attacks;
}

async function rowCounts() {
  const n = async (table: typeof clients | typeof users | typeof dunningLists | typeof cases | typeof deliveries) => (await t.db.select({ n: count() }).from(table))[0]!.n;
  return { clients: await n(clients), users: await n(users), lists: await n(dunningLists), cases: await n(cases), deliveries: await n(deliveries) };
}

describe('hostile input', () => {
  it('answers every malformed or hostile request with a 4xx JSON error, keeps answering, and writes nothing', async () => {
    const doc = (await t.request('GET', '/api/openapi.json')).body;
    const attacks = corpus(doc);
    expect(attacks.length).toBeGreaterThanOrEqual(200);
    const before = await rowCounts();
    const wrong: string[] = [];
    for (const a of attacks) {
      const res = await t.request(a.method, a.path, { cookie: admin, body: a.body, headers: a.contentType ? { 'content-type': a.contentType } : {} });
      const jsonError = typeof res.body === 'object' && res.body !== null && typeof res.body.error?.code === 'string';
      if (res.status < 400 || res.status >= 500 || !jsonError) wrong.push(`${a.name} → ${res.status} ${JSON.stringify(res.body).slice(0, 160)}`);
    }
    expect(wrong).toEqual([]);
    expect(await rowCounts()).toEqual(before);
    expect((await t.request('GET', '/healthz')).status).toBe(200);
    expect((await t.request('GET', '/api/me', { cookie: admin })).status).toBe(200);
  });
});
