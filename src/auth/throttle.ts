import type { Redis } from 'ioredis';

/**
 * Login throttling in Redis (under the BullMQ prefix, so several installations can share a
 * Redis). Every attempt is counted before the password is checked, atomically, so concurrent
 * guesses cannot all slip under a limit; a successful login takes its own attempt back, and an
 * attempt refused counts nowhere. Three counts, each over `windowSeconds` from its first attempt:
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
  ) {
    if (!('loginAttempt' in redis)) {
      redis.defineCommand('loginAttempt', { numberOfKeys: 3, lua: ATTEMPT });
      redis.defineCommand('loginSucceeded', { numberOfKeys: 3, lua: SUCCEEDED });
    }
  }

  /** The counts' keys: the username encoded, so that no username can name another's key. */
  #keys(username: string, ip: string): [string, string, string] {
    const user = `${this.prefix}:login:user:${encodeURIComponent(username.toLowerCase())}`;
    return [`${user}:ip:${ip}`, user, `${this.prefix}:login:ip:${ip}`];
  }

  /**
   * Counts this attempt and says whether its password may be checked. `retryAfter`: seconds
   * until the window of the count that blocks ends.
   */
  async attempt(username: string, ip: string): Promise<{ allowed: true } | { allowed: false; retryAfter: number }> {
    const limits = [this.maxFailures, this.maxFailures * 10, this.maxFailures * 4];
    const [allowed, ttl] = await (this.redis as Redis & Commands).loginAttempt(...this.#keys(username, ip), ...limits, this.windowSeconds);
    return allowed === 1 ? { allowed: true } : { allowed: false, retryAfter: Math.max(1, ttl) };
  }

  /** A successful login: the username's counts start again, and the address's takes this attempt back. */
  async succeeded(username: string, ip: string): Promise<void> {
    await (this.redis as Redis & Commands).loginSucceeded(...this.#keys(username, ip));
  }
}

/** Refused (nothing counted) when a count is at its limit; else every count goes up by one. */
const ATTEMPT = `
for i = 1, 3 do
  if tonumber(redis.call('GET', KEYS[i]) or '0') >= tonumber(ARGV[i]) then return { 0, redis.call('TTL', KEYS[i]) } end
end
for i = 1, 3 do
  redis.call('INCR', KEYS[i])
  -- NX keeps the first attempt's window: repeated attempts do not extend it for ever.
  redis.call('EXPIRE', KEYS[i], ARGV[4], 'NX')
end
return { 1, 0 }
`;

/** The username's counts go; the address's loses this attempt (never below zero, never without its window). */
const SUCCEEDED = `
redis.call('DEL', KEYS[1], KEYS[2])
if tonumber(redis.call('GET', KEYS[3]) or '0') > 0 then redis.call('DECR', KEYS[3]) end
return 1
`;

interface Commands {
  loginAttempt(userAtIp: string, user: string, ip: string, ...limitsAndWindow: number[]): Promise<[number, number]>;
  loginSucceeded(userAtIp: string, user: string, ip: string): Promise<number>;
}
