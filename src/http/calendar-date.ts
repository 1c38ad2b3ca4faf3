import { z } from '@hono/zod-openapi';
import { DateTime } from 'luxon';

/**
 * A calendar date `YYYY-MM-DD` that exists (no 2027-02-30) in a sane range (2000–2099): what
 * the API accepts must be storable, and a date PostgreSQL refuses would fail only later, in a
 * worker.
 */
export const calendarDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD')
  .refine((v) => DateTime.fromISO(v).isValid, 'not a date of the calendar')
  .refine((v) => v >= '2000-01-01' && v <= '2099-12-31', 'a date between 2000-01-01 and 2099-12-31');
