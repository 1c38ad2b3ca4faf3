import { randomBytes } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { count, eq } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { users } from '../db/schema.js';
import { hashPassword } from './password.js';

/** The file a generated first-admin password is written to (as GitLab's `initial_root_password`). */
export const INITIAL_PASSWORD_FILE = 'initial_admin_password';

/**
 * On the very first start (no users at all) creates the admin from ADMIN_USERNAME /
 * ADMIN_PASSWORD, or with a random password it returns (`createFirstAdmin` keeps it in a file).
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
  // Another process starting at the same moment created it: its password is the one kept.
  if (inserted.length === 0) return { created: false };
  return { created: true, username, generatedPassword: generated };
}

/**
 * `ensureFirstAdmin`, with a generated password written to `DATA_DIR/initial_admin_password`,
 * readable by the process's user only (0600) — never to the console or the log, which in
 * production are a log stream many can read. When that file cannot be written, the admin is
 * removed again and this throws: an admin whose password nobody knows would lock the
 * installation out (the first admin is only ever created while there are no users).
 */
export async function createFirstAdmin(
  db: Db,
  opts: { username: string; password: string | undefined; dataDir: string },
): Promise<{ created: false } | { created: true; username: string; passwordFile: string | null }> {
  const admin = await ensureFirstAdmin(db, opts.username, opts.password);
  if (!admin.created) return admin;
  if (admin.generatedPassword === null) return { created: true, username: admin.username, passwordFile: null };
  const file = path.resolve(opts.dataDir, INITIAL_PASSWORD_FILE);
  try {
    await writeSecret(file, `${admin.generatedPassword}\n`);
  } catch (err) {
    await db.delete(users).where(eq(users.username, admin.username));
    throw new Error(
      `Cannot write the first admin's generated password to ${file} (${(err as Error).message}); ` +
        'make DATA_DIR writable, or set ADMIN_PASSWORD. No admin was created.',
    );
  }
  return { created: true, username: admin.username, passwordFile: file };
}

/** Writes `text` to a new file only its owner can read: a file left by an earlier install is replaced, not reused with its mode. */
async function writeSecret(file: string, text: string): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  await rm(file, { force: true });
  await writeFile(file, text, { mode: 0o600, flag: 'wx' });
}
