import type { DispatchDeps } from '../src/deps.js';
import type { Config } from '../src/config.js';
import type { Runtime } from '../src/runtime.js';

export const dispatchDeps = (rt: Runtime): DispatchDeps => ({
  db: rt.database.db,
  calls: rt.calls,
  queues: rt.queues,
  clock: rt.clock,
  config: rt.config,
  log: rt.log,
});

/** The lock of an import or delivery job (`JOB_LOCK_SECONDS`); a dead holder's job is found by the next stall check. */
export const jobLock = (config: Config) => ({
  lockDuration: config.JOB_LOCK_SECONDS * 1000,
  stalledInterval: Math.min(5_000, (config.JOB_LOCK_SECONDS * 1000) / 2),
});
