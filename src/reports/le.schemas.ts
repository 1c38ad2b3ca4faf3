import { z } from '@hono/zod-openapi';
import { DateTime } from 'luxon';

/**
 * The LE report (Leistungseinheit, DESIGN.md sections 2 and 8): every recorded call attempt is
 * one billable unit for its client and counts for the agent who made it. These schemas are the
 * source of the types, the request validation and the OpenAPI document.
 */

/** The longest period one report covers: a leap year, so a whole calendar year always fits. */
export const MAX_REPORT_DAYS = 366;

const DATE_PATTERN = /^\d{4}-\d{2}-\d{2}$/;

const calendarDate = (name: 'from' | 'to', example: string) =>
  z
    .string({ error: `${name} is required: a calendar date YYYY-MM-DD` })
    .refine((v) => DATE_PATTERN.test(v) && DateTime.fromISO(v, { zone: 'UTC' }).isValid, {
      error: (iss) => `${JSON.stringify(iss.input)} is not a calendar date; use YYYY-MM-DD, e.g. ${example}`,
    })
    // PostgreSQL has no year 0; the attempts lie in this century.
    .refine((v) => v >= '2000-01-01' && v <= '2099-12-31', { error: `${name} must lie between 2000-01-01 and 2099-12-31` })
    .openapi({
      param: { name, in: 'query' },
      format: 'date',
      description: `${name === 'from' ? 'First' : 'Last'} day of the period (inclusive), in each client's own time zone`,
      example,
    });

/** Whole days from `from` to `to` inclusive, or null when either is no calendar date. */
export function spanDays(from: string, to: string): number | null {
  const a = DateTime.fromISO(from, { zone: 'UTC' });
  const b = DateTime.fromISO(to, { zone: 'UTC' });
  if (!DATE_PATTERN.test(from) || !DATE_PATTERN.test(to) || !a.isValid || !b.isValid) return null;
  return Math.round(b.diff(a, 'days').days) + 1;
}

export const LeQuerySchema = z
  .object({
    clientId: z
      .uuid()
      .optional()
      .openapi({ param: { name: 'clientId', in: 'query' }, description: 'One client; without it every client in your scope' }),
    from: calendarDate('from', '2026-11-01'),
    to: calendarDate('to', '2026-11-30'),
    groupBy: z
      .enum(['day', 'agent'], { error: 'groupBy must be "day" or "agent"' })
      .default('day')
      .openapi({ param: { name: 'groupBy', in: 'query' }, description: 'Rows per day (default) or per agent' }),
  })
  .superRefine((q, ctx) => {
    const days = spanDays(q.from, q.to);
    if (days === null) return; // the date itself is reported already
    if (days < 1) ctx.addIssue({ code: 'custom', path: ['to'], message: `to ${q.to} is before from ${q.from}` });
    else if (days > MAX_REPORT_DAYS) {
      ctx.addIssue({ code: 'custom', path: ['to'], message: `the period has ${days} days; at most ${MAX_REPORT_DAYS} per report` });
    }
  });

export type LeQuery = z.infer<typeof LeQuerySchema>;

const count = z.number().int();

export const LeCountsSchema = z.object({
  /** Recorded attempts = LE. */
  attempts: count.openapi({ description: 'Recorded attempts; each is one LE' }),
  reached: count.openapi({
    description: "Attempts whose outcome, in the client's current settings, has an effect other than retry (somebody answered); unknown outcome codes count as not reached",
  }),
  rightParty: count.openapi({ description: 'Attempts where the agent confirmed the right person (rightParty = true)' }),
  promises: count.openapi({ description: 'Attempts with a payment promise' }),
  promiseAmountCents: count.openapi({
    description: 'Deprecated: the sum of the promises in euros only (promiseAmountsCents.EUR), for readers of the earlier shape',
    deprecated: true,
  }),
  promiseAmountsCents: z.record(z.string(), count).openapi({
    description: "Sum of the promised amounts in cents, by the case's currency (ISO 4217: EUR, CHF); currencies without promises are left out",
  }),
  byOutcome: z.record(z.string(), count).openapi({ description: 'Attempts by outcome code; codes without attempts are left out' }),
});

export type LeCounts = z.infer<typeof LeCountsSchema>;

const AgentSchema = z.object({ id: z.uuid(), username: z.string(), displayName: z.string() });

export const LeRowSchema = LeCountsSchema.extend({
  date: z.string().nullable().openapi({ description: "groupBy=day: the day (YYYY-MM-DD) in the client's time zone; else null" }),
  agent: AgentSchema.nullable().openapi({ description: 'groupBy=agent: who made the attempts (null: no agent recorded); else null' }),
});

export type LeRow = z.infer<typeof LeRowSchema>;

const OutcomeColumnSchema = z.object({
  code: z.string(),
  label: z.string(),
  effect: z.enum(['close', 'retry', 'callback', 'wrong_number']).nullable().openapi({ description: "null: the code is no longer in the client's outcomes" }),
});

export type OutcomeColumn = z.infer<typeof OutcomeColumnSchema>;

export const LeClientSchema = z.object({
  clientId: z.uuid(),
  code: z.string(),
  name: z.string(),
  timezone: z.string(),
  outcomes: z.array(OutcomeColumnSchema).openapi({
    description: "The client's outcomes in their settings order, then codes found in the attempts that the settings no longer have",
  }),
  rows: z.array(LeRowSchema),
  totals: LeCountsSchema,
});

export type LeClient = z.infer<typeof LeClientSchema>;

export const LeReportSchema = z
  .object({
    from: z.string(),
    to: z.string(),
    groupBy: z.enum(['day', 'agent']),
    clients: z.array(LeClientSchema).openapi({
      description: 'Clients with attempts in the period, by code; a client asked for by clientId is always there',
    }),
    totals: LeCountsSchema.openapi({ description: 'All clients of the report together' }),
  })
  .openapi('LeReport');

export type LeReport = z.infer<typeof LeReportSchema>;
