import { createApp } from '../../src/app.js';
import type { Clock } from '../../src/clock.js';
import { loadConfig } from '../../src/config.js';
import type { Database } from '../../src/db/client.js';
import { createLogger } from '../../src/log.js';
import { CallQueues } from '../../src/queues/call-queues.js';
import { Queues } from '../../src/queues/registry.js';
import { createRedis, waitForRedis } from '../../src/redis/connection.js';

/**
 * An API process on `database` whose Redis is gone (port 9, discard: nothing listens there),
 * with what closes its connections.
 */
export function appWithoutRedis(opts: { databaseUrl: string; database: Database; prefix: string; clock: Clock }) {
  const { app, close } = appOn('redis://127.0.0.1:9', opts);
  return { app, close };
}

/**
 * An API process on `database` whose Redis connections were up and are then closed, as when
 * Redis goes away under a running process (its commands fail at once): `goAway` closes them.
 */
export function appLosingRedis(opts: { databaseUrl: string; redisUrl: string; database: Database; prefix: string; clock: Clock }) {
  const { app, close, redis, manual } = appOn(opts.redisUrl, opts);
  const goAway = async () => {
    await waitForRedis(redis);
    redis.disconnect();
    manual.disconnect();
  };
  return { app, close, goAway };
}

function appOn(redisUrl: string, opts: { databaseUrl: string; database: Database; prefix: string; clock: Clock }) {
  const config = loadConfig({ DATABASE_URL: opts.databaseUrl, REDIS_URL: redisUrl, QUEUE_PREFIX: opts.prefix, LOG_LEVEL: 'silent' });
  const log = createLogger('silent');
  const redis = createRedis(config.redisUrl, 'command', log);
  const manual = createRedis(config.redisUrl, 'manual', log);
  const queues = new Queues(redis, config.QUEUE_PREFIX);
  const calls = new CallQueues(queues, manual, 30_000, log);
  const app = createApp({ config, database: opts.database, redis, queues, calls, clock: opts.clock, log });
  const close = async () => {
    for (const step of [() => calls.close(), () => queues.close(), () => redis.disconnect(), () => manual.disconnect()]) await Promise.resolve(step()).catch(() => {});
  };
  return { app, close, redis, manual };
}
