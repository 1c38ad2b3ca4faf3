import { z } from '@hono/zod-openapi';
import { DAY_TYPES, RETRY_STRATEGIES } from '../scheduling/index.js';

/** `GET /api/clients/{id}/reach-rates`: the client's reach rates for the lead's heat map. */

const counts = {
  attempts: z.number().int().openapi({ description: 'Recorded attempts' }),
  reached: z.number().int().openapi({ description: 'Attempts with an outcome whose effect is not "retry" (somebody answered)' }),
  rightParty: z.number().int().openapi({ description: 'Attempts that reached the right person' }),
};

export const ReachCellSchema = z
  .object({
    dayType: z.enum(DAY_TYPES),
    window: z.string(),
    ...counts,
    rate: z.number().openapi({ description: 'Expected reach, 0..1: the cell shrunk towards the client’s own rate, that towards all clients’ (prior); what the learned strategy compares' }),
    observedRate: z.number().nullable().openapi({ description: 'reached / attempts of this cell alone; null without attempts' }),
    callable: z.boolean().openapi({ description: "Whether the client's calling hours reach into this window on some day of the weekday type; false: no retry goes there" }),
  })
  .openapi('ReachCell');

export const ReachRatesSchema = z
  .object({
    clientId: z.uuid(),
    retryStrategy: z.enum(RETRY_STRATEGIES).openapi({ description: 'As configured' }),
    effectiveStrategy: z.enum(['rotation', 'learned']).openapi({ description: 'What retries use now ("auto" resolved)' }),
    learnedFromAttempts: z.number().int().openapi({ description: 'With "auto", the client attempts from which "learned" applies' }),
    learningDays: z.number().int(),
    refreshedAt: z.string().nullable().openapi({ description: 'When the rates were last rebuilt; null: never' }),
    windows: z.array(z.object({ name: z.string(), from: z.string(), to: z.string() })).openapi({ description: 'The client windows in time order' }),
    prior: z.object({ ...counts, rate: z.number(), weight: z.number().int().openapi({ description: 'The prior counts as this many attempts' }) }),
    clientAttempts: z.number().int(),
    cells: z.array(ReachCellSchema).openapi({ description: 'Every weekday type × window, also those without attempts' }),
  })
  .openapi('ReachRates');

export type ReachRatesView = z.infer<typeof ReachRatesSchema>;

/** Why a retry went to its window (learned strategy), on the agent's case card. */
export const RetryChoiceSchema = z
  .object({
    basis: z.enum(['rates', 'customer', 'exploration']).openapi({ description: 'rates: highest expected reach; customer: reached here before; exploration: drawn so no window starves' }),
    window: z.string(),
    dayType: z.enum(DAY_TYPES),
    rate: z.number().openapi({ description: 'Expected reach of the chosen window, 0..1' }),
    others: z.array(z.object({ window: z.string(), rate: z.number() })).openapi({ description: 'The other possible windows, best first' }),
  })
  .openapi('RetryChoice');
