import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { LoginThrottle, throttledAddress } from '../src/auth/throttle.js';
import { TEST_REDIS_URL } from './helpers/env.js';

const redis = new Redis(TEST_REDIS_URL);
const prefix = `throttle-window-${process.pid}-${Date.now()}`;
afterAll(async () => {
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length) await redis.del(...keys);
  await redis.quit();
});

/** A count's window runs from the first attempt: later attempts and failures do not extend it. */
describe('login throttle windows', () => {
  it('keep the first attempt’s expiry for the username and the address’s failures', async () => {
    const throttle = new LoginThrottle(redis, prefix, 5, 900, 50);
    const user = `${prefix}:login:user:anna`;
    const failures = `${prefix}:login:ip:10.0.0.7`;
    expect(await throttle.attempt('Anna', '10.0.0.7')).toEqual({ allowed: true });
    await throttle.checked('Anna', '10.0.0.7', false);
    expect(await redis.ttl(user)).toBeGreaterThan(890);
    expect(await redis.ttl(failures)).toBeGreaterThan(890);
    // As if 600 s had passed: the windows have 300 s left.
    await redis.expire(user, 300);
    await redis.expire(failures, 300);
    expect(await throttle.attempt('anna', '10.0.0.7')).toEqual({ allowed: true });
    await throttle.checked('anna', '10.0.0.7', false);
    expect(await redis.get(user)).toBe('2');
    expect(await redis.get(failures)).toBe('2');
    expect(await redis.ttl(user)).toBeLessThanOrEqual(300);
    expect(await redis.ttl(failures)).toBeLessThanOrEqual(300);
  });
});

describe('login throttle against guesses from many addresses', () => {
  it('counts an IPv6 address by its /64, an IPv4-mapped one as IPv4', () => {
    expect(throttledAddress('2001:db8:1:2::a')).toBe('2001:db8:1:2::/64');
    expect(throttledAddress('2001:0db8:0001:0002:ffff:1:2:3')).toBe('2001:db8:1:2::/64');
    expect(throttledAddress('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(throttledAddress('::1')).toBe('0:0:0:0::/64');
    expect(throttledAddress('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
    expect(throttledAddress('::ffff:192.0.2.7')).toBe('192.0.2.7');
    expect(throttledAddress('192.0.2.7')).toBe('192.0.2.7');
    expect(throttledAddress('unknown')).toBe('unknown');
  });

  it('blocks ten addresses of one /64 as one guesser', async () => {
    const throttle = new LoginThrottle(redis, `${prefix}-v6`, 5, 900, 50);
    for (let i = 1; i <= 5; i++) {
      expect(await throttle.attempt('bert', `2001:db8:1:2::${i}`)).toEqual({ allowed: true });
      await throttle.checked('bert', `2001:db8:1:2::${i}`, false);
    }
    expect((await throttle.attempt('bert', '2001:db8:1:2::6')).allowed).toBe(false);
    expect(await throttle.attempt('bert', '2001:db8:1:3::1')).toEqual({ allowed: true });
  });

  it('lets the owner log in from an address they logged in from before while guesses from ten addresses block the username elsewhere', async () => {
    const throttle = new LoginThrottle(redis, `${prefix}-known`, 5, 900, 50);
    const desk = '198.51.100.20';
    // Anna logged in at the call center yesterday.
    expect(await throttle.attempt('anna', desk)).toEqual({ allowed: true });
    await throttle.checked('anna', desk, true);
    // 5 wrong passwords from each of 10 addresses: the username's limit from anywhere (50).
    for (let a = 1; a <= 10; a++) {
      for (let i = 0; i < 5; i++) {
        expect(await throttle.attempt('anna', `203.0.113.${a}`)).toEqual({ allowed: true });
        await throttle.checked('anna', `203.0.113.${a}`, false);
      }
    }
    expect((await throttle.attempt('anna', '192.0.2.99')).allowed).toBe(false);
    // At her desk she still gets in.
    expect(await throttle.attempt('anna', desk)).toEqual({ allowed: true });
    await throttle.checked('anna', desk, true);
  });
});
