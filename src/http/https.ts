import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import type { AppEnv } from './context.js';

/** Browsers keep to https for half a year once they saw this over https (hono's default value). */
const HSTS = 'max-age=15552000; includeSubDomains';

/**
 * Whether the request reached us over https: directly (TLS on our socket), or, only when
 * TRUST_PROXY is on, as the TLS-terminating proxy says in `X-Forwarded-Proto`. Without a
 * trusted proxy that header is whatever the client chose to send, so it decides nothing.
 * Of a list (`https, http`) the last value counts: the one our proxy added, as for the address.
 */
export function isHttps(c: Context<AppEnv>): boolean {
  if (new URL(c.req.url).protocol === 'https:') return true;
  if (!c.var.deps.config.TRUST_PROXY) return false;
  return c.req.header('x-forwarded-proto')?.split(',').at(-1)?.trim().toLowerCase() === 'https';
}

/**
 * `Strict-Transport-Security` on responses to https requests only: sent over plain http it is
 * ignored by browsers at best, and on a service reached by http on purpose (no proxy, an
 * internal address) it claims something untrue.
 */
export const hsts = createMiddleware<AppEnv>(async (c, next) => {
  await next();
  if (isHttps(c)) c.header('Strict-Transport-Security', HSTS);
});
