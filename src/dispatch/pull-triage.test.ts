import { describe, expect, it } from 'vitest';
import type { PullContext } from './pull-context.js';
import { triage } from './pull-triage.js';

const now = new Date('2026-11-25T10:00:00+01:00');
/** An agent of client k1, which is active. */
const agent = { clientIds: ['k1'], callClientIds: ['k1'] };
/** The fields triage reads; the rest of a pull context does not matter to it. */
const ctx = (over: { status?: string; attemptsMade?: number; listStatus?: PullContext['listStatus']; outcomePending?: boolean; holder?: PullContext['holder']; waitReason?: string; nextDueAt?: Date } = {}) =>
  ({
    case: { id: 'c1', clientId: 'k1', status: over.status ?? 'open', attemptsMade: over.attemptsMade ?? 0, waitReason: over.waitReason ?? null, nextDueAt: over.nextDueAt ?? null },
    listStatus: over.listStatus ?? 'active',
    outcomePending: over.outcomePending ?? false,
    holder: over.holder ?? null,
  }) as unknown as PullContext;

describe('triage of a pulled job', () => {
  it('hands on a job of an open case, its current attempt, an active list and the agent\'s client', () => {
    const c = ctx();
    expect(triage(c, 1, agent, now)).toEqual({ kind: 'go', ctx: c });
  });

  it('holds every copy of a job given back after a dial until its hold ends', () => {
    const until = new Date(now.getTime() + 600_000);
    expect(triage(ctx({ waitReason: 'dialled', nextDueAt: until }), 1, agent, now)).toEqual({ kind: 'later', at: until.getTime() });
    const over = ctx({ waitReason: 'dialled', nextDueAt: new Date(now.getTime() - 1) });
    expect(triage(over, 1, agent, now)).toEqual({ kind: 'go', ctx: over });
    // Any other wait reason is the job's slot's to judge (a copy may be due before the case's time).
    const retry = ctx({ waitReason: 'retry_delay', nextDueAt: until });
    expect(triage(retry, 1, agent, now)).toEqual({ kind: 'go', ctx: retry });
  });

  it('drops a job whose case is gone, closed or past this attempt', () => {
    expect(triage(null, 1, agent, now)).toEqual({ kind: 'drop', reason: 'stale' });
    expect(triage(ctx({ status: 'closed' }), 1, agent, now)).toEqual({ kind: 'drop', reason: 'stale' });
    expect(triage(ctx({ attemptsMade: 1 }), 1, agent, now)).toEqual({ kind: 'drop', reason: 'stale' });
  });

  it('holds a job whose case is not found while the job\'s list is importing (its cases are not committed yet), drops it after', () => {
    expect(triage(null, 1, agent, now, { listStatus: 'importing', caseVisible: false })).toEqual({ kind: 'later', at: now.getTime() + 5_000 });
    for (const listStatus of ['active', 'failed', 'cancelled', null] as const) {
      expect(triage(null, 1, agent, now, { listStatus, caseVisible: false })).toEqual({ kind: 'drop', reason: 'stale' });
    }
  });

  it('looks again at once at a job whose case was committed between the take and the second look', () => {
    expect(triage(null, 1, agent, now, { listStatus: 'active', caseVisible: true })).toEqual({ kind: 'later', at: now.getTime() });
  });

  it('puts a job of a list still importing back for a few seconds, and drops one of a list no longer active', () => {
    expect(triage(ctx({ listStatus: 'importing' }), 1, agent, now)).toEqual({ kind: 'later', at: now.getTime() + 5_000 });
    for (const listStatus of ['completed', 'cancelled', 'failed'] as const) {
      expect(triage(ctx({ listStatus }), 1, agent, now)).toEqual({ kind: 'drop', reason: 'list_not_active' });
    }
  });

  it('drops a job of a client the agent no longer has (a personal callback\'s copy)', () => {
    expect(triage(ctx(), 1, { clientIds: ['k2'], callClientIds: ['k2'] }, now)).toEqual({ kind: 'drop', reason: 'client_not_assigned' });
  });

  it('holds a job of the agent\'s client set inactive (a personal callback) for five minutes', () => {
    expect(triage(ctx(), 1, { clientIds: ['k1'], callClientIds: [] }, now)).toEqual({ kind: 'later', at: now.getTime() + 300_000 });
  });

  it('holds a job whose attempt has an outcome on its way, or whose case somebody holds, and not one whose holder has run out', () => {
    expect(triage(ctx({ outcomePending: true }), 1, agent, now)).toEqual({ kind: 'later', at: now.getTime() + 30_000 });
    const until = new Date(now.getTime() + 20_000);
    expect(triage(ctx({ holder: { id: 'a1', expiresAt: until } }), 1, agent, now)).toEqual({ kind: 'later', at: until.getTime() + 1_000 });
    const expired = ctx({ holder: { id: 'a1', expiresAt: new Date(now.getTime() - 1) } });
    expect(triage(expired, 1, agent, now)).toEqual({ kind: 'go', ctx: expired });
  });
});
