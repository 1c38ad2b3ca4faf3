import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../src/clock.js';
import { createTestContext, type TestContext } from './helpers/context.js';
import { createClient, fastRules, next, postOutcome, useFakeDate } from './helpers/dispatch.js';
import { seedList } from './helpers/seed.js';
import { uploadForm, xlsx } from './helpers/workbooks.js';

/** What an endpoint accepts can be stored; bodies are bounded before they are read. */
let t: TestContext;
let admin: string;
let clientId: string;

beforeAll(async () => {
  useFakeDate('2026-11-25T10:00:00+01:00');
  t = await createTestContext({}, { clock: systemClock });
  admin = (await t.userSession('admin')).cookie;
  clientId = await createClient(t, admin, fastRules);
});
afterAll(() => t.close());

const NUL = 'Anna\u0000Müller';
const LONE = 'Anna \ud800 Müller';

describe('whatever is accepted can be stored', () => {
  it('refuses dates that do not exist and text PostgreSQL cannot store in an outcome, and keeps the case held', async () => {
    await seedList(t, clientId, 1);
    const { cookie } = await t.userSession('agent', [clientId]);
    const a = await next(t, cookie);
    const promise = (date: string) => ({ outcome: 'promise_to_pay', promise: { amountCents: 5000, date } });
    for (const body of [promise('2027-02-30'), promise('9999-99-99'), promise('2031-01-01'), { outcome: 'paid', note: NUL }, { outcome: 'paid', note: LONE }, { outcome: 'callback', callback: { window: `ganz${NUL}` } }]) {
      const res = await postOutcome(t, cookie, a.assignment.id, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.code).toMatch(/validation|bad_request/);
    }
    expect((await postOutcome(t, cookie, a.assignment.id, promise('2026-12-15'))).status).toBe(202);
  });

  it('refuses NUL and broken Unicode in names, client names, list names, file names and logins, with a 400 naming the field', async () => {
    const users = await t.request('POST', '/api/users', { cookie: admin, body: { username: 'x1', password: 'long-enough-pw', displayName: NUL, role: 'agent' } });
    expect([users.status, users.body.error.details?.[0]?.path]).toEqual([400, 'displayName']);
    const clients = await t.request('POST', '/api/clients', { cookie: admin, body: { code: 'NUL', name: LONE } });
    expect([clients.status, clients.body.error.details?.[0]?.path]).toEqual([400, 'name']);
    const file = await xlsx([['Kundennummer', 'Name', 'Telefon', 'Betrag'], ['K1', 'Anna', '0721 1234567', 10]]);
    const badFile = await t.request('POST', `/api/clients/${clientId}/lists`, { cookie: admin, body: uploadForm(file, `liste${'\u0000'}.xlsx`) });
    expect(badFile.status).toBe(400);
    const badName = await t.request('POST', `/api/clients/${clientId}/lists?name=${encodeURIComponent(NUL)}`, { cookie: admin, body: uploadForm(file) });
    expect([badName.status, badName.body.error.details?.[0]?.path]).toEqual([400, 'name']);
    const login = await t.request('POST', '/api/session', { body: { username: NUL, password: 'whatever-it-is' } });
    expect(login.status).toBe(400);
  });

  it('refuses query dates PostgreSQL cannot hold (year 0, the day after 9999-12-31) with a 400, not a 500', async () => {
    const paths = [
      '/api/audit?from=0000-01-01', '/api/audit?to=0000-01-01', '/api/audit?from=0000-01-01T00:00:00Z', '/api/audit?to=9999-12-31',
      '/api/reports/le?from=0000-01-01&to=0000-01-02', '/api/reports/le.xlsx?from=0000-01-01&to=0000-01-02', '/api/reports/le?from=9999-12-30&to=9999-12-31',
    ];
    for (const path of paths) {
      const res = await t.request('GET', path, { cookie: admin });
      expect(res.status, path).toBe(400);
    }
    expect((await t.request('GET', '/api/audit?from=2026-11-01&to=2026-11-30', { cookie: admin })).status).toBe(200);
  });
});

