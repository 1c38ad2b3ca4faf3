import { serveStatic } from '@hono/node-server/serve-static';
import { Hono, type MiddlewareHandler } from 'hono';
import { secureHeaders } from 'hono/secure-headers';
import type { AppEnv } from '../http/context.js';
import { STRICT_CSP } from '../http/csp.js';
import { fromRoot } from '../paths.js';

/** The UI's files; resolved from this module so the working directory does not matter. */
export const WEB_ROOT = fromRoot('web') + '/';

/** Paths the UI never answers: the API keeps its JSON 404, Bull Board its own pages. */
const NOT_OURS = /^\/(api|admin)(\/|$)/;

/**
 * Serves the single-page UI in `web/` (plain ES modules, no build step) at `/`.
 * The strict CSP (`default-src 'self'`, no inline scripts or styles) is the second line of
 * defence behind the UI's textContent-only rendering of customer data.
 */
export function webRoutes() {
  const app = new Hono<AppEnv>();
  const headers = secureHeaders({
    contentSecurityPolicy: STRICT_CSP,
    xFrameOptions: 'DENY',
    referrerPolicy: 'same-origin',
    xContentTypeOptions: 'nosniff',
    // Decided per request in src/http/https.ts: hono's default sent it over plain http too.
    strictTransportSecurity: false,
  });
  const files = serveStatic({ root: WEB_ROOT, index: 'index.html' });
  const onlyOurs =
    (handler: MiddlewareHandler): MiddlewareHandler =>
    async (c, next) =>
      NOT_OURS.test(c.req.path) ? next() : handler(c, next);

  app.use('*', onlyOurs(headers));
  app.use(
    '*',
    onlyOurs(async (c, next) => {
      // A found file comes back as a Response; otherwise serveStatic has called next().
      const res: unknown = await files(c, next);
      if (!(res instanceof Response)) return;
      // Revalidate on every load so a deployment reaches agents without a hard refresh.
      res.headers.set('Cache-Control', 'no-cache');
      return res;
    }),
  );
  return app;
}
