import { createRedisBackend, type BackendFactory } from 'bullmq';
import type { RedisQueueBackend } from 'bullmq';

/**
 * For Workers that never block: the API's manual pullers (`getNextJob` with `block: false`).
 * BullMQ gives every Worker a dedicated blocking connection of its own — one Redis connection
 * per call queue, so per client × language. These Workers run their scripts on the connection
 * they are given instead, so a process holds the same few connections whatever the number of
 * queues.
 */
export const sharedConnectionBackend: BackendFactory<RedisQueueBackend> = (name, opts) =>
  createRedisBackend(name, opts, { blocking: false, withBlockingConnection: false });
