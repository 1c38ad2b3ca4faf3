import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { ACTIVE, LOCK, lockKey } from './bullmq-layout.js';

/**
 * Handed-out call jobs whose lock is gone: the agent (or the API process) that held one stopped
 * renewing it. One script over every queue named, instead of a BullMQ stalled checker per queue:
 * the cost follows the jobs handed out, not the number of queues. Keys are derived inside the
 * script, as in the ready index (all of a prefix's keys share one hash slot).
 */
const LOST = `
local prefix = ARGV[1]
local out = {}
for i = 2, #ARGV do
  local base = prefix .. ':' .. ARGV[i] .. ':'
  for _, id in ipairs(redis.call('LRANGE', base .. '${ACTIVE}', 0, -1)) do
    if redis.call('EXISTS', base .. id .. ':${LOCK}') == 0 then
      out[#out + 1] = ARGV[i]
      out[#out + 1] = id
    end
  end
end
return out
`;

/** Deletes a lock only while it is still the given token's (another holder may have taken it since). */
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

interface LostLockCommands {
  lostLocks(route: string, prefix: string, ...queues: string[]): Promise<string[]>;
  releaseLock(key: string, token: string): Promise<number>;
}

export interface LostJob {
  queue: string;
  jobId: string;
}

export class LostLocks {
  readonly #redis: Redis & LostLockCommands;
  constructor(
    redis: Redis,
    private readonly prefix: string,
  ) {
    if (!('lostLocks' in redis)) {
      // KEYS[1] is never read: it routes the script to the prefix's node in a cluster.
      redis.defineCommand('lostLocks', { numberOfKeys: 1, lua: LOST });
      redis.defineCommand('releaseLock', { numberOfKeys: 1, lua: RELEASE });
    }
    this.#redis = redis as Redis & LostLockCommands;
  }

  /** The handed-out jobs of `queues` that nobody holds a lock on any more. */
  async find(queues: string[]): Promise<LostJob[]> {
    if (queues.length === 0) return [];
    const flat = await this.#redis.lostLocks(`${this.prefix}:lost-locks`, this.prefix, ...queues);
    const out: LostJob[] = [];
    for (let i = 0; i < flat.length; i += 2) out.push({ queue: flat[i]!, jobId: flat[i + 1]! });
    return out;
  }

  /**
   * Takes the lost lock of a job with a token of its own (`SET NX`: never one somebody holds
   * again) and runs `move` with it; false when somebody else holds the job meanwhile. A move that
   * fails (the job left the active list in between) gives the lock back.
   */
  async takeOver(job: LostJob, move: (token: string) => Promise<unknown>, holdMs = 30_000): Promise<boolean> {
    const key = lockKey(this.prefix, job.queue, job.jobId);
    const token = randomUUID();
    if ((await this.#redis.set(key, token, 'PX', holdMs, 'NX')) !== 'OK') return false;
    try {
      await move(token);
      return true;
    } catch {
      await this.#redis.releaseLock(key, token);
      return false;
    }
  }
}
