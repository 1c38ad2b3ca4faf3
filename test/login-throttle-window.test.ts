import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { LoginThrottle } from '../src/auth/throttle.js';
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
