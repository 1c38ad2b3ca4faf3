import { createRoute, z } from '@hono/zod-openapi';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { clientIp } from '../http/client-ip.js';
import { isHttps } from '../http/https.js';
import { AppError, errorBody } from '../http/errors.js';
import { authErrors, createRouter, ErrorSchema, json, jsonBody, validationError } from '../http/router.js';
import { currentUser, requireRole } from './guard.js';
import { logIn } from './login.js';
import { clientIdsOf, deleteSession, SESSION_COOKIE } from './sessions.js';
import { LoginThrottle } from './throttle.js';
import { UserSchema } from '../users/users.schemas.js';

export const MeSchema = UserSchema.omit({ active: true, createdAt: true, extension: true }).openapi('Me');

const LoginBody = z.object({ username: z.string().min(1).max(64), password: z.string().min(1).max(256) }).openapi('Login');

const login = createRoute({
  method: 'post',
  path: '/session',
  tags: ['Session'],
  summary: 'Log in; sets the session cookie',
  request: jsonBody(LoginBody),
  responses: {
    200: json(z.object({ user: MeSchema, expiresAt: z.string() }), 'Logged in'),
    ...validationError,
    401: json(ErrorSchema, 'Wrong username or password'),
    429: json(ErrorSchema, 'Too many failed logins; see Retry-After'),
  },
});

const logout = createRoute({
  method: 'delete',
  path: '/session',
  tags: ['Session'],
  summary: 'Log out',
  responses: { 204: { description: 'Logged out' } },
});

const me = createRoute({
  method: 'get',
  path: '/me',
  tags: ['Session'],
  summary: 'The logged-in user',
  middleware: requireRole('agent', 'lead', 'admin'),
  responses: { 200: json(MeSchema, 'The current user'), ...authErrors },
});

export function authRoutes() {
  const app = createRouter();

  app.openapi(login, async (c) => {
    const { config, database, redis, clock, log } = c.var.deps;
    const { username, password } = c.req.valid('json');
    const ip = clientIp(c);
    const throttle = new LoginThrottle(redis, config.QUEUE_PREFIX, config.LOGIN_MAX_FAILURES, config.LOGIN_WINDOW_MINUTES * 60, config.LOGIN_MAX_FAILURES_PER_ADDRESS);
    const attempt = await throttle.attempt(username, ip);
    if (!attempt.allowed) {
      c.header('Retry-After', String(attempt.retryAfter));
      return c.json(errorBody('too_many_attempts', `Too many failed logins; try again in ${attempt.retryAfter} s`), 429);
    }
    const loggedIn = await logIn(database.db, username, password, clock.now(), config.SESSION_HOURS).catch(async (err: unknown) => {
      // No verdict on the password (PostgreSQL away: 503). Counted, an outage would lock users out.
      await throttle.abandoned(username, ip);
      throw err;
    });
    await throttle.checked(username, ip, loggedIn !== null);
    if (!loggedIn) {
      log.info({ ip }, 'login failed');
      throw new AppError(401, 'invalid_credentials', 'Wrong username or password');
    }
    const { user, session } = loggedIn;
    // The session this browser carried before (another user at a shared PC, or the same one) ends.
    const previous = getCookie(c, SESSION_COOKIE);
    if (previous) await deleteSession(database.db, previous);
    setCookie(c, SESSION_COOKIE, session.token, {
      httpOnly: true,
      sameSite: 'Lax',
      // X-Forwarded-Proto counts only behind a trusted proxy (TRUST_PROXY).
      secure: isHttps(c),
      // A browser-session cookie: the server decides expiry (sessions slide, see resolveSession).
      path: '/',
    });
    log.info({ userId: user.id }, 'login');
    const body = {
      id: user.id,
      username: user.username,
      displayName: user.displayName,
      role: user.role,
      clientIds: await clientIdsOf(database.db, user.id),
      languages: user.languages,
    };
    return c.json({ user: body, expiresAt: session.expiresAt.toISOString() }, 200);
  });

  app.openapi(logout, async (c) => {
    const token = getCookie(c, SESSION_COOKIE);
    if (token) await deleteSession(c.var.deps.database.db, token);
    deleteCookie(c, SESSION_COOKIE, { path: '/' });
    return c.body(null, 204);
  });

  app.openapi(me, (c) => {
    return c.json(currentUser(c), 200);
  });

  return app;
}
