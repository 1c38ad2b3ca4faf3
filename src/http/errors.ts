import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { routePath } from 'hono/route';
import type { Logger } from '../log.js';
import { isServiceUnavailable } from '../unavailable.js';

/**
 * A domain error that reaches the client as `{error:{code,message,details}}` with `status`.
 * Throw it from services; the one `onError` handler turns it into the envelope.
 */
export class AppError extends Error {
  override name = 'AppError';
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

export const badRequest = (message: string, details?: unknown) => new AppError(400, 'bad_request', message, details);
export const unauthorized = (message = 'Not logged in') => new AppError(401, 'unauthorized', message);
export const forbidden = (message = 'Not allowed for your role or client') => new AppError(403, 'forbidden', message);
export const notFound = (what: string) => new AppError(404, 'not_found', `${what} not found`);
export const conflict = (code: string, message: string, details?: unknown) => new AppError(409, code, message, details);

export interface ErrorBody {
  error: { code: string; message: string; details?: unknown };
}

export function errorBody(code: string, message: string, details?: unknown): ErrorBody {
  return { error: details === undefined ? { code, message } : { code, message, details } };
}

/** Maps any thrown value to the envelope; internals (stacks, SQL) never leave the process. */
export function errorHandler(log: Logger) {
  return (err: Error, c: Context) => {
    if (err instanceof AppError) return c.json(errorBody(err.code, err.message, err.details), err.status);
    if (err instanceof HTTPException) {
      const status = err.status as ContentfulStatusCode;
      const code = status === 403 ? 'forbidden' : status === 413 ? 'payload_too_large' : 'http_error';
      return c.json(errorBody(code, err.message || 'Request refused'), status);
    }
    if (isServiceUnavailable(err)) {
      // Which one is away, /readyz says; the agent's screen only needs to wait and ask again.
      log.warn({ err, path: routePath(c) }, 'a dependency is unavailable');
      c.header('Retry-After', RETRY_AFTER_SECONDS);
      return c.json(errorBody('unavailable', 'Database or queue service unavailable, please retry shortly'), 503);
    }
    log.error({ err, path: routePath(c), method: c.req.method }, 'unhandled error');
    return c.json(errorBody('internal', 'Internal error'), 500);
  };
}

/** What a client should wait before trying again while a dependency is away. */
const RETRY_AFTER_SECONDS = '5';
