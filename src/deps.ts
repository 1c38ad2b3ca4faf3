import type { Clock } from './clock.js';
import type { Config } from './config.js';
import type { Db } from './db/client.js';
import type { Logger } from './log.js';
import type { CallQueues } from './queues/call-queues.js';
import type { Queues } from './queues/registry.js';

/** What the services need; built from the HTTP deps or from the worker runtime. */
export interface ServiceDeps {
  db: Db;
  calls: CallQueues;
  queues: Queues;
  clock: Clock;
  config: Config;
  log: Logger;
}

/** Dispatch's name for the same thing. */
export type DispatchDeps = ServiceDeps;
