import { describe, expect, it } from 'vitest';
import type { StoredPhone } from '../db/schema.js';
import { defaultSchedulingSettings, type SchedulingSettings } from '../scheduling/settings.js';
import type { CaseRow } from './case-state.js';
import { decideOutcome, type RecordedOutcome } from './outcome-decision.js';

const now = new Date('2026-11-25T10:00:00+01:00'); // a Wednesday
const settings: SchedulingSettings = { ...defaultSchedulingSettings, holidays: null, retryDelaySeconds: 3600 };
const phone = (e164: string, status: StoredPhone['status'] = 'active'): StoredPhone => ({ e164, raw: e164, kind: 'Telefon', status });
const base = {
  id: 'c1', listId: 'l1', clientId: 'k1', status: 'open', attemptsMade: 0, phoneE164: '+497211', phoneRaw: '+497211', phones: [phone('+497211'), phone('+491711')],
  postalCode: '76133', country: 'DE', preferredWindows: null, lastWindow: null, promiseAmountCents: null, promiseDate: null, callback: null,
} as unknown as CaseRow;
const outcome = (body: RecordedOutcome['body'], attemptNo = 1): RecordedOutcome => ({ attemptNo, agentId: 'a1', recordedAt: now, body });
const decide = (c: Partial<CaseRow>, o: RecordedOutcome) => decideOutcome({ case: { ...base, ...c }, settings, attemptTimes: [] }, o, now);

describe('decideOutcome', () => {
  it('closes on a closing outcome, counting the attempt and keeping the promise', () => {
    const v = decide({}, outcome({ outcome: 'promise_to_pay', promise: { amountCents: 5000, date: '2026-12-15' } }));
    expect(v).toMatchObject({ kind: 'close', finalOutcome: 'promise_to_pay', set: { attemptsMade: 1, promiseAmountCents: 5000, promiseDate: '2026-12-15', lastWindow: 'morning' } });
  });

  it('counts the attempt in the window of the call, not of saving its outcome', () => {
    const evening = (recordedAt: string, calledAt?: string) =>
      decideOutcome({ case: base, settings, attemptTimes: [] }, { attemptNo: 1, agentId: 'a1', recordedAt: new Date(recordedAt), ...(calledAt ? { calledAt: new Date(calledAt) } : {}), body: { outcome: 'not_reached' } }, new Date(recordedAt));
    // Called at 19:55, saved at 20:01 (the evening window ends at 20:00).
    expect(evening('2026-11-25T20:01:00+01:00', '2026-11-25T19:55:00+01:00').set.lastWindow).toBe('evening');
    // A job of an older release has no call time: the save's, as before.
    expect(evening('2026-11-25T20:01:00+01:00').set.lastWindow).toBeNull();
  });

  it('plans a retry after the delay, and closes as max_attempts on the last attempt', () => {
    const v = decide({}, outcome({ outcome: 'not_reached' }));
    expect(v.kind).toBe('schedule');
    if (v.kind === 'schedule') expect(v.plan.at!.getTime()).toBeGreaterThanOrEqual(now.getTime() + 3_600_000);
    expect(decide({ attemptsMade: 2 }, outcome({ outcome: 'not_reached' }, 3))).toMatchObject({ kind: 'close', finalOutcome: 'max_attempts' });
  });

  it('goes on with the next number after "Falsche Nummer", and closes when none is left', () => {
    const v = decide({}, outcome({ outcome: 'wrong_number' }));
    expect(v).toMatchObject({ kind: 'schedule', callKind: 'first', set: { phoneE164: '+491711', phones: [phone('+497211', 'wrong'), phone('+491711')] } });
    expect(decide({ phones: [phone('+497211')] }, outcome({ outcome: 'wrong_number' }))).toMatchObject({ kind: 'close', finalOutcome: 'wrong_number' });
  });

  it('takes a wrong number’s answer for no contact with the customer when placing a learned retry', () => {
    const reach = { cells: [{ dayType: 'weekday' as const, window: 'morning', attempts: 1000, reached: 500, rightParty: 400 }], prior: { attempts: 10_000, reached: 3000, rightParty: 2500 } };
    // Monday 18:00 a stranger answered number A („Falsche Nummer“); now number B was not answered.
    const ctx = { case: { ...base, attemptsMade: 1 }, settings: { ...settings, retryStrategy: 'learned' as const }, attemptTimes: [new Date('2026-11-23T18:00:00+01:00')], reach };
    const basis = (earlier: string) => {
      const v = decideOutcome({ ...ctx, attemptOutcomes: [earlier] }, outcome({ outcome: 'not_reached' }, 2), now);
      return v.kind === 'schedule' ? v.plan.choice?.basis : v.kind;
    };
    expect(basis('wrong_number')).not.toBe('customer');
    // The customer asking for a callback then was a contact: their evening counts.
    expect(basis('callback')).toBe('customer');
  });

  it('keeps a personal callback for its agent, with its time', () => {
    const v = decide({}, outcome({ outcome: 'callback', callback: { window: 'evening', owner: 'me' } }));
    expect(v).toMatchObject({ kind: 'schedule', callKind: 'callback', personalAgentId: 'a1', set: { callback: { agentId: 'a1', window: 'evening' } } });
    if (v.kind === 'schedule') expect(v.plan.at!.toISOString()).toBe(new Date('2026-11-25T17:00:00+01:00').toISOString());
  });

  it('plans a window callback agreed while the window is open 30 minutes after the call, not at once', () => {
    const evening = new Date('2026-11-25T17:30:00+01:00');
    const o: RecordedOutcome = { attemptNo: 1, agentId: 'a1', recordedAt: evening, body: { outcome: 'callback', callback: { window: 'evening', owner: 'me' } } };
    const v = decideOutcome({ case: base, settings, attemptTimes: [] }, o, evening);
    const due = new Date('2026-11-25T18:00:00+01:00');
    expect(v).toMatchObject({ kind: 'schedule', plan: { at: due, reason: 'callback_window' }, set: { nextDueAt: due, waitReason: 'callback_window', callback: { agentId: 'a1', at: due.toISOString() } } });
  });

  it('counts the attempt of a case closed meanwhile, plans nothing, and keeps what the customer said on a cancelled list', () => {
    expect(decide({ status: 'closed', finalOutcome: 'max_attempts', attemptsMade: 1 }, outcome({ outcome: 'paid' }, 2))).toEqual({ kind: 'keep', set: { attemptsMade: 2, updatedAt: now } });
    expect(decide({ status: 'closed', finalOutcome: 'cancelled' }, outcome({ outcome: 'not_reached' }))).toEqual({ kind: 'keep', set: { attemptsMade: 1, updatedAt: now } });
    const promised = decide({ status: 'closed', finalOutcome: 'cancelled' }, outcome({ outcome: 'promise_to_pay', promise: { amountCents: 50_000, date: '2026-12-15' } }));
    expect(promised).toEqual({ kind: 'keep', set: { attemptsMade: 1, updatedAt: now, promiseAmountCents: 50_000, promiseDate: '2026-12-15', finalOutcome: 'promise_to_pay' } });
  });
});
