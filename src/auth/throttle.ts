import type { Redis } from 'ioredis';

/**
 * Login throttling: failures are counted per username and per address in Redis (under the
 * BullMQ prefix, so several installations can share a Redis). An address gets more room than a
 * username, since many agents may sit behind one NAT.
 */
export class LoginThrottle {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly maxFailures: number,
    private readonly windowSeconds: number,
  ) {}

  #keys(username: string, ip: string): [string, string] {
    return [`${this.prefix}:login:user:${username.toLowerCase()}`, `${this.prefix}:login:ip:${ip}`];
  }

  /** Seconds until the next try is allowed, or 0 when it is allowed now. */
  async retryAfter(username: string, ip: string): Promise<number> {
    const [userKey, ipKey] = this.#keys(username, ip);
    const [userCount, ipCount] = await this.redis.mget(userKey, ipKey);
    const blocked =
      Number(userCount ?? 0) >= this.maxFailures ? userKey : Number(ipCount ?? 0) >= this.maxFailures * 4 ? ipKey : null;
    if (!blocked) return 0;
    return Math.max(1, await this.redis.ttl(blocked));
  }

  async recordFailure(username: string, ip: string): Promise<void> {
    const multi = this.redis.multi();
    for (const key of this.#keys(username, ip)) {
      multi.incr(key);
      // NX keeps the first failure's window: repeated failures do not extend it forever.
      multi.expire(key, this.windowSeconds, 'NX');
    }
    await multi.exec();
  }

  async recordSuccess(username: string): Promise<void> {
    await this.redis.del(this.#keys(username, '')[0]);
  }
}
