import type { Context, MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import { createMiddleware } from 'hono/factory';
import type { AppEnv, Role, SessionUser } from '../http/context.js';
import { forbidden, unauthorized } from '../http/errors.js';
import { resolveSession, SESSION_COOKIE } from './sessions.js';

/** Sets `c.var.user` from the session cookie (or null); never rejects by itself. */
export const loadSession = createMiddleware<AppEnv>(async (c, next) => {
  const token = getCookie(c, SESSION_COOKIE);
  const { database, clock, config } = c.var.deps;
  c.set('user', token ? await resolveSession(database.db, token, clock.now(), config.SESSION_HOURS) : null);
  await next();
});

/** 401 without a session, 403 with a role not in `roles`. */
export function requireRole(...roles: Role[]): MiddlewareHandler<AppEnv> {
  return createMiddleware<AppEnv>(async (c, next) => {
    const user = c.var.user;
    if (!user) throw unauthorized();
    if (!roles.includes(user.role)) throw forbidden(`This needs the role ${roles.join(' or ')}`);
    await next();
  });
}

/** The current user; only call behind `requireRole`. */
export function currentUser(c: Context<AppEnv>): SessionUser {
  const user = c.var.user;
  if (!user) throw unauthorized();
  return user;
}

export function canAccessClient(user: SessionUser, clientId: string): boolean {
  return user.role === 'admin' || user.clientIds.includes(clientId);
}

/** Client scope: admins see every client, everyone else only their assigned ones (403 otherwise). */
export function assertClientAccess(user: SessionUser, clientId: string): void {
  if (!canAccessClient(user, clientId)) throw forbidden('This client is not assigned to you');
}
