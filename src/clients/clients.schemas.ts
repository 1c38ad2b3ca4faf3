import { z } from '@hono/zod-openapi';
import { callingHoursPatch, schedulingSettingsSchema } from '../scheduling/settings.js';

/**
 * A client body is flat, as DESIGN.md section 10 shows: identity fields plus the scheduling and
 * outcome settings, which `schedulingSettingsSchema` owns (with its defaults and cross-field
 * rules). Unknown fields are refused, so a typo like `maxAttempt` is a 400, not silently ignored.
 */
const identity = {
  code: z
    .string()
    .trim()
    .min(1)
    .max(20)
    .regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, _ and - only'),
  name: z.string().trim().min(1).max(200),
  resultEmail: z.email('must be an e-mail address').nullable().default(null),
  doNotCall: z.array(z.string().trim().min(3).max(40)).max(100_000).default([]),
  active: z
    .boolean()
    .default(true)
    .describe('false pauses the client: its cases are not handed out (a personal callback of it waits) nor counted as waiting; lists are still imported, downloaded and delivered'),
};

const settingsShape = schedulingSettingsSchema.shape;

export const ClientCreateSchema = z.object({ ...identity, ...settingsShape }).strict().openapi('ClientCreate');

/** Every field optional and *without* its default: a PATCH must not reset what it leaves out. */
export const ClientPatchSchema = z
  .object({ ...optionalWithoutDefaults({ ...identity, ...settingsShape }), callingHours: callingHoursPatch.optional().openapi({ description: 'Only the days named change' }) })
  .strict()
  .openapi('ClientPatch');

export const ClientSchema = z
  .object({
    id: z.uuid(),
    ...identity,
    ...settingsShape,
    resultEmailSince: z.string().nullable().openapi({ description: 'Since when resultEmail is set: lists completed from then on are mailed by themselves' }),
    createdAt: z.string(),
  })
  .openapi('Client');

function optionalWithoutDefaults<T extends Record<string, z.ZodType>>(shape: T): { [K in keyof T]: z.ZodOptional<z.ZodType<z.output<T[K]>>> } {
  const out: Record<string, z.ZodType> = {};
  for (const [key, field] of Object.entries(shape)) {
    out[key] = (field instanceof z.ZodDefault ? (field.unwrap() as z.ZodType) : field).optional();
  }
  return out as { [K in keyof T]: z.ZodOptional<z.ZodType<z.output<T[K]>>> };
}

export type ClientCreate = z.infer<typeof ClientCreateSchema>;
export type ClientPatch = z.infer<typeof ClientPatchSchema>;
export type ClientView = z.infer<typeof ClientSchema>;
