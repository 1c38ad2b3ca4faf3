import { bodyLimit } from 'hono/body-limit';
import { createMiddleware } from 'hono/factory';
import type { Context, MiddlewareHandler } from 'hono';
import type { AppEnv } from './context.js';
import { errorBody, forbidden, unauthorized } from './errors.js';

/**
 * Every request body is bounded before it is read (a declared Content-Length over the limit is
 * refused at once, a streamed one as soon as it passes it): 413 with the JSON envelope. The
 * login, which anyone may call, gets the least; a client's settings the most (up to 100,000
 * do-not-call numbers); list uploads have their own limit (`IMPORT_MAX_BYTES`, lists.routes.ts).
 */
export const BODY_LIMITS = {
  login: 4 * 1024,
  clientSettings: 4 * 1024 * 1024,
  json: 256 * 1024,
} as const;

/**
 * Hono's `bodyLimit`, with its Content-Length check made first from the headers alone: Hono's asks
 * for the request's `body` before anything else, and on Node that builds a full web `Request`
 * with a body stream and an abort signal for every request, GETs included — the most of the HTTP
 * layer's CPU on the agents' hot path. Only a streamed body (no Content-Length, or chunked) goes
 * to Hono's middleware, which counts it as it arrives.
 */
const limited = (maxSize: number, code = 'payload_too_large', message = `The request body is larger than ${Math.round(maxSize / 1024)} KB`): MiddlewareHandler<AppEnv> => {
  const tooLarge = (c: Context) => c.json(errorBody(code, message), 413);
  const streamed = bodyLimit({ maxSize, onError: tooLarge });
  return createMiddleware<AppEnv>(async (c, next) => {
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return next();
    const length = c.req.header('content-length');
    if (length !== undefined && c.req.header('transfer-encoding') === undefined && /^\d+$/.test(length)) {
      return Number(length) > maxSize ? tooLarge(c) : next();
    }
    return streamed(c, next);
  });
};

export const uploadTooLarge = (maxBytes: number) =>
  `The upload is larger than ${maxBytes >= 1048576 ? `${Math.round(maxBytes / 1048576)} MB` : `${Math.round(maxBytes / 1024)} KB`}. Split the list.`;

/** `importMaxBytes`: the largest list file; the upload's body may be that plus the multipart framing. */
export function bodyLimits(importMaxBytes: number): MiddlewareHandler<AppEnv> {
  const login = limited(BODY_LIMITS.login);
  const clients = limited(BODY_LIMITS.clientSettings);
  const json = limited(BODY_LIMITS.json);
  const upload = limited(importMaxBytes + 64 * 1024, 'too_large', uploadTooLarge(importMaxBytes));
  return createMiddleware<AppEnv>(async (c, next) => {
    const path = c.req.path;
    // Only a file upload gets the upload's limit (a JSON body sent there is read as JSON), and
    // only a lead's or admin's: anybody else's is refused here unread, as its route would (Hono's
    // limit reads a streamed body as fast as it comes, up to the limit, whether a route reads it
    // or not, and a lead whose session ran out must hear 401, not that the file is too large).
    if (/^\/api\/clients\/[^/]+\/lists\/?$/.test(path) && isMultipart(c)) {
      const role = c.get('user')?.role;
      if (!role) throw unauthorized();
      if (role !== 'lead' && role !== 'admin') throw forbidden();
      return upload(c, next);
    }
    if (path === '/api/session') return login(c, next);
    if (/^\/api\/clients(\/[^/]+)?\/?$/.test(path)) return clients(c, next);
    return json(c, next);
  });
}

/** The request body's media type (`application/json`), lower case, without parameters. */
export const mediaType = (c: Context): string | undefined => c.req.header('content-type')?.split(';')[0]?.trim().toLowerCase();

const isMultipart = (c: Context) => mediaType(c) === 'multipart/form-data';
