import type { Redis } from 'ioredis';
import { DELAYED, DELAYED_SCORE_FACTOR, PRIORITIZED, WAIT } from './bullmq-layout.js';

/**
 * The ready index (DESIGN.md section 4a): one sorted set `<prefix>:ready` of call queue →
 * the time (ms) from which it has a job to hand out. A pull reads the due members once
 * instead of probing every queue of the agent.
 *
 * `refresh` recomputes members from BullMQ's own keys: a queue with waiting or prioritized
 * jobs is ready (keeping its older score, so the longest-waiting queue comes first; the pull
 * that hands out one of its jobs sends it to the back, so ready queues take turns); otherwise its
 * earliest delayed job decides (BullMQ's layout, as `bullmq-layout.ts` states it);
 * an empty queue leaves the index. Keys are derived inside the script, so this needs a single
 * Redis node, as BullMQ without hash-tagged prefixes does anyway. `REFRESH_QUEUE_LUA` is that
 * step for one queue, as a Lua function the pull script (`pull-script.ts`) runs too.
 */
export const REFRESH_QUEUE_LUA = `
local function refreshQueue(ready, prefix, q, now)
  local base = prefix .. ':' .. q .. ':'
  if redis.call('LLEN', base .. '${WAIT}') > 0 or redis.call('ZCARD', base .. '${PRIORITIZED}') > 0 then
    local cur = redis.call('ZSCORE', ready, q)
    if not cur or tonumber(cur) > now then redis.call('ZADD', ready, now, q) end
  else
    local d = redis.call('ZRANGE', base .. '${DELAYED}', 0, 0, 'WITHSCORES')
    if d[2] then
      redis.call('ZADD', ready, math.floor(tonumber(d[2]) / ${DELAYED_SCORE_FACTOR}), q)
    else
      redis.call('ZREM', ready, q)
    end
  end
end
`;

const REFRESH = `${REFRESH_QUEUE_LUA}
local now = tonumber(ARGV[2])
for i = 3, #ARGV do refreshQueue(KEYS[1], ARGV[1], ARGV[i], now) end
return 1
`;

export class ReadyIndex {
  readonly #key: string;
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    /** The sorted set's name after the prefix: `ready`, or another index of queues kept the same way. */
    name = 'ready',
  ) {
    this.#key = `${prefix}:${name}`;
    if (!('refreshReady' in redis)) redis.defineCommand('refreshReady', { numberOfKeys: 1, lua: REFRESH });
  }

  /** The sorted set's key. */
  get key(): string {
    return this.#key;
  }

  /** Recomputes the entries of `queues`. */
  async refresh(queues: string[], now: number): Promise<void> {
    if (queues.length === 0) return;
    await (this.redis as unknown as RefreshCommand).refreshReady(this.#key, this.prefix, now, ...queues);
  }

  /** Queues ready at `now`, longest-waiting first. */
  async due(now: number): Promise<string[]> {
    return this.redis.zrangebyscore(this.#key, '-inf', String(now));
  }

  /** Earliest time any of `queues` becomes ready, or null. */
  async nextReadyAt(queues: string[]): Promise<number | null> {
    if (queues.length === 0) return null;
    const scores = await this.redis.zmscore(this.#key, ...(queues as [string, ...string[]]));
    const times = scores.filter((s): s is string => s !== null).map(Number);
    return times.length ? Math.min(...times) : null;
  }

  /** Every queue with the time (ms) from which it has a job to hand out. */
  async scores(): Promise<Array<{ queue: string; readyAt: number }>> {
    const flat = await this.redis.zrange(this.#key, '0', '-1', 'WITHSCORES');
    const out: Array<{ queue: string; readyAt: number }> = [];
    for (let i = 0; i < flat.length; i += 2) out.push({ queue: flat[i]!, readyAt: Number(flat[i + 1]) });
    return out;
  }

  async all(): Promise<string[]> {
    return this.redis.zrange(this.#key, '0', '-1');
  }
}

interface RefreshCommand {
  refreshReady(key: string, prefix: string, now: number, ...queues: string[]): Promise<number>;
}
