import net from 'node:net';
import type { ManualClock } from '../src/clock.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/app.js';
import { ensureFirstAdmin } from '../src/auth/bootstrap-admin.js';
import { openDatabase } from '../src/db/client.js';
import { createTestContext, type TestContext } from './helpers/context.js';

let t: TestContext;
beforeAll(async () => {
  t = await createTestContext({ LOGIN_MAX_FAILURES: '3' });
  await ensureFirstAdmin(t.db, 'admin', 'admin-password-1');
});
afterAll(() => t.close());

describe('session', () => {
  it('logs in with the right password and sets a safe cookie', async () => {
    const res = await t.request('POST', '/api/session', { body: { username: 'ADMIN', password: 'admin-password-1' } });
    expect(res.status).toBe(200);
    expect(res.body.user).toMatchObject({ username: 'admin', role: 'admin' });
    const cookie = res.headers.get('set-cookie')!;
    expect(cookie).toMatch(/^mahn_session=[\w-]{40,};/);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(cookie).not.toMatch(/Secure/); // plain http here; Secure is set behind TLS
  });

  it('refuses a wrong password and an unknown user alike', async () => {
    const wrong = await t.request('POST', '/api/session', { body: { username: 'admin', password: 'nope' } });
    const unknown = await t.request('POST', '/api/session', { body: { username: 'ghost', password: 'nope' } });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body).toEqual(unknown.body);
    expect(wrong.body.error.code).toBe('invalid_credentials');
  });

  it('answers a malformed body with the JSON error envelope', async () => {
    const res = await t.request('POST', '/api/session', { body: '{"username":', headers: { 'content-type': 'application/json' } });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBeTypeOf('string');
    const missing = await t.request('POST', '/api/session', { body: { username: 'admin' } });
    expect(missing.status).toBe(400);
    expect(missing.body.error).toMatchObject({ code: 'validation' });
    expect(missing.body.error.details[0].path).toBe('password');
  });

  it('throttles a username after repeated failures, even with the right password', async () => {
    const { user } = await t.userSession('agent');
    for (let i = 0; i < 3; i++) {
      expect((await t.request('POST', '/api/session', { body: { username: user.username, password: 'wrong' } })).status).toBe(401);
    }
    const blocked = await t.request('POST', '/api/session', { body: { username: user.username, password: 'correct horse battery' } });
    expect(blocked.status).toBe(429);
    expect(blocked.body.error.code).toBe('too_many_attempts');
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('blocks the guessing address, not the account: its owner logs in from another address', async () => {
    const own = await createTestContext({ LOGIN_MAX_FAILURES: '3', TRUST_PROXY: 'true' });
    try {
      const { user } = await own.userSession('agent');
      const from = (ip: string, password: string) => own.request('POST', '/api/session', { body: { username: user.username, password }, headers: { 'x-forwarded-for': ip } });
      // Far more than the username's limit from anywhere (30): refused attempts count nowhere.
      for (let i = 0; i < 60; i++) await from('203.0.113.9', 'wrong');
      expect((await from('203.0.113.9', 'correct horse battery')).status).toBe(429);
      expect((await from('198.51.100.4', 'correct horse battery')).status).toBe(200);
      // A username written like another's key names no key but its own.
      const crafted = (password: string) => own.request('POST', '/api/session', { body: { username: `${user.username}:ip:198.51.100.7`, password }, headers: { 'x-forwarded-for': '192.0.2.1' } });
      for (let i = 0; i < 4; i++) await crafted('wrong');
      expect((await from('198.51.100.7', 'correct horse battery')).status).toBe(200);
    } finally {
      await own.close();
    }
  });

  it('lets a shift behind one address log in all at once, but checks at most 40 × LOGIN_MAX_FAILURES of its passwords at a time', async () => {
    const own = await createTestContext({ LOGIN_MAX_FAILURES: '1', LOGIN_MAX_FAILURES_PER_ADDRESS: '4' });
    try {
      // 30 agents behind the call center's NAT, all pressing "Anmelden" at the same moment.
      const agents = await Promise.all(Array.from({ length: 30 }, () => own.userSession('agent').then(({ user }) => user.username)));
      const shift = await Promise.all(agents.map((username) => own.request('POST', '/api/session', { body: { username, password: 'correct horse battery' } })));
      expect(shift.map((r) => r.status)).toEqual(agents.map(() => 200));
      // 50 guesses at once over 50 usernames: no more than 40 checked; then the failures block the address.
      const guesses = await Promise.all(Array.from({ length: 50 }, (_, i) => own.request('POST', '/api/session', { body: { username: `ghost-${i}`, password: 'wrong' } })));
      const statuses = guesses.map((g) => g.status);
      expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(40);
      expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(10);
      expect(statuses.every((s) => s === 401 || s === 429)).toBe(true);
      expect((await own.request('POST', '/api/session', { body: { username: agents[0], password: 'correct horse battery' } })).status).toBe(429);
    } finally {
      await own.close();
    }
  });

  it('does not lock a shift out for the typos of a few: 30 failures from the call center\'s address leave it open', async () => {
    const own = await createTestContext({ LOGIN_MAX_FAILURES: '3' });
    try {
      const { user } = await own.userSession('agent');
      const typos = await Promise.all(Array.from({ length: 30 }, (_, i) => own.request('POST', '/api/session', { body: { username: `agent-typo-${i}`, password: 'wrong' } })));
      expect(typos.map((r) => r.status)).toEqual(typos.map(() => 401));
      expect((await own.request('POST', '/api/session', { body: { username: user.username, password: 'correct horse battery' } })).status).toBe(200);
    } finally {
      await own.close();
    }
  });

  it('counts an attempt before it checks the password: of 60 at once, only the limit is checked', async () => {
    // Its own context: the address's count (60 of them) must not block the other tests.
    const own = await createTestContext({ LOGIN_MAX_FAILURES: '3' });
    const { user } = await own.userSession('agent');
    const answers = await Promise.all(
      Array.from({ length: 60 }, () => own.request('POST', '/api/session', { body: { username: user.username, password: 'wrong' } })),
    );
    await own.close();
    const statuses = answers.map((a) => a.status).sort();
    expect(statuses.filter((s) => s === 401)).toHaveLength(3);
    expect(statuses.filter((s) => s === 429)).toHaveLength(57);
  });

  it('does not count tries that PostgreSQL being away ended: after five 503s the right password logs in, wrong ones are limited as before', async () => {
    const own = await createTestContext({ LOGIN_MAX_FAILURES: '3' });
    try {
      const { user } = await own.userSession('agent');
      const tryLogin = (password: string) => own.request('POST', '/api/session', { body: { username: user.username, password } });
      await withoutPostgres(own, async () => {
        for (let i = 0; i < 5; i++) expect((await tryLogin('correct horse battery')).status).toBe(503);
      });
      expect((await tryLogin('correct horse battery')).status).toBe(200);
      // Three wrong passwords, each after an outage: the fourth try is refused.
      for (let i = 0; i < 3; i++) {
        await withoutPostgres(own, async () => expect((await tryLogin('wrong')).status).toBe(503));
        expect((await tryLogin('wrong')).status).toBe(401);
      }
      expect((await tryLogin('correct horse battery')).status).toBe(429);
    } finally {
      await own.close();
    }
  });

  it('gives back the address\'s running checks that PostgreSQL being away ended', async () => {
    // 40 × LOGIN_MAX_FAILURES = 40 passwords of one address checked at a time.
    const own = await createTestContext({ LOGIN_MAX_FAILURES: '1' });
    try {
      const { user } = await own.userSession('agent');
      await withoutPostgres(own, async () => {
        const tries = await Promise.all(Array.from({ length: 40 }, (_, i) => own.request('POST', '/api/session', { body: { username: `agent-away-${i}`, password: 'wrong' } })));
        expect(tries.map((r) => r.status)).toEqual(tries.map(() => 503));
      });
      expect((await own.request('POST', '/api/session', { body: { username: user.username, password: 'correct horse battery' } })).status).toBe(200);
    } finally {
      await own.close();
    }
  });

  it('GET /api/me needs a session; DELETE /api/session ends it', async () => {
    expect((await t.request('GET', '/api/me')).status).toBe(401);
    const cookie = await t.login('admin', 'admin-password-1');
    const me = await t.request('GET', '/api/me', { cookie });
    expect(me.status).toBe(200);
    expect(me.body.username).toBe('admin');
    expect((await t.request('DELETE', '/api/session', { cookie })).status).toBe(204);
    expect((await t.request('GET', '/api/me', { cookie })).status).toBe(401);
  });

  it('expires a session after SESSION_HOURS unused', async () => {
    const cookie = await t.login('admin', 'admin-password-1');
    (t.clock as ManualClock).advance(13 * 3_600_000);
    expect((await t.request('GET', '/api/me', { cookie })).status).toBe(401);
  });

  it('slides a session in use, but not beyond twice SESSION_HOURS after login', async () => {
    const clock = t.clock as ManualClock;
    const cookie = await t.login('admin', 'admin-password-1');
    for (const hours of [7, 7, 7]) {
      clock.advance(hours * 3_600_000); // 7 h, 14 h, 21 h after login: each use extends it
      expect((await t.request('GET', '/api/me', { cookie })).status).toBe(200);
    }
    clock.advance(3.5 * 3_600_000); // 24.5 h: past the absolute limit of 2 × 12 h
    expect((await t.request('GET', '/api/me', { cookie })).status).toBe(401);
  });

  it('ends the sessions of a deactivated user', async () => {
    const admin = await t.login('admin', 'admin-password-1');
    const { user, cookie } = await t.userSession('agent');
    expect((await t.request('GET', '/api/me', { cookie })).status).toBe(200);
    expect((await t.request('PATCH', `/api/users/${user.id}`, { cookie: admin, body: { active: false } })).status).toBe(200);
    expect((await t.request('GET', '/api/me', { cookie })).status).toBe(401);
  });
});

/**
 * Runs `during` with PostgreSQL away for `own`'s app: its pool points at a port nothing listens on
 * (connections refused). `own.db`, the test's own connection, still reaches it. A connection for
 * each of up to 40 tries at once: tries queued on one connection would each wait for its
 * reconnection's backoff.
 */
async function withoutPostgres(own: TestContext, during: () => Promise<void>): Promise<void> {
  const url = new URL(own.config.DATABASE_URL!);
  url.port = String(await closedPort());
  const reachable = own.deps.database;
  const away = openDatabase({ url: url.toString(), dataDir: '/nonexistent', poolSize: 40 });
  own.deps.database = away;
  try {
    await during();
  } finally {
    own.deps.database = reachable;
    await away.close();
  }
}

/** A local port nothing listens on: one the system just gave out and took back. */
function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

describe('CSRF', () => {
  it('refuses a cookie-authenticated form post without Origin', async () => {
    const cookie = await t.login('admin', 'admin-password-1');
    const form = new URLSearchParams({ code: 'X', name: 'Y' }).toString();
    const res = await t.request('POST', '/api/clients', {
      cookie,
      body: form,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      origin: null,
    });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('forbidden');
  });

  it('refuses any write with a foreign Origin, and accepts the same origin', async () => {
    const cookie = await t.login('admin', 'admin-password-1');
    const foreign = await t.request('POST', '/api/clients', {
      cookie,
      body: { code: 'EVIL', name: 'Evil' },
      headers: { origin: 'https://evil.example' },
    });
    expect(foreign.status).toBe(403);
    const same = await t.request('POST', '/api/clients', {
      cookie,
      body: { code: 'GOOD', name: 'Good' },
      headers: { origin: 'http://localhost' },
    });
    expect(same.status).toBe(201);
  });
});

describe('forwarded headers and HSTS', () => {
  const login = { username: 'admin', password: 'admin-password-1' };
  /** The same app and services with TRUST_PROXY switched; `url` says whether the request itself is https. */
  async function post(trustProxy: boolean, url: string, headers: Record<string, string> = {}) {
    const app = createApp({ ...t.deps, config: { ...t.config, TRUST_PROXY: trustProxy } });
    const origin = new URL(url).origin;
    return app.fetch(
      new Request(url, { method: 'POST', headers: { origin, 'content-type': 'application/json', ...headers }, body: JSON.stringify(login) }),
    );
  }
  const get = (trustProxy: boolean, url: string, headers: Record<string, string> = {}) =>
    createApp({ ...t.deps, config: { ...t.config, TRUST_PROXY: trustProxy } }).fetch(new Request(url, { headers }));

  it('ignores X-Forwarded-Proto without TRUST_PROXY: no Secure cookie, no HSTS', async () => {
    const res = await post(false, 'http://localhost/api/session', { 'x-forwarded-proto': 'https' });
    expect(res.status).toBe(200);
    expect(res.headers.get('set-cookie')).not.toMatch(/Secure/);
    expect(res.headers.get('strict-transport-security')).toBeNull();
    const page = await get(false, 'http://localhost/', { 'x-forwarded-proto': 'https' });
    expect(page.status).toBe(200);
    expect(page.headers.get('strict-transport-security')).toBeNull();
  });

  it('follows X-Forwarded-Proto with TRUST_PROXY: Secure cookie and HSTS', async () => {
    const res = await post(true, 'http://localhost/api/session', { 'x-forwarded-proto': 'https' });
    expect(res.status).toBe(200);
    expect(res.headers.get('set-cookie')).toMatch(/; Secure/);
    expect(res.headers.get('strict-transport-security')).toMatch(/^max-age=\d+/);
    const page = await get(true, 'http://localhost/', { 'x-forwarded-proto': 'https' });
    expect(page.headers.get('strict-transport-security')).toMatch(/^max-age=\d+/);
  });

  it('never sends HSTS over plain http, proxy trusted or not', async () => {
    for (const trust of [false, true]) {
      for (const path of ['/', '/api/me', '/healthz']) {
        const res = await get(trust, `http://localhost${path}`);
        expect(res.headers.get('strict-transport-security'), `${path} trust=${trust}`).toBeNull();
      }
      const proxiedHttp = await get(trust, 'http://localhost/', { 'x-forwarded-proto': 'http' });
      expect(proxiedHttp.headers.get('strict-transport-security')).toBeNull();
    }
  });

  it('marks a direct https request Secure with HSTS, proxy trusted or not', async () => {
    for (const trust of [false, true]) {
      const res = await post(trust, 'https://localhost/api/session');
      expect(res.headers.get('set-cookie')).toMatch(/; Secure/);
      expect(res.headers.get('strict-transport-security')).toMatch(/^max-age=\d+/);
    }
  });
});
