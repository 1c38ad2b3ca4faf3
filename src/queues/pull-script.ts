import { Job, type Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { asFunction, packer, raw2NextJobData, scripts } from './bullmq-scripts.js';
import { REFRESH_QUEUE_LUA } from './ready-index.js';
import type { CallJob } from './registry.js';

/**
 * One pull in one Redis call: the due queues of the ready index, in its order (longest waiting
 * first) but `first` before them when it is due and the agent's `preferred` ones (their scarce
 * languages, `scarce-languages.ts`, in the order given) before the rest, filtered to the agent's queues; from the first
 * that has a job, that job is handed out by BullMQ's own `moveToActive` (as `Worker.getNextJob`
 * runs it), locked with the caller's token, and the queue goes to the back of the index (ready
 * queues take turns); every due queue found empty on the way is refreshed. Before, a pull took
 * three calls (read the index, `getNextJob` per queue, refresh), each a socket write and read on
 * both sides, which on these machines cost more than the scripts themselves.
 *
 * The queue of the job handed out stays in the index as due, also when that was its last job: a
 * job the caller then does not hand out (stale, not callable now) goes back to it, and the next
 * pull to find the queue empty refreshes it (a due entry for an empty queue costs that pull one
 * look). The caller passes that queue as `first` to its next pull, so it goes on with the same
 * queue. Keys are derived inside the script, as the ready index's refresh does (single node, or
 * one hash slot through a hash-tagged prefix).
 */
const PULL = `${asFunction('moveToActive', scripts.moveToActive.content)}
${REFRESH_QUEUE_LUA}
local ready = KEYS[1]
local prefix, now, timestamp, opts, first, npreferred = ARGV[1], tonumber(ARGV[2]), ARGV[3], ARGV[4], ARGV[5], tonumber(ARGV[6])
local preferred = {}
for i = 7, 6 + npreferred do preferred[ARGV[i]] = true end
local eligible = {}
for i = 7 + npreferred, #ARGV do eligible[ARGV[i]] = true end
local due = redis.call('ZRANGEBYSCORE', ready, '-inf', now)
local isDue = {}
for _, q in ipairs(due) do isDue[q] = true end
local order = {}
if eligible[first] and isDue[first] then order[1] = first end
-- The preferred in the caller's order (the scarcest first), then the rest in the index's.
for i = 7, 6 + npreferred do
  local q = ARGV[i]
  if q ~= first and eligible[q] and isDue[q] then order[#order + 1] = q end
end
for _, q in ipairs(due) do
  if q ~= first and eligible[q] and not preferred[q] then order[#order + 1] = q end
end
for _, q in ipairs(order) do
  local base = prefix .. ':' .. q .. ':'
  local keys = { base .. 'wait', base .. 'active', base .. 'prioritized', base .. 'events', base .. 'stalled', base .. 'limiter',
    base .. 'delayed', base .. 'paused', base .. 'meta', base .. 'pc', base .. 'marker' }
  local got = moveToActive(keys, { base, timestamp, opts })
  if got[1] ~= 0 then
    -- To the back, also when this was its last job: one not handed out comes back to it.
    redis.call('ZADD', ready, now, q)
    return { q, got[1], got[2] }
  end
  refreshQueue(ready, prefix, q, now)
end
return {}
`;

interface PullCommand {
  pullCall(ready: string, prefix: string, now: number, timestamp: number, opts: Buffer, first: string, npreferred: number, ...queues: string[]): Promise<[] | [string, string[], string]>;
}

export interface Pulled {
  queue: string;
  /** The job, locked with the caller's token (`job.token`), as `Worker.getNextJob` returns it. */
  job: Job<CallJob>;
}

/**
 * Runs the pull script on `redis` for the ready index `readyKey`; null when none of `eligible`
 * has a job due at `now` (ms). `preferred` (a subset of `eligible`) are looked at before the others. `workerOf` gives the queue's (manual) Worker, which the job's
 * own operations (move to delayed, complete) run through.
 */
export async function pullCall(
  redis: Redis,
  o: { readyKey: string; prefix: string; now: number; token: string; lockMs: number; first: string | null; eligible: readonly string[]; preferred?: readonly string[] },
  workerOf: (queue: string) => Worker<CallJob>,
): Promise<Pulled | null> {
  if (!('pullCall' in redis)) redis.defineCommand('pullCall', { numberOfKeys: 1, lua: PULL });
  // As BullMQ's moveToActive packs them (a Worker without name or rate limit).
  const opts = packer.pack({ token: o.token, lockDuration: o.lockMs, limiter: undefined, name: undefined });
  const preferred = o.preferred ?? [];
  const got = await (redis as Redis & PullCommand).pullCall(o.readyKey, o.prefix, o.now, Date.now(), opts, o.first ?? '', preferred.length, ...preferred, ...o.eligible);
  if (got.length === 0) return null;
  const [queue, raw, id] = got;
  const [json] = raw2NextJobData([raw, id, 0, 0]);
  const job = Job.fromJSON<CallJob>(workerOf(queue), json!, id);
  job.token = o.token;
  return { queue, job };
}
