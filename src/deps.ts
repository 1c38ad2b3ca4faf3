import type { Clock } from '../clock.js';
import type { Config } from '../config.js';
import type { Db } from '../db/client.js';
import type { Logger } from '../log.js';
import type { CallQueues } from '../queues/call-queues.js';
import type { Queues } from '../queues/registry.js';

/** What dispatch needs; the HTTP deps and the worker runtime both satisfy it. */
export interface DispatchDeps {
  db: Db;
  calls: CallQueues;
  queues: Queues;
  clock: Clock;
  config: Config;
  log: Logger;
}
