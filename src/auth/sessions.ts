import { createHash, randomBytes } from 'node:crypto';
import { and, eq, gt, sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { prepared } from '../db/prepared.js';
import { sessions, userClients, users } from '../db/schema.js';
import type { SessionUser } from '../http/context.js';

export const SESSION_COOKIE = 'mahn_session';

const digest = (token: string) => createHash('sha256').update(token).digest('base64url');

/** A new session's cookie token, its row's id (the token's digest) and its expiry. */
function newSession(now: Date, hours: number): { token: string; id: string; expiresAt: Date } {
  const token = randomBytes(32).toString('base64url');
  return { token, id: digest(token), expiresAt: new Date(now.getTime() + hours * 3_600_000) };
}

export async function createSession(db: Db, userId: string, now: Date, hours: number): Promise<{ token: string; expiresAt: Date }> {
  const { token, id, expiresAt } = newSession(now, hours);
  await db.insert(sessions).values({ id, userId, createdAt: now, expiresAt });
  return { token, expiresAt };
}

/**
 * A session for a login whose password was verified against `user.passwordHash`; null when that
 * is no longer the user's hash or the user was deactivated since. Both end all of the user's
 * sessions (`updateUser`): one created afterwards from the old password would outlive them. The
 * user's row is locked for share, so a change not yet committed is waited for and the condition
 * read again on the row it leaves; one committed after the session is ends it as any other.
 */
export async function createVerifiedSession(db: Db, user: { id: string; passwordHash: string }, now: Date, hours: number): Promise<{ token: string; expiresAt: Date } | null> {
  const { token, id, expiresAt } = newSession(now, hours);
  const created = await db
    .insert(sessions)
    .select((qb) =>
      qb
        .select({
          id: sql<string>`${id}::text`.as('id'),
          userId: users.id,
          createdAt: sql<Date>`${now.toISOString()}::timestamptz`.as('created_at'),
          expiresAt: sql<Date>`${expiresAt.toISOString()}::timestamptz`.as('expires_at'),
        })
        .from(users)
        .where(and(eq(users.id, user.id), eq(users.passwordHash, user.passwordHash), eq(users.active, true)))
        .for('share'),
    )
    .returning({ id: sessions.id });
  return created.length ? { token, expiresAt } : null;
}

export async function deleteSession(db: Db, token: string): Promise<void> {
  const id = digest(token);
  await db.delete(sessions).where(eq(sessions.id, id));
  remembered.delete(id);
}

/**
 * How long this process trusts a session it has read (ms). An agent's `next` and `outcome` follow
 * each other within seconds: without this, two of an assignment's PostgreSQL round trips read the
 * same session. A change made through this process (logout, deactivation, new password, client
 * scope) is seen at once (`forgetSessions`); one made through another API process within this time.
 */
export const SESSION_TRUST_MS = 2_000;
const REMEMBERED_MAX = 10_000;
const remembered = new Map<string, { user: SessionUser; readAt: number; expiresAt: number }>();

/** Every session is read again from PostgreSQL at its next use: a user or their scope changed. */
export function forgetSessions(): void {
  remembered.clear();
}

// One round trip per request, scope included: this runs for every API call.
const buildSessionQuery = (db: Db) =>
  db
    .select({
      id: users.id,
      username: users.username,
      displayName: users.displayName,
      role: users.role,
      languages: users.languages,
      clientIds: sql<string[]>`array(select uc.client_id::text from user_clients uc where uc.user_id = ${users.id} order by 1)`,
      callClientIds: sql<string[]>`array(select uc.client_id::text from user_clients uc join clients cl on cl.id = uc.client_id where uc.user_id = ${users.id} and cl.active order by 1)`,
      createdAt: sessions.createdAt,
      expiresAt: sessions.expiresAt,
    })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(sessions.id, sql.placeholder('id')), gt(sessions.expiresAt, sql.placeholder('now')), eq(users.active, true)))
    .limit(1)
    .prepare('resolve_session');

/**
 * The logged-in user behind a cookie token, or null (unknown, expired, or user deactivated).
 * Sessions slide: one used in the second half of its `hours` is extended, so an agent in the
 * middle of a call is not logged out by the clock; never beyond twice `hours` after login.
 */
export async function resolveSession(db: Db, token: string, now: Date, hours: number): Promise<SessionUser | null> {
  const id = digest(token);
  const t = now.getTime();
  const known = remembered.get(id);
  if (known && t >= known.readAt && t - known.readAt < SESSION_TRUST_MS && t < known.expiresAt) return known.user;
  const [row] = await prepared(db, 'resolve_session', buildSessionQuery).execute({ id, now: now.toISOString() });
  if (!row) {
    remembered.delete(id);
    return null;
  }
  const { createdAt, expiresAt, ...fields } = row;
  const user: SessionUser = Object.freeze({
    ...fields,
    clientIds: Object.freeze(fields.clientIds) as string[],
    callClientIds: Object.freeze(fields.callClientIds) as string[],
    languages: Object.freeze(fields.languages) as string[],
  });
  if (remembered.size >= REMEMBERED_MAX) remembered.clear();
  remembered.set(id, { user, readAt: t, expiresAt: expiresAt.getTime() });
  const span = hours * 3_600_000;
  if (expiresAt.getTime() - now.getTime() < span / 2) {
    const extended = Math.min(now.getTime() + span, createdAt.getTime() + 2 * span);
    if (extended > expiresAt.getTime()) await db.update(sessions).set({ expiresAt: new Date(extended) }).where(eq(sessions.id, id));
  }
  return user;
}

export async function clientIdsOf(db: Db, userId: string): Promise<string[]> {
  const rows = await db.select({ clientId: userClients.clientId }).from(userClients).where(eq(userClients.userId, userId));
  return rows.map((r) => r.clientId).sort();
}
