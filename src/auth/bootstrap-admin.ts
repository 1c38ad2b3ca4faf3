import { randomBytes } from 'node:crypto';
import { count } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { users } from '../db/schema.js';
import { hashPassword } from './password.js';

/**
 * On the very first start (no users at all) creates the admin from ADMIN_USERNAME /
 * ADMIN_PASSWORD, or with a random password that the caller prints once.
 */
export async function ensureFirstAdmin(
  db: Db,
  username: string,
  password: string | undefined,
): Promise<{ created: false } | { created: true; username: string; generatedPassword: string | null }> {
  const [row] = await db.select({ n: count() }).from(users);
  if ((row?.n ?? 0) > 0) return { created: false };
  const generated = password ? null : randomBytes(12).toString('base64url');
  const inserted = await db
    .insert(users)
    .values({ username, passwordHash: await hashPassword(password ?? generated!), displayName: 'Administrator', role: 'admin' })
    .onConflictDoNothing()
    .returning({ id: users.id });
  // Another process starting at the same moment created it: its password is the one printed.
  if (inserted.length === 0) return { created: false };
  return { created: true, username, generatedPassword: generated };
}
