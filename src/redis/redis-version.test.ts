import { describe, expect, it } from 'vitest';
import { redisVersionProblem } from './connection.js';

describe('redisVersionProblem', () => {
  it.each([
    ['7.0.15', null],
    ['6.2.0', null],
    ['10.1.3', null],
    ['6.0.16', 'Redis 6.0 is too old: Mahnanrufe needs Redis 6.2 or newer'],
    ['5.0.14', 'Redis 5.0 is too old: Mahnanrufe needs Redis 6.2 or newer'],
  ])('redis_version %s → %s', (version, problem) => {
    expect(redisVersionProblem(`# Server\r\nredis_version:${version}\r\nredis_mode:standalone\r\n`)).toBe(problem);
  });

  it('lets a server pass that does not say its version', () => {
    expect(redisVersionProblem('# Server\r\nredis_mode:standalone\r\n')).toBeNull();
  });
});
