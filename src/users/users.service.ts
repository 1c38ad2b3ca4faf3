import { and, eq, inArray, sql } from 'drizzle-orm';
import { hashPassword } from '../auth/password.js';
import type { Db, Tx } from '../db/client.js';
import { isUniqueViolation } from '../db/errors.js';
import { clients, sessions, userClients, users } from '../db/schema.js';
import { forgetSessions } from '../auth/sessions.js';
import { AppError, badRequest, notFound } from '../http/errors.js';
import { audit } from '../audit/audit.js';
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

/** Who made a change to users, for the audit trail: an admin, or null (the first admin at start, tests). */
export interface UserChangeBy {
  actorId: string | null;
  at: Date;
}

export async function createUser(db: Db, input: NewUser, by: UserChangeBy = { actorId: null, at: new Date() }): Promise<UserView> {
  const passwordHash = await hashPassword(input.password);
  const id = await db.transaction(async (tx) => {
    await assertUsernameFree(tx, input.username);
    await assertClientsExist(tx, input.clientIds);
    const [row] = await tx
      .insert(users)
      .values({ username: input.username, passwordHash, displayName: input.displayName, role: input.role, languages: input.languages, extension: input.extension ?? null })
      .returning({ id: users.id });
    await setScope(tx, row!.id, input.clientIds);
    await audit(tx, { at: by.at, actorId: by.actorId, action: 'user.created', entityType: 'user', entityId: row!.id, details: { username: input.username, role: input.role, clientIds: [...new Set(input.clientIds)].sort() } });
    return row!.id;
  }).catch((err: unknown) => {
    // Two creations of the same name at once: the index decides, the loser gets the same 409.
    if (isUniqueViolation(err, 'users_username_lower')) throw usernameTaken(input.username);
    throw err;
  });
  return getUser(db, id);
}

export async function updateUser(db: Db, id: string, patch: UserPatch, now: Date, actorId: string | null = null): Promise<UserView> {
  const passwordHash = patch.password ? await hashPassword(patch.password) : undefined;
  await db.transaction(async (tx) => {
    // The active admins first, then the user's own row: two admins demoting each other at once
    // take their locks in the same order, so one waits for the other instead of a deadlock.
    if ((patch.role !== undefined && patch.role !== 'admin') || patch.active === false) await assertAnotherAdmin(tx, id);
    const [existing] = await tx
      .select({ role: users.role, active: users.active, displayName: users.displayName, languages: users.languages, extension: users.extension })
      .from(users)
      .where(eq(users.id, id))
      .for('update');
    if (!existing) throw notFound('User');
    const { clientIds, password: _password, ...fields } = patch;
    await tx
      .update(users)
      .set({ ...fields, ...(passwordHash ? { passwordHash } : {}), updatedAt: now })
      .where(eq(users.id, id));
    let scope: { from: string[]; to: string[] } | undefined;
    if (clientIds) {
      await assertClientsExist(tx, clientIds);
      const from = (await tx.select({ id: userClients.clientId }).from(userClients).where(eq(userClients.userId, id))).map((r) => r.id).sort();
      await setScope(tx, id, clientIds);
      scope = { from, to: [...new Set(clientIds)].sort() };
    }
    const changes = userChanges(existing, patch, scope);
    if (Object.keys(changes).length) await audit(tx, { at: now, actorId, action: 'user.changed', entityType: 'user', entityId: id, details: changes });
    // A new password or a deactivation ends every open session of that user.
    if (passwordHash || patch.active === false) await tx.delete(sessions).where(eq(sessions.userId, id));
  });
  forgetSessions();
  return getUser(db, id);
}

/**
 * What a patch changed, for the audit trail: role, active and scope as from → to, a new password
 * as `true` (never the password), other fields by name when their value changed.
 */
function userChanges(
  before: { role: string; active: boolean; displayName: string; languages: string[]; extension: string | null },
  patch: UserPatch,
  scope?: { from: string[]; to: string[] },
): Record<string, unknown> {
  const changes: Record<string, unknown> = {};
  if (patch.role !== undefined && patch.role !== before.role) changes.role = { from: before.role, to: patch.role };
  if (patch.active !== undefined && patch.active !== before.active) changes.active = { from: before.active, to: patch.active };
  if (scope && scope.from.join() !== scope.to.join()) changes.clientIds = scope;
  if (patch.password) changes.password = true;
  // The admin screen sends every field: only those whose value changed count.
  const other = (['displayName', 'languages', 'extension'] as const).filter((f) => patch[f] !== undefined && JSON.stringify(patch[f]) !== JSON.stringify(before[f]));
  if (other.length) changes.fields = other;
  return changes;
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
