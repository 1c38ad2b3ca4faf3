import { describe, expect, it } from 'vitest';
import { stopOnPermanentFailure } from './queues/poison.js';
import { logSafeError, safeError } from './safe-error.js';

/** A query error as Drizzle throws it: the SQL and its parameters in the message, PostgreSQL's error as its cause. */
const queryError = (code: string, pgMessage: string) =>
  Object.assign(new Error('Failed query: update cases set note = $1 where id = $2\nparams: Kundin zahlt Freitag,+41791234567'), {
    cause: Object.assign(new Error(pgMessage), { code }),
  });

describe('safeError', () => {
  it('keeps no query parameter, quoted value or e-mail address', () => {
    expect(safeError(queryError('40P01', 'deadlock detected'))).toEqual({ name: 'Error', code: '40P01', message: 'deadlock detected' });
    const range = safeError(Object.assign(new Error('value "12345678901" is out of range for type integer'), { code: '22003' }));
    expect(range.message).toBe('value "…" is out of range for type integer');
    const smtp = safeError(Object.assign(new Error("Can't send mail - all recipients were rejected: 550 5.1.1 <anna.meier@stadtwerke-muster.de>: Recipient address rejected"), { code: 'EENVELOPE' }));
    expect(smtp.message).not.toContain('@');
    expect(smtp.message).toContain('550 5.1.1');
    expect(logSafeError('mail to anna.meier@example.com failed')).toBe('mail to ‹address› failed');
  });

  it('says why the database is away (the connection\'s code and address), still without the parameters', () => {
    const away = Object.assign(new Error('Failed query: update cases set note = $1\nparams: Kundin zahlt Freitag'), {
      cause: Object.assign(new Error('connect ECONNREFUSED 10.0.0.5:5432'), { code: 'ECONNREFUSED' }),
    });
    expect(safeError(away)).toEqual({ name: 'Error', code: 'ECONNREFUSED', message: 'database query failed: connect ECONNREFUSED 10.0.0.5:5432' });
    expect(safeError(Object.assign(new Error('write CONNECTION_CLOSED 10.0.0.5:5432'), { code: 'CONNECTION_CLOSED' }))).toMatchObject({ code: 'CONNECTION_CLOSED' });
    // Logged, the error's class is `type`: the logger redacts every `name` (a customer's).
    expect(logSafeError(away)).toMatchObject({ type: 'Error', code: 'ECONNREFUSED' });
  });
});

describe('stopOnPermanentFailure', () => {
  it('throws a transient failure on with only its safe part, message and stack, for BullMQ to keep', async () => {
    const processor = stopOnPermanentFailure(async () => {
      throw queryError('40P01', 'deadlock detected');
    });
    const thrown = (await processor({} as never).catch((e: unknown) => e)) as Error;
    expect(thrown.name).toBe('Error');
    expect(thrown.message).toBe('deadlock detected (40P01)');
    expect(thrown.stack).not.toContain('params');
    expect(thrown.stack).not.toContain('+41791234567');
    expect(thrown.stack).toMatch(/\n\s+at /);
  });
});
