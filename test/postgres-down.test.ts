import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../src/clock.js';
import { createTestContext, type TestContext } from './helpers/context.js';
import { attemptsRecorded, createClient, fastRules, next, postOutcome } from './helpers/dispatch.js';
import { ADMIN_DATABASE_URL } from './helpers/env.js';
import { eventually } from './helpers/eventually.js';
import { seedList } from './helpers/seed.js';

/**
 * PostgreSQL away and back (a TCP proxy in front of it is closed for ten seconds, then opened
 * again): the API answers 503 with Retry-After at once and never hangs, works again without a
 * restart, and every outcome an agent got a 202 for is recorded afterwards.
 */
function postgresProxy(target: URL) {
  const sockets = new Set<net.Socket>();
  let server: net.Server | undefined;
  let port = 0;
  const up = () =>
    new Promise<void>((resolve) => {
      if (server?.listening) return resolve();
      server = net.createServer((client) => {
        const upstream = net.connect(Number(target.port || 5432), target.hostname);
        for (const s of [client, upstream]) {
          sockets.add(s);
          s.on('close', () => sockets.delete(s));
          s.on('error', () => s.destroy());
        }
        client.pipe(upstream).pipe(client);
      });
      server.listen(port, '127.0.0.1', () => {
        port = (server!.address() as net.AddressInfo).port;
        resolve();
      });
    });
  const down = () =>
    new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server!.close(() => resolve());
    });
  return { up, down, port: () => port };
}

describe('PostgreSQL down', () => {
  const proxy = postgresProxy(new URL(ADMIN_DATABASE_URL));
  let t: TestContext;
  let admin: string;

  beforeAll(async () => {
    await proxy.up();
    const via = (url: string) => {
      const u = new URL(url);
      u.port = String(proxy.port());
      return u.toString();
    };
    t = await createTestContext({ LOCK_SECONDS: '30' }, { clock: systemClock, databaseVia: via });
    admin = (await t.userSession('admin')).cookie;
    await t.runWorkers();
  });
  afterAll(async () => {
    await proxy.up().catch(() => {});
    await t?.close();
    await proxy.down().catch(() => {});
  });

  it('answers 503 with Retry-After while it is away, recovers without a restart, and records every outcome it accepted', async () => {
    const clientId = await createClient(t, admin, fastRules);
    const { cases: seeded } = await seedList(t, clientId, 2);
    const { cookie } = await t.userSession('agent', [clientId]);
    const held = await next(t, cookie);
    expect((await postOutcome(t, cookie, held.assignment.id, { outcome: 'not_reached' })).status).toBe(202);
    await proxy.down(); // right after the 202: the worker may be recording it this moment

    // Ten seconds away: every request that needs PostgreSQL is answered with 503 within moments,
    // none hangs. (The session itself may come from this process's memory for SESSION_TRUST_MS.)
    const until = performance.now() + 10_000;
    while (performance.now() < until) {
      const started = performance.now();
      const res = await t.request('POST', `/api/agent/assignments/${held.assignment.id}/heartbeat`, { cookie });
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toBe('5');
      expect(res.body.error.code).toBe('unavailable');
      expect(performance.now() - started).toBeLessThan(3_000);
    }
    const ready = await t.request('GET', '/readyz');
    expect(ready.status).toBe(503);
    expect(ready.body.checks.redis).toBe('ok');

    await proxy.up();
    await eventually(async () => (await t.request('GET', '/api/me', { cookie })).status === 200, 20_000, 'the API answering again');
    expect((await t.request('GET', '/readyz')).status).toBe(200);
    await attemptsRecorded(t, held.case.id, 1);
    expect(seeded.map((c) => c.id)).toContain(held.case.id);
  }, 60_000);
});
