import { and, eq, inArray, sql } from 'drizzle-orm';
import { hashPassword } from '../auth/password.js';
import type { Db, Tx } from '../db/client.js';
import { isUniqueViolation } from '../db/errors.js';
import { clients, sessions, userClients, users } from '../db/schema.js';
import { forgetSessions } from '../auth/sessions.js';
import { AppError, badRequest, notFound } from '../http/errors.js';
import type { UserCreate, UserPatch } from './users.schemas.js';

export interface UserView {
  id: string;
  username: string;
  displayName: string;
  role: 'agent' | 'lead' | 'admin';
  clientIds: string[];
  languages: string[];
  extension: string | null;
  active: boolean;
  createdAt: string;
}

export async function listUsers(db: Db): Promise<UserView[]> {
  const rows = await db.select().from(users).orderBy(users.username);
  const scopes = await db.select().from(userClients);
  return rows.map((u) => view(u, scopes.filter((s) => s.userId === u.id).map((s) => s.clientId)));
}

export async function getUser(db: Db, id: string): Promise<UserView> {
  const [u] = await db.select().from(users).where(eq(users.id, id));
  if (!u) throw notFound('User');
  const scope = await db.select().from(userClients).where(eq(userClients.userId, id));
  return view(u, scope.map((s) => s.clientId));
}

/** A new user; `extension` may be left out (none). */
export type NewUser = Omit<UserCreate, 'extension'> & Partial<Pick<UserCreate, 'extension'>>;

export async function createUser(db: Db, input: NewUser): Promise<UserView> {
  const passwordHash = await hashPassword(input.password);
  const id = await db.transaction(async (tx) => {
    await assertUsernameFree(tx, input.username);
    await assertClientsExist(tx, input.clientIds);
    const [row] = await tx
      .insert(users)
      .values({ username: input.username, passwordHash, displayName: input.displayName, role: input.role, languages: input.languages, extension: input.extension ?? null })
      .returning({ id: users.id });
    await setScope(tx, row!.id, input.clientIds);
    return row!.id;
  }).catch((err: unknown) => {
    // Two creations of the same name at once: the index decides, the loser gets the same 409.
    if (isUniqueViolation(err, 'users_username_lower')) throw usernameTaken(input.username);
    throw err;
  });
  return getUser(db, id);
}

export async function updateUser(db: Db, id: string, patch: UserPatch, now: Date): Promise<UserView> {
  const passwordHash = patch.password ? await hashPassword(patch.password) : undefined;
  await db.transaction(async (tx) => {
    // The active admins first, then the user's own row: two admins demoting each other at once
    // take their locks in the same order, so one waits for the other instead of a deadlock.
    if ((patch.role !== undefined && patch.role !== 'admin') || patch.active === false) await assertAnotherAdmin(tx, id);
    const [existing] = await tx.select({ id: users.id }).from(users).where(eq(users.id, id)).for('update');
    if (!existing) throw notFound('User');
    const { clientIds, password: _password, ...fields } = patch;
    await tx
      .update(users)
      .set({ ...fields, ...(passwordHash ? { passwordHash } : {}), updatedAt: now })
      .where(eq(users.id, id));
    if (clientIds) {
      await assertClientsExist(tx, clientIds);
      await setScope(tx, id, clientIds);
    }
    // A new password or a deactivation ends every open session of that user.
    if (passwordHash || patch.active === false) await tx.delete(sessions).where(eq(sessions.userId, id));
  });
  forgetSessions();
  return getUser(db, id);
}

/**
 * Demoting or deactivating `id` leaves an active admin: with none, nobody could manage users
 * again (the first admin is only created on an empty database). The active admins' rows are
 * locked in id order, so two admins demoting each other at once are decided one after the other.
 */
async function assertAnotherAdmin(tx: Tx, id: string): Promise<void> {
  const admins = await tx.select({ id: users.id }).from(users).where(and(eq(users.role, 'admin'), eq(users.active, true))).orderBy(users.id).for('update');
  if (admins.some((a) => a.id === id) && admins.length === 1) {
    throw new AppError(409, 'last_admin', 'This is the only active admin; make another user admin first');
  }
}

async function assertUsernameFree(tx: Tx, username: string): Promise<void> {
  const [taken] = await tx.select({ id: users.id }).from(users).where(sql`lower(${users.username}) = ${username.toLowerCase()}`);
  if (taken) throw usernameTaken(username);
}

const usernameTaken = (username: string) => new AppError(409, 'username_taken', `The username "${username}" is already taken`, { username });

async function assertClientsExist(tx: Tx, clientIds: string[]): Promise<void> {
  if (clientIds.length === 0) return;
  const found = await tx.select({ id: clients.id }).from(clients).where(inArray(clients.id, clientIds));
  const missing = clientIds.filter((id) => !found.some((f) => f.id === id));
  if (missing.length > 0) throw badRequest(`Unknown client ids: ${missing.join(', ')}`, { clientIds: missing });
}

async function setScope(tx: Tx, userId: string, clientIds: string[]): Promise<void> {
  await tx.delete(userClients).where(eq(userClients.userId, userId));
  const unique = [...new Set(clientIds)];
  if (unique.length > 0) await tx.insert(userClients).values(unique.map((clientId) => ({ userId, clientId })));
}

function view(u: typeof users.$inferSelect, clientIds: string[]): UserView {
  return {
    id: u.id,
    username: u.username,
    displayName: u.displayName,
    role: u.role,
    clientIds: clientIds.sort(),
    languages: u.languages,
    extension: u.extension,
    active: u.active,
    createdAt: u.createdAt.toISOString(),
  };
}
