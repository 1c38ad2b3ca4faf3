import type { DispatchDeps } from '../src/deps.js';
import type { Runtime } from '../src/runtime.js';

export const dispatchDeps = (rt: Runtime): DispatchDeps => ({
  db: rt.database.db,
  calls: rt.calls,
  queues: rt.queues,
  clock: rt.clock,
  config: rt.config,
  log: rt.log,
});
