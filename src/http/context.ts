import type { Redis } from 'ioredis';
import type { Clock } from '../clock.js';
import type { Config } from '../config.js';
import type { Database } from '../db/client.js';
import type { Logger } from '../log.js';
import type { CallQueues } from '../queues/call-queues.js';
import type { Queues } from '../queues/registry.js';

/** Everything a request handler may use; built once by the caller of `createApp`. */
export interface AppDeps {
  config: Config;
  database: Database;
  /** Command connection (fast-fail) for throttling, readiness and queue producers. */
  redis: Redis;
  queues: Queues;
  calls: CallQueues;
  clock: Clock;
  log: Logger;
}

export type Role = 'agent' | 'lead' | 'admin';

export interface SessionUser {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  clientIds: string[];
  /** Of `clientIds`, the active clients: whose cases an agent is handed (an inactive client's wait). */
  callClientIds: string[];
  languages: string[];
}

export interface AppEnv {
  Variables: {
    deps: AppDeps;
    user: SessionUser | null;
  };
}
