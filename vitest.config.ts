import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

/** What also runs against a local Redis Cluster (`test/redis-cluster-setup.ts`): dispatch and several processes. */
const ON_CLUSTER = ['test/dispatch.test.ts', 'test/dispatch-faults.test.ts', 'test/record-outcome.test.ts', 'test/language-routing.test.ts', 'test/several-processes.test.ts'];

export default defineConfig({
  test: {
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // Most of a file's time is spent waiting on Redis, PostgreSQL, spawned processes or Chromium,
    // so even two cores run two files at once (vitest's default, cores − 1, ran them one by one
    // there: 989 s against 627 s for the whole suite; three at a time took 690 s).
    maxWorkers: Math.max(2, availableParallelism() - 1),
    projects: [
      { extends: true, test: { name: 'main', include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'workers/**/*.test.ts'] } },
      { extends: true, test: { name: 'redis-cluster', include: ON_CLUSTER, globalSetup: ['test/global-setup.ts', 'test/redis-cluster-setup.ts'] } },
    ],
  },
});
