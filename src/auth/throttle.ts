import { isIP } from 'node:net';
import type { Redis } from 'ioredis';

/**
 * Login throttling in Redis (under the BullMQ prefix, so several installations can share a
 * Redis). Checked in one script before the password is, so concurrent guesses cannot all slip
 * under a limit; an attempt refused counts nowhere, nor does one that ends before its password
 * is judged (`abandoned`: PostgreSQL away). Over `windowSeconds` from the first:
 * - attempts per username and address: `maxFailures` — the guesser is blocked, the account's
 *   owner at another desk is not (anyone could otherwise lock any agent out with a few wrong
 *   passwords);
 * - attempts per username from any address: 10 × `maxFailures` — guesses from many addresses;
 * - failures per address: `maxAddressFailures` — guesses spread over many usernames. Failures,
 *   not attempts, and many of them: a call center's agents log in behind one NAT at the start
 *   of a shift, many at once, and one agent's typos must not lock the whole shift out;
 * - and, per address, at most 40 × `maxFailures` passwords being checked at the same moment,
 *   so that a burst of guesses sent at once cannot all pass before any has failed.
 * A successful login clears the username's counts and makes its address a known one for that
 * username for {@link KNOWN_ADDRESS_DAYS} days: from a known address the limit per username
 * from any address does not apply, so guesses from ten addresses cannot lock the agent out at
 * their own desk (their call center's address); the limit per username and address still does.
 * An IPv6 address counts by its /64, which one machine or home line has in full.
 */
export class LoginThrottle {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly maxFailures: number,
    private readonly windowSeconds: number,
    private readonly maxAddressFailures: number,
  ) {
    if (!('loginAttempt' in redis)) {
      redis.defineCommand('loginAttempt', { numberOfKeys: 5, lua: ATTEMPT });
      redis.defineCommand('loginChecked', { numberOfKeys: 5, lua: CHECKED });
      redis.defineCommand('loginAbandoned', { numberOfKeys: 5, lua: ABANDONED });
    }
  }

  /** The counts' keys: the username encoded, so that no username can name another's key. */
  #keys(username: string, ip: string): [string, string, string, string, string] {
    const user = `${this.prefix}:login:user:${encodeURIComponent(username.toLowerCase())}`;
    const from = throttledAddress(ip);
    const address = `${this.prefix}:login:ip:${from}`;
    return [`${user}:ip:${from}`, user, address, `${address}:checking`, `${user}:known:${from}`];
  }

  /**
   * Counts this attempt and says whether its password may be checked; if so, `checked` or
   * `abandoned` must follow. `retryAfter`: seconds until the window of the count that blocks ends.
   */
  async attempt(username: string, ip: string): Promise<{ allowed: true } | { allowed: false; retryAfter: number }> {
    const limits = [this.maxFailures, this.maxFailures * 10, this.maxAddressFailures, this.maxFailures * 40];
    const [allowed, ttl] = await (this.redis as Redis & Commands).loginAttempt(...this.#keys(username, ip), ...limits, this.windowSeconds);
    return allowed === 1 ? { allowed: true } : { allowed: false, retryAfter: Math.max(1, ttl) };
  }

  /** The password was checked: a failure counts for the address, a success clears the username's counts. */
  async checked(username: string, ip: string, ok: boolean): Promise<void> {
    await (this.redis as Redis & Commands).loginChecked(...this.#keys(username, ip), ok ? 1 : 0, this.windowSeconds, KNOWN_ADDRESS_DAYS * 86_400);
  }

  /**
   * The attempt ended before its password was judged (PostgreSQL away: 503): what `attempt`
   * counted is taken back. Counted, every try during an outage would be a failure, and after a few
   * the user would be locked out for the window even with the right password.
   */
  async abandoned(username: string, ip: string): Promise<void> {
    await (this.redis as Redis & Commands).loginAbandoned(...this.#keys(username, ip));
  }
}

/** How long an address a user logged in from stays known for that user (`LoginThrottle`). */
export const KNOWN_ADDRESS_DAYS = 30;

/**
 * The address as the throttle counts it: IPv4 as it is (also written IPv4-mapped), IPv6 by its
 * /64 (`2001:db8:1:2::/64`), which a single machine or home line has in full: counted per
 * address, ten of them would be ten guessers.
 */
export function throttledAddress(ip: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped) return mapped[1]!;
  if (isIP(ip) !== 6) return ip;
  const [head = '', tail] = ip.split('%')[0]!.toLowerCase().split('::');
  // A dotted IPv4 tail (`::1.2.3.4`) is two groups; beyond the /64 its value does not matter.
  const groups = (part: string) => (part ? part.split(':').flatMap((g) => (g.includes('.') ? ['0', '0'] : [g])) : []);
  const front = groups(head);
  const back = tail === undefined ? [] : groups(tail);
  const full = [...front, ...Array<string>(Math.max(0, 8 - front.length - back.length)).fill('0'), ...back];
  return `${full.slice(0, 4).map((g) => parseInt(g, 16).toString(16)).join(':')}::/64`;
}

/**
 * KEYS: attempts per username and address, per username, failures per address, checks running
 * for the address, the address known for the username (the per-username limit skipped). Refused (nothing counted) when one is at its limit; else the attempt counts
 * and its check runs. The running checks' count expires a minute after the last, in case a
 * process died during one.
 */
const ATTEMPT = `
local known = redis.call('EXISTS', KEYS[5]) == 1
for i = 1, 4 do
  if not (i == 2 and known) and tonumber(redis.call('GET', KEYS[i]) or '0') >= tonumber(ARGV[i]) then return { 0, redis.call('TTL', KEYS[i]) } end
end
for i = 1, 2 do
  redis.call('INCR', KEYS[i])
  -- Only a count without one gets its window (EXPIRE's NX, written for Redis before 7):
  -- repeated attempts do not extend the first attempt's window for ever.
  if redis.call('TTL', KEYS[i]) < 0 then redis.call('EXPIRE', KEYS[i], ARGV[5]) end
end
redis.call('INCR', KEYS[4])
redis.call('EXPIRE', KEYS[4], 60)
return { 1, 0 }
`;

/** ARGV: 1 when the password was right, the window, how long the address stays known (s). The running checks' count never goes below zero. */
const CHECKED = `
if tonumber(redis.call('GET', KEYS[4]) or '0') > 0 then redis.call('DECR', KEYS[4]) end
if ARGV[1] == '1' then
  redis.call('DEL', KEYS[1], KEYS[2])
  redis.call('SET', KEYS[5], '1', 'EX', ARGV[3])
else
  redis.call('INCR', KEYS[3])
  if redis.call('TTL', KEYS[3]) < 0 then redis.call('EXPIRE', KEYS[3], ARGV[2]) end
end
return 1
`;

/**
 * KEYS as ATTEMPT's: its counts taken back (the attempts per username and address and per
 * username, the running checks), none below zero: a success may have cleared them meanwhile.
 */
const ABANDONED = `
for _, i in ipairs({ 1, 2, 4 }) do
  if tonumber(redis.call('GET', KEYS[i]) or '0') > 0 then redis.call('DECR', KEYS[i]) end
end
return 1
`;

interface Commands {
  loginAttempt(userAtIp: string, user: string, address: string, checking: string, known: string, ...limitsAndWindow: number[]): Promise<[number, number]>;
  loginChecked(userAtIp: string, user: string, address: string, checking: string, known: string, ok: number, windowSeconds: number, knownSeconds: number): Promise<number>;
  loginAbandoned(userAtIp: string, user: string, address: string, checking: string, known: string): Promise<number>;
}
