import { sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { users } from '../db/schema.js';
import { dummyPasswordHash, verifyPassword } from './password.js';
import { createVerifiedSession } from './sessions.js';

export type LoggedIn = { user: typeof users.$inferSelect; session: { token: string; expiresAt: Date } };

/**
 * Checks a login's password and opens its session; null for a wrong username or password, an
 * inactive user, or a password changed while this one was being checked (the session is created
 * only while the user still has the hash it was verified against: `createVerifiedSession`).
 * Throws when PostgreSQL does (away: the API answers 503); there is then no verdict on the password.
 */
export async function logIn(db: Db, username: string, password: string, now: Date, hours: number): Promise<LoggedIn | null> {
  const [user] = await db
    .select()
    .from(users)
    .where(sql`lower(${users.username}) = ${username.toLowerCase()}`)
    .limit(1);
  // An unknown username costs a verification too: the answer's timing tells nobody which names exist.
  const ok = await verifyPassword(user?.passwordHash ?? (await dummyPasswordHash()), password);
  if (!user || !ok || !user.active) return null;
  const session = await createVerifiedSession(db, user, now, hours);
  return session && { user, session };
}
