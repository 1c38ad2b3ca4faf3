import { csrf } from 'hono/csrf';
import { createMiddleware } from 'hono/factory';
import { errorBody } from './errors.js';
import type { AppEnv } from './context.js';

const SAFE = /^(GET|HEAD|OPTIONS)$/;

/**
 * CSRF protection for cookie-authenticated writes (DESIGN.md section 9).
 * - `hono/csrf`: a form post (urlencoded, multipart, text/plain) needs a same-origin `Origin`
 *   (or `Sec-Fetch-Site: same-origin`); without one it is 403.
 * - Additionally any other write carrying a foreign `Origin` is 403: JSON is protected by CORS
 *   preflight already, this keeps it so if someone ever enables CORS.
 */
export function csrfProtection(publicOrigin: string | undefined) {
  const allowed = (origin: string, url: string) => origin === (publicOrigin ?? new URL(url).origin);
  const forms = csrf({ origin: (origin, c) => allowed(origin, c.req.url) });
  return createMiddleware<AppEnv>(async (c, next) => {
    if (SAFE.test(c.req.method)) return next();
    const origin = c.req.header('origin');
    if (origin && !allowed(origin, c.req.url)) {
      return c.json(errorBody('forbidden', 'Cross-site request refused (foreign Origin)'), 403);
    }
    return forms(c, next);
  });
}
