import { describe, expect, it } from 'vitest';
import { runToExit as run } from './helpers/processes.js';

/** `start:api` and `start:workers` as an operator meets them with a wrong setting or no Redis: what is wrong, no stack trace. */
describe('the production entry points refusing to start', () => {
  it.each([
    ['src/server.ts', { LOCK_SECONDS: '1' }, /^Invalid configuration:\n {2}LOCK_SECONDS: .+\n$/],
    ['workers/index.ts', { DELIVERY_CRON: '99 * * * *' }, /^Invalid configuration:\n {2}DELIVERY_CRON: must be a cron expression whose fields are in range.*\n$/],
    ['src/server.ts', { DATABASE_URL: '' }, /^DATABASE_URL is not set: the API and workers processes share one PostgreSQL .+\n$/],
    ['workers/index.ts', { DATABASE_URL: '' }, /^DATABASE_URL is not set: .+\n$/],
    ['workers/index.ts', { REDIS_URL: 'redis://127.0.0.1:1', DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/postgres' }, /^Cannot start: Redis at .+ does not answer: .+\n$/],
  ])('%s with %o says why and exits 1', async (entry, env, line) => {
    const { code, stderr } = await run(entry, env);
    expect(code).toBe(1);
    expect(stderr).toMatch(line);
    expect(stderr).not.toMatch(/\n\s+at /);
  }, 30_000);
});
