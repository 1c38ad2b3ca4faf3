type HostPort = { host: string; port: number };

/** Where Redis is: a URL, sentinels that name the primary, or cluster nodes (the URL's password and db apply to them). */
export interface RedisTarget {
  url: string;
  sentinels?: HostPort[];
  sentinelName?: string;
  clusterNodes?: HostPort[];
}

/**
 * The target from the parsed settings: REDIS_SENTINELS (with REDIS_SENTINEL_NAME) or
 * REDIS_CLUSTER_NODES where set, else REDIS_URL alone. `createRedis` connects to it.
 */
export function redisTargetOf(env: { REDIS_SENTINELS?: HostPort[]; REDIS_SENTINEL_NAME: string; REDIS_CLUSTER_NODES?: HostPort[] }, url: string): RedisTarget {
  if (env.REDIS_SENTINELS) return { url, sentinels: env.REDIS_SENTINELS, sentinelName: env.REDIS_SENTINEL_NAME };
  if (env.REDIS_CLUSTER_NODES) return { url, clusterNodes: env.REDIS_CLUSTER_NODES };
  return { url };
}
