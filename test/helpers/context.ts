import { randomUUID } from 'node:crypto';
import { createApp } from '../../src/app.js';
import { ManualClock, type Clock } from '../../src/clock.js';
import { loadConfig, type Config } from '../../src/config.js';
import type { AppDeps, Role } from '../../src/http/context.js';
import { createLogger, type Logger } from '../../src/log.js';
import { CallQueues } from '../../src/queues/call-queues.js';
import { Queues } from '../../src/queues/registry.js';
import { Cluster } from 'ioredis';
import { createRedis, waitForRedis } from '../../src/redis/connection.js';
import type { Runtime } from '../../src/runtime.js';
import { createUser } from '../../src/users/users.service.js';
import { startWorkers } from '../../workers/start.js';
import { openDatabase } from '../../src/db/client.js';
import { createTestDatabase } from './db.js';
import { inject } from 'vitest';
import { TEST_REDIS_URL } from './env.js';

export interface TestResponse<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

export type TestContext = Awaited<ReturnType<typeof createTestContext>>;

/**
 * A whole app on its own database (cloned from the template) and its own BullMQ prefix,
 * called in-process through `app.fetch`. `close()` removes all of it.
 */
export async function createTestContext(
  env: Record<string, string> = {},
  opts: { clock?: Clock; log?: Logger; /** The app and workers reach PostgreSQL through this URL (a fault proxy); `db` stays direct. */ databaseVia?: (url: string) => string } = {},
) {
  const testDb = await createTestDatabase();
  const config: Config = loadConfig({
    DATABASE_URL: testDb.url,
    REDIS_URL: TEST_REDIS_URL,
    QUEUE_PREFIX: `t-${randomUUID().slice(0, 8)}`,
    // The `redis-cluster` project of vitest.config.ts runs its files against a local Redis Cluster.
    ...(inject('redisClusterNodes') ? { REDIS_CLUSTER_NODES: inject('redisClusterNodes') } : {}),
    LOG_LEVEL: 'silent',
    ...env,
  });
  const log = opts.log ?? createLogger('silent');
  // On a Redis Cluster the configured prefix is hash-tagged (`{t-…}`): keys and processes use it as is.
  const prefix = config.QUEUE_PREFIX;
  const redis = createRedis(config.redis, 'command', log);
  await waitForRedis(redis);
  const queues = new Queues(redis, prefix);
  const manual = createRedis(config.redis, 'manual', log);
  const calls = new CallQueues(queues, manual, config.LOCK_SECONDS * 1000, log);
  const clock = opts.clock ?? new ManualClock('2026-11-25T09:00:00+01:00');
  // Through a proxy, the app and the workers get a pool each, as their processes would.
  const viaProxy = () => openDatabase({ url: opts.databaseVia!(testDb.url), dataDir: '/nonexistent', poolSize: 5 });
  const appDatabase = opts.databaseVia ? viaProxy() : testDb.database;
  const workersDatabase = opts.databaseVia ? viaProxy() : testDb.database;
  const deps: AppDeps = { config, database: appDatabase, redis, queues, calls, clock, log };
  const app = createApp(deps);
  const db = testDb.database.db;

  async function request<T = any>(
    method: string,
    path: string,
    opts: { body?: unknown; cookie?: string; headers?: Record<string, string>; origin?: string | null } = {},
  ): Promise<TestResponse<T>> {
    // Browsers send Origin on every write; `origin: null` leaves it out (CSRF tests).
    const origin = opts.origin === undefined ? 'http://localhost' : opts.origin;
    const headers: Record<string, string> = { ...(origin && method !== 'GET' ? { origin } : {}), ...opts.headers };
    if (opts.cookie) headers.cookie = opts.cookie;
    let body: RequestInit['body'];
    if (opts.body instanceof FormData || typeof opts.body === 'string') body = opts.body;
    else if (opts.body !== undefined) {
      body = JSON.stringify(opts.body);
      headers['content-type'] ??= 'application/json';
    }
    const res = await app.fetch(new Request(`http://localhost${path}`, { method, headers, body }));
    const text = await res.text();
    let parsed: unknown = text;
    if (res.headers.get('content-type')?.includes('json') && text) parsed = JSON.parse(text);
    return { status: res.status, body: parsed as T, headers: res.headers };
  }

  async function login(username: string, password: string): Promise<string> {
    const res = await request('POST', '/api/session', { body: { username, password } });
    if (res.status !== 200) throw new Error(`login failed: ${res.status} ${JSON.stringify(res.body)}`);
    const cookie = res.headers.get('set-cookie')?.split(';')[0];
    if (!cookie) throw new Error('no session cookie');
    return cookie;
  }

  /** Creates a user with `role` and client scope and returns its session cookie. */
  async function userSession(role: Role, clientIds: string[] = [], extra: { languages?: string[]; extension?: string } = {}) {
    const username = `${role}-${randomUUID().slice(0, 6)}`;
    const password = 'correct horse battery';
    const user = await createUser(db, { username, password, displayName: username, role, clientIds, languages: extra.languages ?? ['de'], extension: extra.extension ?? null });
    return { user, cookie: await login(username, password) };
  }

  /** The same resources as a `Runtime`, for code written against one (workers). */
  const runtime: Runtime = { config, log, clock, database: workersDatabase, redis, queues, calls, close: async () => {} };
  let workers: { close: () => Promise<void> } | undefined;

  /** Starts the real background workers (outcomes, lock watch, maintenance) on this context. */
  async function runWorkers(): Promise<void> {
    workers ??= await startWorkers(runtime);
  }

  /** The keys matching `pattern`, from every node of a Redis Cluster (KEYS there asks just one). */
  async function keys(pattern: string): Promise<string[]> {
    const cluster = redis as unknown;
    const found: string[] = [];
    for (const node of cluster instanceof Cluster ? cluster.nodes('master') : [redis]) {
      let cursor = '0';
      do {
        const [next, batch] = await node.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
        found.push(...batch);
        cursor = next;
      } while (cursor !== '0');
    }
    return found;
  }

  async function close(): Promise<void> {
    await workers?.close();
    await calls.close();
    await manual.quit();
    await queues.close();
    // This file's BullMQ and throttle keys only; other files run in parallel on the same Redis.
    const mine = await keys(`${prefix}:*`);
    for (let i = 0; i < mine.length; i += 1000) await redis.del(...mine.slice(i, i + 1000));
    await redis.quit();
    for (const d of new Set([appDatabase, workersDatabase])) if (d !== testDb.database) await d.close().catch(() => {});
    await testDb.drop();
  }

  return { app, deps, config, db, clock, redis, queues, calls, prefix, runtime, request, login, userSession, runWorkers, keys, close };
}
