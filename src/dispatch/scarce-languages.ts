import { and, eq, gt } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { userClients, users } from '../db/schema.js';
import type { SessionUser } from '../http/context.js';
import { caseQueue, routingLanguage } from './case-state.js';
import { ACTIVE_WINDOW_MS } from './language-gaps.js';

/**
 * An agent who speaks several languages serves the scarcest first. Ready queues otherwise take
 * turns, so a German–French agent took a German case as often as a French one while German-only
 * colleagues waited for work and the French cases waited for the few who speak French — under
 * `prefer` until they fell back to agents who do not speak it. Of an agent's languages, those
 * spoken by fewer of the client's agents at work (active in the last hour, as for the language
 * gaps) than another of theirs come first, the scarcest first; the client's "any language" queue
 * and the agent's most common language after them, in the ready index's order. With nobody else
 * at work, or all speaking the same languages, nothing is preferred.
 */

/** Agents at work per client and (routing) language. */
export type Speakers = (clientId: string, language: string) => number;

/** The agent's queues to look at first: their languages scarcer than another of theirs, per client, the scarcest first. Pure. */
export function scarceQueues(agent: Pick<SessionUser, 'callClientIds' | 'languages'>, speakers: Speakers): string[] {
  const languages = [...new Set(agent.languages.map(routingLanguage))];
  if (languages.length < 2) return [];
  const preferred: Array<{ queue: string; n: number }> = [];
  for (const clientId of agent.callClientIds) {
    const counts = languages.map((language) => ({ language, n: speakers(clientId, language) }));
    const most = Math.max(...counts.map((c) => c.n));
    for (const c of counts) if (c.n < most) preferred.push({ queue: caseQueue({ clientId, language: c.language }), n: c.n });
  }
  return preferred.sort((a, b) => a.n - b.n).map((p) => p.queue);
}

/** Read again when a pull finds the counts this old; that pull still uses them (no pull waits for a refresh). */
const SPEAKERS_TTL_MS = 60_000;

interface Cached {
  at: number;
  counts: Map<string, number>;
  loading?: Promise<void>;
}
const cache = new WeakMap<Db, Cached>();
const key = (clientId: string, language: string) => `${clientId}\u0000${language}`;

/**
 * The agents at work per client and language, as this process last read them. The first pull
 * of a multilingual agent in a process waits for the read (one read for all pulls at that
 * moment); after that it is refreshed in the background when a pull finds it older than a
 * minute, so no other pull waits. A failed read prefers nothing: the preference never fails a pull.
 */
export async function speakersAtWork(db: Db, now: Date): Promise<Speakers> {
  let entry = cache.get(db);
  if (!entry) {
    const e: Cached = { at: 0, counts: new Map() };
    cache.set(db, (entry = e));
    await refresh(db, e, now);
  } else if (entry.at === 0 && entry.loading) await entry.loading; // the first read, still on its way
  else if (now.getTime() - entry.at >= SPEAKERS_TTL_MS) void refresh(db, entry, now);
  const counts = entry.counts;
  return (clientId, language) => counts.get(key(clientId, language)) ?? 0;
}

/** Reads the counts into `e`, one read at a time; on failure keeps what it had (nothing at first). */
function refresh(db: Db, e: Cached, now: Date): Promise<void> {
  e.loading ??= readSpeakers(db, now)
    .then((counts) => void Object.assign(e, { counts, at: now.getTime() }))
    .catch(() => void (e.at = now.getTime())) // tried again after a minute
    .finally(() => delete e.loading);
  return e.loading;
}

/** Forgets what this process read (tests: agents made active since). */
export function forgetSpeakers(db: Db): void {
  cache.delete(db);
}

async function readSpeakers(db: Db, now: Date): Promise<Map<string, number>> {
  const rows = await db
    .select({ clientId: userClients.clientId, languages: users.languages })
    .from(users)
    .innerJoin(userClients, eq(userClients.userId, users.id))
    .where(and(eq(users.role, 'agent'), eq(users.active, true), gt(users.lastActiveAt, new Date(now.getTime() - ACTIVE_WINDOW_MS))));
  const counts = new Map<string, number>();
  for (const r of rows) {
    // Each agent once per routing language: one speaking `de` and `rm` is one for the `de` queue.
    for (const language of new Set(r.languages.map(routingLanguage))) {
      const k = key(r.clientId, language);
      counts.set(k, (counts.get(k) ?? 0) + 1);
    }
  }
  return counts;
}
