import { describe, expect, it } from 'vitest';
import { defaultOutcomes } from '../scheduling/settings.js';
import { attemptRows, mainRow, outcomeLabel, type ResultAttempt, type ResultCase, type ResultContext } from './result-rows.js';

const ctx: ResultContext = { report: null, outcomes: defaultOutcomes, timezone: 'Europe/Berlin' };

const attempt = (no: number, over: Partial<ResultAttempt> = {}): ResultAttempt => ({
  attemptNo: no, recordedAt: new Date('2026-03-27T09:00:00Z'), phoneE164: '+497211234567', outcome: 'not_reached',
  rightParty: null, note: null, promiseAmountCents: null, promiseDate: null, callback: null, ...over,
});

const kase = (over: Partial<ResultCase> = {}): ResultCase => ({
  rowNumber: 2, language: 'de', secondLanguage: null, customerNo: 'K-1', name: 'Anna Muster', phoneRaw: '0721 1234567',
  phones: [{ e164: '+497211234567', raw: '0721 1234567', kind: 'Telefon', status: 'active' }],
  address: '', amountCents: 1000, currency: 'EUR', extra: {}, source: null, status: 'closed', finalOutcome: null,
  promiseAmountCents: null, promiseDate: null, attempts: [], ...over,
});

const CALLBACK = 11; // the column „Rückruf“ of sheet „Versuche“
const callbackCell = (callback: ResultAttempt['callback']) => attemptRows(ctx, kase({ attempts: [attempt(1, { outcome: 'callback', callback })] }))[0]![CALLBACK];

describe('result rows', () => {
  it('names a callback window in German as the screens do, a client’s own window as it is', () => {
    expect(callbackCell({ window: 'evening', date: '2026-03-30' })).toBe('Abend, 30.03.2026');
    expect(callbackCell({ window: 'morning' })).toBe('Vormittag');
    expect(callbackCell({ window: 'Frühschicht', date: '2026-03-30' })).toBe('Frühschicht, 30.03.2026');
    expect(callbackCell({ at: '2026-03-30T15:30:00Z' })).toBe('30.03.2026 17:30');
  });

  it('says a case on the do-not-call list was not called, or no longer, as it was', () => {
    const label = (attempts: ResultAttempt[]) => mainRow(ctx, kase({ finalOutcome: 'do_not_call', attempts }))[5];
    expect(label([])).toBe('Sperrliste – nicht angerufen');
    expect(label([attempt(1)])).toBe('Sperrliste – nicht mehr angerufen');
    // Counted without the attempts (the mail): true either way.
    expect(outcomeLabel('do_not_call', defaultOutcomes)).toBe('Sperrliste – nicht (mehr) angerufen');
  });
});
