import type { Redis } from 'ioredis';

/**
 * Login throttling in Redis (under the BullMQ prefix, so several installations can share a
 * Redis). Every attempt is counted before the password is checked, atomically, so concurrent
 * guesses cannot all slip under a limit; a successful login takes its own attempt back. Three
 * counts, each over `windowSeconds` from its first attempt:
 * - per username and address: `maxFailures` — the guesser is blocked, the account's owner at
 *   another desk is not (anyone could otherwise lock any agent out with a few wrong passwords);
 * - per username from any address: 10 × `maxFailures` — guesses spread over many addresses;
 * - per address: 4 × `maxFailures` of attempts not (yet) successful — guesses spread over many
 *   usernames. Successful logins do not count: a call center's agents log in behind one NAT at
 *   the start of a shift, all at once, and must not block each other.
 */
export class LoginThrottle {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly maxFailures: number,
    private readonly windowSeconds: number,
  ) {}

  #keys(username: string, ip: string) {
    const user = `${this.prefix}:login:user:${username.toLowerCase()}`;
    return { userAtIp: `${user}:ip:${ip}`, user, ip: `${this.prefix}:login:ip:${ip}` };
  }

  /**
   * Counts this attempt and says whether its password may be checked. `retryAfter`: seconds
   * until the window of the count that blocks ends.
   */
  async attempt(username: string, ip: string): Promise<{ allowed: true } | { allowed: false; retryAfter: number }> {
    const keys = this.#keys(username, ip);
    const limits: Array<[string, number]> = [
      [keys.userAtIp, this.maxFailures],
      [keys.user, this.maxFailures * 10],
      [keys.ip, this.maxFailures * 4],
    ];
    const tx = this.redis.multi();
    // NX keeps the first attempt's window: repeated attempts do not extend it for ever.
    for (const [key] of limits) tx.incr(key).expire(key, this.windowSeconds, 'NX').ttl(key);
    const results = await tx.exec();
    for (const [i, [, limit]] of limits.entries()) {
      const count = Number(results?.[i * 3]?.[1] ?? 0);
      if (count > limit) return { allowed: false, retryAfter: Math.max(1, Number(results?.[i * 3 + 2]?.[1] ?? 0)) };
    }
    return { allowed: true };
  }

  /** A successful login: the username's counts start again, and the address's takes this attempt back. */
  async succeeded(username: string, ip: string): Promise<void> {
    const keys = this.#keys(username, ip);
    await this.redis.multi().del(keys.userAtIp, keys.user).decr(keys.ip).exec();
  }
}
