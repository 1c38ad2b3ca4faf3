import type { Redis } from 'ioredis';

/**
 * Login throttling: attempts are counted per username and per address in Redis (under the
 * BullMQ prefix, so several installations can share a Redis) before the password is checked; a
 * success does not count. An address gets more room than a username, since many agents may
 * sit behind one NAT.
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

  /**
   * Counts this login attempt before the password is checked, atomically for the username and
   * the address, and says whether it may be checked: concurrent attempts cannot all slip under
   * the limit. `retryAfter`: seconds until the window of the key that blocks ends.
   */
  async attempt(username: string, ip: string): Promise<{ allowed: true } | { allowed: false; retryAfter: number }> {
    const [userKey, ipKey] = this.#keys(username, ip);
    const results = await this.redis
      .multi()
      .incr(userKey)
      // NX keeps the first attempt's window: repeated attempts do not extend it forever.
      .expire(userKey, this.windowSeconds, 'NX')
      .incr(ipKey)
      .expire(ipKey, this.windowSeconds, 'NX')
      .ttl(userKey)
      .ttl(ipKey)
      .exec();
    const value = (i: number) => Number(results?.[i]?.[1] ?? 0);
    if (value(0) > this.maxFailures) return { allowed: false, retryAfter: Math.max(1, value(4)) };
    if (value(2) > this.maxFailures * 4) return { allowed: false, retryAfter: Math.max(1, value(5)) };
    return { allowed: true };
  }

  /** A successful login: the username's count starts again, and it does not count for the address. */
  async succeeded(username: string, ip: string): Promise<void> {
    const [userKey, ipKey] = this.#keys(username, ip);
    await this.redis.multi().del(userKey).decr(ipKey).exec();
  }
}
