import type { Redis } from 'ioredis';

/**
 * Which of many jobs exist, in one script call instead of an `EXISTS` per job: reconcile asks
 * this for every open case's current job in each of its queues. Job keys are derived inside the
 * script (`<prefix>:<queue>:<jobId>`, as `bullmq-layout.ts` states it); all of a prefix's keys
 * share one hash slot.
 *
 * ARGV: prefix, then per job its id, the number of queues and the queues; the answer is one
 * character per (job, queue), '1' where the job exists.
 */
const PRESENT = `
local prefix = ARGV[1]
local out = {}
local i = 2
while i <= #ARGV do
  local id = ARGV[i]
  local n = tonumber(ARGV[i + 1])
  for j = 1, n do
    out[#out + 1] = redis.call('EXISTS', prefix .. ':' .. ARGV[i + 1 + j] .. ':' .. id) == 1 and '1' or '0'
  end
  i = i + 2 + n
end
return table.concat(out)
`;

interface PresenceCommand {
  jobsPresent(route: string, prefix: string, ...args: string[]): Promise<string>;
}

export interface PresenceCheck {
  jobId: string;
  queues: string[];
}

export class JobPresence {
  readonly #redis: Redis & PresenceCommand;
  constructor(
    redis: Redis,
    private readonly prefix: string,
  ) {
    // KEYS[1] is never read: it routes the script to the prefix's node in a cluster.
    if (!('jobsPresent' in redis)) redis.defineCommand('jobsPresent', { numberOfKeys: 1, lua: PRESENT });
    this.#redis = redis as Redis & PresenceCommand;
  }

  /** Per check, whether its job exists in each of its queues (in the order given). */
  async of(checks: PresenceCheck[]): Promise<boolean[][]> {
    if (checks.length === 0) return [];
    const args: string[] = [];
    for (const { jobId, queues } of checks) args.push(jobId, String(queues.length), ...queues);
    const bits = await this.#redis.jobsPresent(`${this.prefix}:presence`, this.prefix, ...args);
    let at = 0;
    return checks.map(({ queues }) => queues.map(() => bits[at++] === '1'));
  }
}
