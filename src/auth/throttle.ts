import type { Redis } from 'ioredis';

/**
 * Login throttling in Redis (under the BullMQ prefix, so several installations can share a
 * Redis): attempts per username, counted before the password is checked; failures per address,
 * which gets more room, since many agents may sit behind one NAT.
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
   * Counts this login attempt for the username before the password is checked, atomically, and
   * says whether it may be checked: concurrent guesses at one account cannot all slip under
   * the limit. The address counts failures only (checked here, counted by `failed`): a call
   * center's agents log in behind one NAT at the start of a shift, all at once, and must not
   * block each other; guesses spread over many usernames are slowed by the password hash.
   * `retryAfter`: seconds until the window of the key that blocks ends.
   */
  async attempt(username: string, ip: string): Promise<{ allowed: true } | { allowed: false; retryAfter: number }> {
    const [userKey, ipKey] = this.#keys(username, ip);
    const results = await this.redis
      .multi()
      .incr(userKey)
      // NX keeps the first attempt's window: repeated attempts do not extend it forever.
      .expire(userKey, this.windowSeconds, 'NX')
      .get(ipKey)
      .ttl(userKey)
      .ttl(ipKey)
      .exec();
    const value = (i: number) => Number(results?.[i]?.[1] ?? 0);
    if (value(0) > this.maxFailures) return { allowed: false, retryAfter: Math.max(1, value(3)) };
    if (value(2) >= this.maxFailures * 4) return { allowed: false, retryAfter: Math.max(1, value(4)) };
    return { allowed: true };
  }

  /** A wrong password (or unknown user): it counts for the address too. */
  async failed(username: string, ip: string): Promise<void> {
    const [, ipKey] = this.#keys(username, ip);
    await this.redis.multi().incr(ipKey).expire(ipKey, this.windowSeconds, 'NX').exec();
  }

  /** A successful login: the username's count starts again. */
  async succeeded(username: string): Promise<void> {
    await this.redis.del(this.#keys(username, '')[0]);
  }
}