describe('bodies are bounded before they are read', () => {
  it('answers 413 to an oversized login, a large JSON body and a streamed one, without reading it all', async () => {
    const big = (n: number) => JSON.stringify({ username: 'a', password: 'x'.repeat(n) });
    expect((await t.request('POST', '/api/session', { body: big(8 * 1024) })).status).toBe(413);
    expect((await t.request('POST', '/api/users', { cookie: admin, body: { username: 'big', password: 'p'.repeat(300 * 1024), displayName: 'B', role: 'agent' } })).status).toBe(413);

    // 200 MB announced by nobody: streamed in 64 KB chunks, refused after the limit.
    let sent = 0;
    const chunk = new TextEncoder().encode('x'.repeat(64 * 1024));
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent >= 200 * 1024 * 1024) return controller.close();
        sent += chunk.byteLength;
        controller.enqueue(chunk);
      },
    });
    const res = await t.app.fetch(
      new Request('http://localhost/api/session', { method: 'POST', headers: { 'content-type': 'application/json' }, body: stream, duplex: 'half' } as RequestInit),
    );
    expect(res.status).toBe(413);
    expect(sent).toBeLessThan(2 * 1024 * 1024);
  });

  it('reads no body of a request without a session (its route refuses it first), and a JSON body to the upload path gets the JSON limit', async () => {
    const upload = `/api/clients/${clientId}/lists`;
    const json = { 'content-type': 'application/json' };
    // Parsed, this body would be refused as unstorable (400); unread, the route says 401.
    expect((await t.request('POST', upload, { body: JSON.stringify({ 'a\u0000': 1 }), headers: json })).status).toBe(401);
    expect((await t.request('POST', '/api/users', { body: { username: NUL }, headers: json })).status).toBe(401);
    // A signed-in lead's JSON to the upload path is a JSON body, bounded as one (not as a 50 MB file).
    const { cookie } = await t.userSession('lead', [clientId]);
    const items = '{},'.repeat(100_000);
    expect((await t.request('POST', upload, { cookie, body: `[${items}{}]`, headers: json })).status).toBe(413);
    // The login is read without a session, as it must be.
    expect((await t.request('POST', '/api/session', { body: { username: NUL, password: 'x' } })).status).toBe(400);
  });

  it('answers a lead whose session ran out 401 for a large upload, not that the file is too large', async () => {
    const lead = await t.userSession('lead', [clientId]);
    expect((await t.request('DELETE', '/api/session', { cookie: lead.cookie })).status).toBe(204);
    const file = new Uint8Array(1024 * 1024);
    const res = await t.request('POST', `/api/clients/${clientId}/lists`, { cookie: lead.cookie, body: uploadForm(file, 'liste.xlsx'), headers: { origin: 'http://localhost' } });
    expect([res.status, res.body.error.code]).toEqual([401, 'unauthorized']);
  });

  it('reads no file an agent or anybody without a session sends to the upload path: 403 / 401 before 40 MB are read', async () => {
    const agent = await t.userSession('agent', [clientId]);
    for (const [cookie, status] of [[agent.cookie, 403], [undefined, 401]] as const) {
      let sent = 0;
      const boundary = 'x-boundary';
      const head = new TextEncoder().encode(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="liste.xlsx"\r\n\r\n`);
      const chunk = new TextEncoder().encode('x'.repeat(64 * 1024));
      const stream = new ReadableStream<Uint8Array>({
        start: (controller) => controller.enqueue(head),
        pull(controller) {
          if (sent >= 40 * 1024 * 1024) return controller.close();
          sent += chunk.byteLength;
          controller.enqueue(chunk);
        },
      });
      // From the service's own page (same origin), so that the role decides, not the CSRF check.
      const headers: Record<string, string> = { 'content-type': `multipart/form-data; boundary=${boundary}`, origin: 'http://localhost', ...(cookie ? { cookie } : {}) };
      const res = await t.app.fetch(
        new Request(`http://localhost/api/clients/${clientId}/lists`, { method: 'POST', headers, body: stream, duplex: 'half' } as RequestInit),
      );
      expect(res.status).toBe(status);
      expect(sent, `${status}`).toBeLessThan(2 * 1024 * 1024);
    }
  });
});
