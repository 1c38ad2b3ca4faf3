import type { Redis } from 'ioredis';
import type { MaintenanceJob } from '../queues/registry.js';

type Task = MaintenanceJob['task'];

/**
 * When each maintenance task last ended well and last failed, in one Redis hash
 * (`<prefix>:maintenance-runs`, fields `<task>:ok` and `<task>:failed`, ms since the epoch).
 * Written by the workers process that ran the task, read by `/metrics` in any API process: a
 * failed retention or delivery sweep shows as a last success that grows old, which an alert
 * can catch (BullMQ's failed set keeps a failure long after the next run went well).
 * A Redis that lost its data has no entries: the gauges are absent until the next runs.
 */
export class MaintenanceRuns {
  readonly #key: string;
  constructor(
    private readonly redis: Redis,
    prefix: string,
  ) {
    this.#key = `${prefix}:maintenance-runs`;
  }

  async record(task: Task, ok: boolean, at: Date): Promise<void> {
    await this.redis.hset(this.#key, `${task}:${ok ? 'ok' : 'failed'}`, at.getTime());
  }

  /** Per task, the seconds since the epoch of its last success and last failure, where known. */
  async read(): Promise<Array<{ task: string; outcome: 'ok' | 'failed'; at: number }>> {
    const fields = await this.redis.hgetall(this.#key);
    return Object.entries(fields).flatMap(([field, ms]) => {
      const [task, outcome] = field.split(':');
      if (!task || (outcome !== 'ok' && outcome !== 'failed')) return [];
      return [{ task, outcome, at: Number(ms) / 1000 }];
    });
  }
}
