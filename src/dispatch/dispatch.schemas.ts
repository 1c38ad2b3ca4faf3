import { z } from '@hono/zod-openapi';
import { RetryChoiceSchema } from '../reach/reach.schemas.js';
import { calendarDate } from '../http/calendar-date.js';
import { LanguageGapSchema } from '../lists/lists.schemas.js';
import { preferredWindowsSchema } from '../scheduling/index.js';

const isoDate = calendarDate;
const owner = z.enum(['me', 'anyone']).default('anyone');

export const CallbackSchema = z.union([
  z.object({ window: z.string().min(1).max(40), date: isoDate.optional(), owner }).strict(),
  z.object({ at: z.iso.datetime({ offset: true, message: 'an ISO date-time with offset, e.g. 2026-11-27T15:30:00+01:00' }), owner }).strict(),
]);

export const OutcomeBodySchema = z
  .object({
    outcome: z.string().min(1).max(40),
    rightParty: z.boolean().optional(),
    note: z.string().max(2000, 'at most 2000 characters').optional(),
    callback: CallbackSchema.optional(),
    promise: z
      .object({ amountCents: z.number().int().positive().max(10_000_000_000), date: isoDate })
      .strict()
      .optional(),
    preferredWindows: preferredWindowsSchema.optional(),
    phone: z.string().regex(/^\+[1-9]\d{4,15}$/, 'the number dialled, E.164 as in case.phones').optional().openapi({
      description: 'The number dialled (one of case.phones); default: the current one. "wrong_number" marks it wrong.',
    }),
  })
  .strict()
  .openapi('OutcomeBody');

export type OutcomeBody = z.infer<typeof OutcomeBodySchema>;

export const AssignmentSchema = z.object({ id: z.uuid(), expiresAt: z.string() }).openapi('Assignment');

const CaseSchema = z
  .object({
    id: z.uuid(),
    listId: z.uuid(),
    clientId: z.uuid(),
    clientName: z.string(),
    customerNo: z.string(),
    name: z.string(),
    phone: z.string(),
    phoneE164: z.string(),
    phoneInternational: z.string().openapi({ description: 'The current number grouped for dialling by hand from any country, e.g. "+41 79 555 12 34"' }),
    ctiLink: z.string(),
    phones: z
      .array(z.object({ e164: z.string(), raw: z.string(), international: z.string(), kind: z.string(), status: z.enum(['active', 'wrong', 'do_not_call']), ctiLink: z.string() }))
      .openapi({ description: 'Every number of the case in order; `phone`/`phoneE164` is the current one (the first active)' }),
    address: z.string(),
    amountCents: z.number().int(),
    currency: z.string(),
    language: z.string(),
    secondLanguage: z.string().nullable().openapi({ description: 'The other language of a bilingual postcode (Biel/Bienne, Fribourg)' }),
    languageNote: z.string().nullable().openapi({ description: 'Set when you speak none of the case\'s languages, e.g. "Kunde spricht vermutlich Französisch"' }),
    dial: z.boolean().openapi({ description: 'true: dial through the phone system (POST /api/agent/assignments/{id}/dial); false: use ctiLink' }),
    callableUntil: z.string().nullable().openapi({
      description:
        "Until when the customer may be called (ISO): the end of the calling hours, holiday-free day and the customer's stated windows the hand-out lies in; past when the case is shown outside them; null when they run on for days. The screen stops its dial links then",
    }),
    attemptNo: z.number().int(),
    maxAttempts: z.number().int(),
    preferredWindows: z.array(z.object({ days: z.array(z.string()), from: z.string(), to: z.string() })),
    extra: z.record(z.string(), z.string()),
    outcomes: z.array(z.object({ code: z.string(), label: z.string(), effect: z.string() })),
    windows: z.record(z.string(), z.tuple([z.string(), z.string()])),
    timezone: z.string(),
    retryChoice: RetryChoiceSchema.nullable().openapi({ description: 'Why this retry is now (learned strategy); null otherwise' }),
  })
  .openapi('AgentCase');

const HistorySchema = z.object({
  attemptNo: z.number().int(),
  at: z.string(),
  agent: z.string().nullable(),
  outcome: z.string(),
  rightParty: z.boolean().nullable(),
  note: z.string().nullable(),
  phone: z.string().nullable().openapi({ description: 'The number dialled (E.164)' }),
});

const WaitingSchema = z.object({
  callbackWindow: z.number().int(),
  retryDelay: z.number().int(),
  callingHours: z.number().int(),
  holiday: z.number().int(),
  perDayCap: z.number().int(),
  preferredWindow: z.number().int(),
  language: z.number().int(),
  personalCallback: z.number().int(),
  listPaused: z.number().int().openapi({ description: 'In lists a lead paused: handed out again once resumed' }),
});

export const NextResponseSchema = z
  .union([
    z.object({ assignment: AssignmentSchema, case: CaseSchema, history: z.array(HistorySchema) }),
    z.object({
      assignment: z.null(),
      nextDueAt: z.string().nullable(),
      waiting: WaitingSchema,
      languageGaps: z.array(LanguageGapSchema).openapi({ description: 'Due cases of your clients waiting for a language that none of the client\'s agents at work (active in the last hour) speaks; none while nobody of the client is at work' }),
      clients: z.object({ assigned: z.number().int(), active: z.number().int() }).openapi({
        description: 'Your clients, and those of them active (an inactive client is paused: its cases are not handed out); none active: no case will come',
      }),
    }),
  ])
  .openapi('NextCall');
