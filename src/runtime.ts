import type { Redis } from 'ioredis';
import { systemClock, type Clock } from './clock.js';
import { proxyWarnings, type Config } from './config.js';
import { openDatabase, type Database } from './db/client.js';
import { createLogger, type Logger } from './log.js';
import { CallQueues } from './queues/call-queues.js';
import { Queues } from './queues/registry.js';
import { checkEvictionPolicy, checkRedisVersion, createRedis, describeRedis, waitForRedis } from './redis/connection.js';

/** The long-lived resources of one process, and their orderly shutdown. */
export interface Runtime {
  config: Config;
  log: Logger;
  clock: Clock;
  database: Database;
  /** Fast-failing connection for HTTP handlers. */
  redis: Redis;
  queues: Queues;
  /** Call queues: scheduling and manual pulls of call jobs. */
  calls: CallQueues;
  /** Closes in order: queues, Redis, database. Runs once; later calls get the same promise. */
  close(): Promise<void>;
}

export async function createRuntime(config: Config, opts: { clock?: Clock; log?: Logger } = {}): Promise<Runtime> {
  const log = opts.log ?? createLogger(config.LOG_LEVEL);
  const database = openDatabase({ url: config.DATABASE_URL, dataDir: config.DATA_DIR, poolSize: config.DATABASE_POOL_SIZE });
  const redis = createRedis(config.redis, 'command', log);
  try {
    await waitForRedis(redis).catch((err: Error) => {
      throw new Error(`Redis at ${describeRedis(config.redis)} does not answer: ${err.message}`);
    });
    await checkRedisVersion(redis);
  } catch (err) {
    redis.disconnect();
    await database.close();
    throw err;
  }
  await checkEvictionPolicy(redis, log);
  for (const warning of proxyWarnings(config)) log.warn(warning);
  const queues = new Queues(redis, config.QUEUE_PREFIX);
  const manual = createRedis(config.redis, 'manual', log);
  const calls = new CallQueues(queues, manual, config.LOCK_SECONDS * 1000, log);
  let closing: Promise<void> | undefined;
  return {
    config,
    log,
    clock: opts.clock ?? systemClock,
    database,
    redis,
    queues,
    calls,
    close: () =>
      (closing ??= (async () => {
        await calls.close().catch((err: Error) => log.warn({ err }, 'closing call workers'));
        await manual.quit().catch(() => manual.disconnect());
        await queues.close().catch((err: Error) => log.warn({ err }, 'closing queues'));
        await redis.quit().catch(() => redis.disconnect());
        await database.close().catch((err: Error) => log.warn({ err }, 'closing database'));
      })()),
  };
}
