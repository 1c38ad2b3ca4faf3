import { and, eq, gt, inArray, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { cases, clients, dunningLists, userClients, users } from '../db/schema.js';
import type { LanguageRouting } from '../scheduling/index.js';
import { routingLanguage } from './case-state.js';
import { fallsBackToAll, languagePolicy, speaks } from './routing.js';

/** Who counts as there to speak a language: an agent who asked for a case or heartbeat within this. */
export const ACTIVE_WINDOW_MS = 3_600_000;

/** Open cases of one language that no active agent of their client speaks. */
export interface LanguageGap {
  /** The case's (main) language, e.g. `fr`. */
  language: string;
  cases: number;
  /** The client's routing: `strict` or `prefer` (`off` has no gaps). */
  routing: Exclude<LanguageRouting, 'off'>;
  fallbackMinutes: number;
  /**
   * Whether agents who do not speak it get these cases after `fallbackMinutes`: under `prefer`,
   * except for the client's own language (`fallsBackToAll`); otherwise they wait for a speaker.
   */
  fallback: boolean;
}

/**
 * Open cases of active lists (of one list, or of some clients), due, neither held nor with an
 * outcome on its way, waiting for a language that none of their client's agents at work (active
 * in the last hour) speaks, by language. A client with nobody at work has none (before the
 * shift every language would be missing), nor one with `languageRouting: off`: anyone gets its
 * cases.
 */
export async function languageGaps(db: Db, scope: { listId: string } | { clientIds: string[] }, now: Date): Promise<LanguageGap[]> {
  if ('clientIds' in scope && scope.clientIds.length === 0) return [];
  const where: SQL = 'listId' in scope ? eq(cases.listId, scope.listId) : inArray(cases.clientId, scope.clientIds);
  const groups = await db
    .select({ clientId: cases.clientId, language: cases.language, secondLanguage: cases.secondLanguage, settings: clients.settings, n: sql<number>`count(*)::int` })
    .from(cases)
    .innerJoin(dunningLists, eq(dunningLists.id, cases.listId))
    .innerJoin(clients, eq(clients.id, cases.clientId))
    .where(
      and(
        where,
        eq(cases.status, 'open'),
        eq(dunningLists.status, 'active'),
        // Due: a case planned for next week waits for its time, not for a language.
        sql`coalesce(${cases.nextDueAt} <= ${now.toISOString()}::timestamptz, true)`,
        // Held, or its outcome posted but not yet recorded: not waiting for anybody.
        sql`not exists (select 1 from assignments a where a.case_id = ${cases.id} and (a.ended_at is null or a.outcome is not null))`,
      ),
    )
    .groupBy(cases.clientId, cases.language, cases.secondLanguage, clients.settings);
  if (groups.length === 0) return [];

  const clientIds = [...new Set(groups.map((g) => g.clientId))];
  const agents = await db
    .select({ clientId: userClients.clientId, languages: users.languages })
    .from(userClients)
    .innerJoin(users, eq(users.id, userClients.userId))
    .where(and(inArray(userClients.clientId, clientIds), eq(users.role, 'agent'), eq(users.active, true), gt(users.lastActiveAt, new Date(now.getTime() - ACTIVE_WINDOW_MS))));

  const gaps = new Map<string, LanguageGap>();
  for (const g of groups) {
    const policy = languagePolicy(g.settings);
    if (policy.mode === 'off') continue;
    const working = agents.filter((a) => a.clientId === g.clientId);
    // Nobody of the client at work (before the shift, at lunch): no language is missing.
    if (working.length === 0 || working.some((a) => speaks(a.languages, g))) continue;
    const language = routingLanguage(g.language);
    const fallback = policy.mode === 'prefer' && fallsBackToAll(g, g.settings);
    const key = `${language}\u0000${policy.mode}\u0000${policy.fallbackMinutes}\u0000${fallback}`;
    const gap = gaps.get(key) ?? { language, cases: 0, routing: policy.mode, fallbackMinutes: policy.fallbackMinutes, fallback };
    gap.cases += g.n;
    gaps.set(key, gap);
  }
  return [...gaps.values()].sort((a, b) => b.cases - a.cases || a.language.localeCompare(b.language));
}
