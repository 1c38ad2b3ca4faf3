import { OpenAPIHono, z } from '@hono/zod-openapi';
import type { ZodType } from 'zod';
import type { AppEnv } from './context.js';
import { errorBody } from './errors.js';

/**
 * Every feature router is built here so the validation error envelope is registered once:
 * a bad body is `400 {error:{code:"validation", message, details:[{path,message}]}}`.
 */
export function createRouter() {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result, c) => {
      if (!result.success) {
        const details = result.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
        const first = details[0];
        const message = first ? `Invalid request: ${first.path || 'body'}: ${first.message}` : 'Invalid request';
        return c.json(errorBody('validation', message, details), 400);
      }
    },
  });
}

export const ErrorSchema = z
  .object({
    error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }),
  })
  .openapi('Error');

export const json = <T extends ZodType>(schema: T, description: string) => ({
  content: { 'application/json': { schema } },
  description,
});

export const jsonBody = <T extends ZodType>(schema: T) => ({
  body: { content: { 'application/json': { schema } }, required: true },
});

const err = (description: string) => json(ErrorSchema, description);

/** The error responses every authenticated route can give, for the OpenAPI document. */
export const authErrors = {
  401: err('Not logged in'),
  403: err('Wrong role or client'),
} as const;

export const validationError = { 400: err('Invalid request') } as const;
export const notFoundError = { 404: err('Not found') } as const;
export const conflictError = { 409: err('Conflict') } as const;

export const IdParam = z.object({ id: z.uuid().openapi({ param: { name: 'id', in: 'path' } }) });
