import { z } from '@hono/zod-openapi';

const language = z.string().regex(/^[a-z]{2}$/, 'a two-letter language code such as de, fr, it');
/** The agent's phone extension for click-to-dial; null: none (dialling by link only). */
const extension = z
  .string()
  .trim()
  .regex(/^[0-9A-Za-z*#+._-]{1,40}$/, 'an extension such as 221 or agent-7: letters, digits and * # + . _ - (at most 40)')
  .nullable()
  .openapi({ description: 'Phone extension for click-to-dial ({extension} in the CTI templates)' });

export const UserSchema = z
  .object({
    id: z.uuid(),
    username: z.string(),
    displayName: z.string(),
    role: z.enum(['agent', 'lead', 'admin']),
    clientIds: z.array(z.uuid()),
    languages: z.array(z.string()),
    extension: z.string().nullable(),
    active: z.boolean(),
    createdAt: z.string(),
  })
  .openapi('User');

export const UserCreateSchema = z
  .object({
    username: z
      .string()
      .min(2)
      .max(64)
      .regex(/^[A-Za-z0-9._@-]+$/, 'letters, digits and . _ @ - only'),
    password: z.string().min(10, 'at least 10 characters').max(256),
    displayName: z.string().trim().min(1).max(120),
    role: z.enum(['agent', 'lead', 'admin']),
    clientIds: z.array(z.uuid()).max(1000).default([]),
    languages: z.array(language).min(1).max(10).default(['de']),
    extension: extension.default(null),
  })
  .strict()
  .openapi('UserCreate');

export const UserPatchSchema = z
  .object({
    password: UserCreateSchema.shape.password,
    displayName: UserCreateSchema.shape.displayName,
    role: UserCreateSchema.shape.role,
    clientIds: z.array(z.uuid()).max(1000),
    languages: z.array(language).min(1).max(10),
    extension,
    active: z.boolean(),
  })
  .partial()
  .strict()
  .openapi('UserPatch');

export type UserCreate = z.infer<typeof UserCreateSchema>;
export type UserPatch = z.infer<typeof UserPatchSchema>;
