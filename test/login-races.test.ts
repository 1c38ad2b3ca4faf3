import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import * as password from '../src/auth/password.js';
import { sessions, users } from '../src/db/schema.js';
import { createUser } from '../src/users/users.service.js';
import { createTestContext, type TestContext } from './helpers/context.js';
import { eventually } from './helpers/eventually.js';
import { waitingForALock } from './helpers/db.js';

/**
 * A login verifies its password (argon2: tens of ms), then creates its session. An admin who sets
 * a new password or deactivates the user in between ends all of the user's sessions: the login
 * must not then create one from the old password, which would outlive them.
 */
let t: TestContext;
let admin: string;
beforeAll(async () => {
  t = await createTestContext();
  admin = (await t.userSession('admin')).cookie;
});
afterAll(() => t.close());
afterEach(() => vi.restoreAllMocks());

const OLD = 'old password 1';
const NEW = 'new password 2';

async function newAgent() {
  const username = `agent-${randomUUID().slice(0, 6)}`;
  return createUser(t.db, { username, password: OLD, displayName: username, role: 'agent', clientIds: [], languages: ['de'] });
}

const logIn = (username: string, pw: string) => t.request('POST', '/api/session', { body: { username, password: pw } });

/** Runs `meanwhile` in the next login once its password has been verified, before its session is created. */
function afterVerify(meanwhile: () => Promise<void>): void {
  const verify = password.verifyPassword;
  vi.spyOn(password, 'verifyPassword').mockImplementationOnce(async (hash, pw) => {
    const ok = await verify(hash, pw);
    await meanwhile();
    return ok;
  });
}

const sessionsOf = (userId: string) => t.db.select().from(sessions).where(eq(sessions.userId, userId));

describe('a login while an admin changes the user', () => {
  it('refuses a login verified against the old password when a new one is set before its session is created, as a wrong password', async () => {
    const agent = await newAgent();
    afterVerify(async () => {
      expect((await t.request('PATCH', `/api/users/${agent.id}`, { cookie: admin, body: { password: NEW } })).status).toBe(200);
    });
    const raced = await logIn(agent.username, OLD);
    expect(raced.status).toBe(401);
    expect(raced.body).toEqual((await logIn(agent.username, 'wrong')).body);
    expect(await sessionsOf(agent.id)).toEqual([]);
    expect((await logIn(agent.username, NEW)).status).toBe(200);
  });

  it('refuses a login when the user is deactivated before its session is created', async () => {
    const agent = await newAgent();
    afterVerify(async () => {
      expect((await t.request('PATCH', `/api/users/${agent.id}`, { cookie: admin, body: { active: false } })).status).toBe(200);
    });
    expect((await logIn(agent.username, OLD)).status).toBe(401);
    expect(await sessionsOf(agent.id)).toEqual([]);
  });

  it('waits for a password change not yet committed when it creates the session, then refuses it', async () => {
    const agent = await newAgent();
    const newHash = await password.hashPassword(NEW);
    let commit!: () => void;
    let change!: Promise<void>;
    // As `updateUser` does: the new hash and the sessions deleted, committed only once the login
    // is waiting for the user's row (or, without that wait, has created its session).
    afterVerify(
      () =>
        new Promise<void>((changed) => {
          change = t.db.transaction(async (tx) => {
            await tx.update(users).set({ passwordHash: newHash }).where(eq(users.id, agent.id));
            await tx.delete(sessions).where(eq(sessions.userId, agent.id));
            changed();
            await new Promise<void>((resolve) => (commit = resolve));
          });
        }),
    );
    let answered = false;
    const login = logIn(agent.username, OLD).finally(() => (answered = true));
    await eventually(async () => answered || (await waitingForALock(t.db, '%insert into "sessions"%')), 10_000, 'the login waiting for the user row or answered');
    commit();
    await change;
    expect((await login).status).toBe(401);
    expect(await sessionsOf(agent.id)).toEqual([]);
  });

  it('still logs in when nothing changes meanwhile', async () => {
    const agent = await newAgent();
    const res = await logIn(agent.username, OLD);
    expect(res.status).toBe(200);
    expect(await sessionsOf(agent.id)).toHaveLength(1);
    expect((await t.request('GET', '/api/me', { cookie: res.headers.get('set-cookie')!.split(';')[0] })).body.username).toBe(agent.username);
  });
});

