import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import type { AppEnv } from './context.js';
import { mediaType } from './body-limits.js';
import { errorBody } from './errors.js';

/**
 * PostgreSQL cannot store a NUL character or a lone UTF-16 surrogate in text or jsonb; a value
 * with one would be accepted, then fail where it is written (a worker retrying an outcome for
 * ever). So every text a request brings — query parameters, JSON strings at any depth and as
 * keys, form fields and uploaded file names — is checked before any route sees it: 400 naming
 * the field.
 */
const UNSTORABLE = /[\u0000\p{Cs}]/u;

export const storableInput = createMiddleware<AppEnv>(async (c, next) => {
  for (const [key, values] of Object.entries(c.req.queries())) {
    if (UNSTORABLE.test(key) || values.some((v) => UNSTORABLE.test(v))) return refuse(c, key);
  }
  // Bodies are read here only for a signed-in user, or for the login itself: anybody else's
  // request is refused by its route (401) before it reads the body, and must not make this
  // process parse a body as large as an upload first.
  if (!c.get('user') && c.req.path !== '/api/session') return next();
  const type = mediaType(c);
  if (type === 'application/json' || type?.endsWith('+json')) {
    const body: unknown = await c.req.json().catch(() => undefined); // malformed JSON: the validator says so
    if (depthOver(body, MAX_DEPTH)) {
      return c.json(errorBody('validation', `Invalid request: body: nested deeper than ${MAX_DEPTH} levels`, [{ path: 'body', message: `nested deeper than ${MAX_DEPTH} levels` }]), 400);
    }
    const path = unstorablePath(body, '');
    if (path !== null) return refuse(c, path || 'body');
  } else if (type === 'multipart/form-data' || type === 'application/x-www-form-urlencoded') {
    // A broken body (no boundary, truncated) is refused here: Hono keeps the failed parse, and
    // the route's validator would meet it again outside its own error handling (a 500).
    const form = await c.req.parseBody({ all: true }).catch(() => null);
    if (form === null) {
      return c.json(errorBody('validation', 'Invalid request: body: not a readable form (multipart/form-data with a boundary, complete)', [{ path: 'body', message: 'not a readable form' }]), 400);
    }
    for (const [key, value] of Object.entries(form)) {
      for (const v of Array.isArray(value) ? value : [value]) {
        if (UNSTORABLE.test(key) || (typeof v === 'string' && UNSTORABLE.test(v)) || (v instanceof File && UNSTORABLE.test(v.name))) return refuse(c, key);
      }
    }
  }
  await next();
});

/** No request of this API nests deeper; a deeper body would only exhaust the stack of whoever walks it. */
const MAX_DEPTH = 32;

/** Whether `value` nests more than `max` arrays or objects deep (iterative: any depth is safe to ask). */
function depthOver(value: unknown, max: number): boolean {
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length) {
    const [v, depth] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (depth >= max) return true;
    for (const child of Object.values(v)) stack.push([child, depth + 1]);
  }
  return false;
}

function unstorablePath(value: unknown, path: string): string | null {
  if (typeof value === 'string') return UNSTORABLE.test(value) ? path : null;
  if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) {
      const found = unstorablePath(v, path ? `${path}.${i}` : String(i));
      if (found !== null) return found;
    }
    return null;
  }
  if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      const here = path ? `${path}.${k}` : k;
      if (UNSTORABLE.test(k)) return here;
      const found = unstorablePath(v, here);
      if (found !== null) return found;
    }
  }
  return null;
}

function refuse(c: Context<AppEnv>, field: string) {
  return c.json(
    errorBody('validation', `Invalid request: ${field}: contains a character that cannot be stored (NUL or a broken Unicode character)`, [
      { path: field, message: 'contains a character that cannot be stored (NUL or a broken Unicode character)' },
    ]),
    400,
  );
}
