import { and, eq, isNull, lt, or } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { users } from '../db/schema.js';

/** Activity is kept to the minute: enough for "active in the last hour", one write per agent and minute. */
const RESOLUTION_MS = 60_000;
const lastWritten = new Map<string, number>();

/**
 * Records that the agent is at work (asked for a case or heartbeat). The language figures count
 * an agent as active for an hour after this. Writes at most once a minute per agent and process.
 */
export async function recordActivity(db: Db, agentId: string, now: Date): Promise<void> {
  const last = lastWritten.get(agentId);
  if (last !== undefined && now.getTime() >= last && now.getTime() - last < RESOLUTION_MS) return;
  if (lastWritten.size > 10_000) lastWritten.clear();
  lastWritten.set(agentId, now.getTime());
  await db
    .update(users)
    .set({ lastActiveAt: now })
    .where(and(eq(users.id, agentId), or(isNull(users.lastActiveAt), lt(users.lastActiveAt, new Date(now.getTime() - RESOLUTION_MS)))));
}
