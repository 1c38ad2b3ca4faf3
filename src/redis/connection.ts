import { Cluster, Redis, type RedisOptions } from 'ioredis';
import type { RedisTarget } from './target.js';
import type { Logger } from '../log.js';

/**
 * The one Redis connection factory.
 * - `command`: used from HTTP handlers; no offline queue and short timeouts, so a Redis
 *   outage gives a fast 503 instead of a hanging request.
 * - `manual`: the processor-less BullMQ Workers the API pulls call jobs through; BullMQ demands
 *   `maxRetriesPerRequest: null` for Workers, the missing offline queue still fails fast.
 * - `worker`: BullMQ workers in `workers/`, which wait out a Redis restart instead of failing.
 *
 * With sentinels, ioredis asks them for the primary, follows a failover they announce
 * (`failoverDetector`), and reconnects when a write meets a demoted primary (`READONLY`).
 * With cluster nodes it is an ioredis `Cluster`, typed as `Redis`: it answers the same commands
 * (BullMQ takes either), and all keys of the product share one hash slot (`QUEUE_PREFIX`).
 */
export function createRedis(target: RedisTarget | string, role: 'command' | 'manual' | 'worker', log?: Logger): Redis {
  const byRole: Record<typeof role, RedisOptions> = {
    command: { enableOfflineQueue: false, maxRetriesPerRequest: 1, connectTimeout: 3000, commandTimeout: 5000 },
    manual: { enableOfflineQueue: false, maxRetriesPerRequest: null, connectTimeout: 3000, commandTimeout: 5000 },
    worker: { maxRetriesPerRequest: null, enableReadyCheck: true },
  };
  const options = { ...byRole[role], lazyConnect: false };
  const { url, sentinels, sentinelName, clusterNodes } = typeof target === 'string' ? { url: target } : target;
  if (clusterNodes) {
    const { enableOfflineQueue, lazyConnect, ...perNode } = options;
    const cluster = new Cluster(clusterNodes, { enableOfflineQueue, lazyConnect, enableReadyCheck: true, redisOptions: { ...credentialsOf(url), ...perNode } });
    cluster.on('error', (err: Error) => log?.warn({ err, role }, 'redis connection error'));
    return cluster as unknown as Redis;
  }
  const redis = sentinels
    ? new Redis({ ...credentialsOf(url), sentinels, name: sentinelName, failoverDetector: true, reconnectOnError: (err) => (err.message.startsWith('READONLY') ? 2 : false), ...options })
    : new Redis(url, options);
  redis.on('error', (err: Error) => log?.warn({ err, role }, 'redis connection error'));
  return redis;
}

/** What the primary needs from REDIS_URL when the sentinels say where it is. */
function credentialsOf(url: string): Pick<RedisOptions, 'username' | 'password' | 'db' | 'tls'> {
  const u = new URL(url);
  return {
    ...(u.username ? { username: decodeURIComponent(u.username) } : {}),
    ...(u.password ? { password: decodeURIComponent(u.password) } : {}),
    db: Number(u.pathname.slice(1) || 0),
    ...(u.protocol === 'rediss:' ? { tls: {} } : {}),
  };
}

/** The target for messages and logs: never a password. */
export function describeRedis(target: RedisTarget): string {
  if (target.clusterNodes) return `cluster ${target.clusterNodes.map((s) => `${s.host}:${s.port}`).join(',')}`;
  if (target.sentinels) return `sentinels ${target.sentinels.map((s) => `${s.host}:${s.port}`).join(',')} (primary "${target.sentinelName}")`;
  const u = new URL(target.url);
  u.password = '';
  u.username = '';
  return u.toString();
}

/** Resolves when the connection is ready (or rejects after `timeoutMs`). */
export async function waitForRedis(redis: Redis, timeoutMs = 5000): Promise<void> {
  if (redis.status === 'ready') return;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`Redis did not answer within ${timeoutMs} ms`));
    }, timeoutMs);
    const onReady = () => {
      cleanup();
      resolve();
    };
    const cleanup = () => {
      clearTimeout(timer);
      redis.off('ready', onReady);
    };
    redis.on('ready', onReady);
  });
}

/** The oldest Redis the scripts run on: `ZADD … LT` (the ready index) came with 6.2. */
const MIN_REDIS = [6, 2] as const;

/** Why this Redis cannot serve (too old), from its `INFO server`; null when it can or does not say. */
export function redisVersionProblem(info: string): string | null {
  const version = /^redis_version:(\d+)\.(\d+)/m.exec(info);
  if (!version) return null;
  const [major, minor] = [Number(version[1]), Number(version[2])];
  if (major > MIN_REDIS[0] || (major === MIN_REDIS[0] && minor >= MIN_REDIS[1])) return null;
  return `Redis ${major}.${minor} is too old: Mahnanrufe needs Redis ${MIN_REDIS.join('.')} or newer`;
}

/** Refuses to start on a Redis too old for the scripts (they would fail on the first call, e.g. every pull). */
export async function checkRedisVersion(redis: Redis): Promise<void> {
  const problem = redisVersionProblem(await redis.info('server'));
  if (problem) throw new Error(problem);
}

/**
 * BullMQ needs `noeviction`: an evicted job key is a lost call. Warn loudly otherwise;
 * `reconcile` would rebuild lost jobs, but only periodically. AOF (`appendonly yes`) keeps the
 * jobs over a Redis restart; without it, what Redis held is rebuilt from PostgreSQL: accepted
 * outcomes from the outbox (`recover`), call jobs by `reconcile` (docs/decisions.md, "PostgreSQL
 * first"). Returns the eviction policy.
 */
export async function checkEvictionPolicy(redis: Redis, log: Logger): Promise<string | null> {
  try {
    const reply = (await redis.config('GET', 'maxmemory-policy')) as string[];
    const policy = reply[1] ?? null;
    if (policy !== 'noeviction') {
      log.warn({ policy }, 'Redis maxmemory-policy is not "noeviction": queued calls may be evicted; set it to noeviction');
    }
    const appendonly = ((await redis.config('GET', 'appendonly')) as string[])[1] ?? null;
    if (appendonly === 'no') {
      log.warn(
        { appendonly },
        'Redis appendonly is "no": a Redis restart loses its queued jobs; outcomes accepted shortly before it are then recorded only when recover re-queues them from the PostgreSQL outbox (within a minute), call jobs come back through reconcile; set appendonly yes',
      );
    }
    return policy;
  } catch (err) {
    // Managed Redis services often forbid CONFIG; that is not a reason to refuse to start.
    log.warn({ err }, 'could not read Redis maxmemory-policy and appendonly');
    return null;
  }
}
