import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/app.js';
import { createSession } from '../src/auth/sessions.js';
import { ManualClock } from '../src/clock.js';
import { loadConfig } from '../src/config.js';
import { openDatabase, type Database } from '../src/db/client.js';
import { createLogger } from '../src/log.js';
import { CallQueues } from '../src/queues/call-queues.js';
import { Queues } from '../src/queues/registry.js';
import { createRedis } from '../src/redis/connection.js';
import { createUser } from '../src/users/users.service.js';
import { createTestDatabase } from './helpers/db.js';
import { TEST_REDIS_URL } from './helpers/env.js';
import { eventually } from './helpers/eventually.js';

/**
 * PostgreSQL away and back (a TCP proxy in front of it is closed, then opened again): the API
 * answers 503 with Retry-After at once, never hangs, and works again without a restart.
 */
function postgresProxy(target: URL) {
  const sockets = new Set<net.Socket>();
  let server: net.Server | undefined;
  let port = 0;
  const up = () =>
    new Promise<void>((resolve) => {
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
  let drop: () => Promise<void>;
  let proxied: Database;
  let app: ReturnType<typeof createApp>;
  let cookie: string;
  const proxy = { current: undefined as ReturnType<typeof postgresProxy> | undefined };
  const closers: Array<() => unknown> = [];

  beforeAll(async () => {
    const testDb = await createTestDatabase();
    drop = testDb.drop;
    const target = new URL(testDb.url);
    proxy.current = postgresProxy(target);
    await proxy.current.up();
    const url = new URL(testDb.url);
    url.port = String(proxy.current.port());
    const config = loadConfig({ DATABASE_URL: url.toString(), REDIS_URL: TEST_REDIS_URL, QUEUE_PREFIX: 't-pgdown', LOG_LEVEL: 'silent' });
    const log = createLogger('silent');
    proxied = openDatabase({ url: url.toString(), dataDir: '/nonexistent', poolSize: 3 });
    const redis = createRedis(config.redisUrl, 'command', log);
    const manual = createRedis(config.redisUrl, 'manual', log);
    const queues = new Queues(redis, config.QUEUE_PREFIX);
    const calls = new CallQueues(queues, manual, 30_000, log);
    closers.push(() => calls.close(), () => queues.close(), () => redis.quit(), () => manual.quit(), () => proxied.close());
    const clock = new ManualClock(new Date());
    app = createApp({ config, database: proxied, redis, queues, calls, clock, log });
    const lead = await createUser(testDb.database.db, { username: 'lea', password: 'long-password', displayName: 'Lea', role: 'lead', clientIds: [], languages: ['de'] });
    cookie = `mahn_session=${(await createSession(testDb.database.db, lead.id, clock.now(), 1)).token}`;
  });
  afterAll(async () => {
    for (const close of closers) await Promise.resolve(close()).catch(() => {});
    await proxy.current?.down().catch(() => {});
    await drop();
  });

  const me = () => app.fetch(new Request('http://localhost/api/me', { headers: { cookie } }));

  it('answers 503 with Retry-After while it is away and recovers without a restart', async () => {
    expect((await me()).status).toBe(200);
    await proxy.current!.down();
    const started = performance.now();
    const res = await me();
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('5');
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('unavailable');
    expect(performance.now() - started).toBeLessThan(10_000);
    const ready = await app.fetch(new Request('http://localhost/readyz'));
    expect(ready.status).toBe(503);
    expect(((await ready.json()) as { checks: Record<string, string> }).checks.redis).toBe('ok');

    await proxy.current!.up();
    await eventually(async () => (await me()).status === 200, 20_000, 'the API answering again');
    expect((await app.fetch(new Request('http://localhost/readyz'))).status).toBe(200);
  });
});
