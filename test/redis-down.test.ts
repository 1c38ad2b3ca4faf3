import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/app.js';
import { createSession } from '../src/auth/sessions.js';
import { ManualClock } from '../src/clock.js';
import { createLogger } from '../src/log.js';
import { checkEvictionPolicy, createRedis, waitForRedis } from '../src/redis/connection.js';
import { createUser } from '../src/users/users.service.js';
import { createTestDatabase } from './helpers/db.js';
import { TEST_REDIS_URL } from './helpers/env.js';
import { appWithoutRedis } from './helpers/without-redis.js';

/** With Redis unreachable the API answers fast with 503, never hangs (DESIGN.md section 4a). */
describe('Redis down', () => {
  let drop: () => Promise<void>;
  let app: ReturnType<typeof createApp>;
  let cookie: string;
  const closers: Array<() => unknown> = [];

  beforeAll(async () => {
    const testDb = await createTestDatabase();
    drop = testDb.drop;
    const clock = new ManualClock(new Date());
    const away = appWithoutRedis({ databaseUrl: testDb.url, database: testDb.database, prefix: 't-down', clock });
    closers.push(away.close);
    app = away.app;
    const agent = await createUser(testDb.database.db, { username: 'anna', password: 'long-password', displayName: 'Anna', role: 'agent', clientIds: [], languages: ['de'] });
    cookie = `mahn_session=${(await createSession(testDb.database.db, agent.id, clock.now(), 1)).token}`;
  });
  afterAll(async () => {
    for (const close of closers) await Promise.resolve(close()).catch(() => {});
    await drop();
  });

  it('readiness says which dependency is down', async () => {
    const res = await app.fetch(new Request('http://localhost/readyz'));
    expect(res.status).toBe(503);
    expect(((await res.json()) as { checks: unknown }).checks).toEqual({ postgres: 'ok', redis: 'down' });
  });

  it('a pull answers 503 with the JSON envelope within seconds', async () => {
    const started = performance.now();
    const res = await app.fetch(new Request('http://localhost/api/agent/next', { method: 'POST', headers: { cookie, origin: 'http://localhost' } }));
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(res.status).toBe(503);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('unavailable');
  });
});

describe('eviction policy check', () => {
  it('reads the policy and the AOF setting of the running Redis', async () => {
    const redis = createRedis(TEST_REDIS_URL, 'command');
    await waitForRedis(redis);
    const warnings: unknown[][] = [];
    const log = { warn: (...args: unknown[]) => warnings.push(args) } as unknown as ReturnType<typeof createLogger>;
    const policy = await checkEvictionPolicy(redis, log);
    expect(policy).toBe((await redis.config('GET', 'maxmemory-policy'))[1]);
    const appendonly = ((await redis.config('GET', 'appendonly')) as string[])[1];
    expect(warnings.length).toBe((policy === 'noeviction' ? 0 : 1) + (appendonly === 'no' ? 1 : 0));
    await redis.quit();
  });

  it('warns when AOF is off: recent outcomes then depend on the PostgreSQL outbox', async () => {
    // The test Redis (127.0.0.1:6379) runs with appendonly no; its config is shared, so it is read, not changed.
    const redis = createRedis(TEST_REDIS_URL, 'command');
    await waitForRedis(redis);
    const warnings: unknown[][] = [];
    const log = { warn: (...args: unknown[]) => warnings.push(args) } as unknown as ReturnType<typeof createLogger>;
    await checkEvictionPolicy(redis, log);
    const appendonly = ((await redis.config('GET', 'appendonly')) as string[])[1];
    await redis.quit();
    const aof = warnings.find(([, message]) => typeof message === 'string' && message.startsWith('Redis appendonly is "no"'));
    if (appendonly !== 'no') {
      expect(aof).toBeUndefined();
      return;
    }
    expect(aof?.[0]).toEqual({ appendonly: 'no' });
    expect(aof?.[1]).toMatch(/PostgreSQL outbox/);
    expect(aof?.[1]).toMatch(/reconcile/);
  });

  it('still starts when CONFIG is not permitted', async () => {
    const warnings: unknown[][] = [];
    const log = { warn: (...args: unknown[]) => warnings.push(args) } as unknown as ReturnType<typeof createLogger>;
    const redis = { config: () => Promise.reject(new Error("ERR unknown command 'config'")) } as unknown as Parameters<typeof checkEvictionPolicy>[0];
    expect(await checkEvictionPolicy(redis, log)).toBeNull();
    expect(warnings).toHaveLength(1);
  });
});
