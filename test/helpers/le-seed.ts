import { inArray } from 'drizzle-orm';
import { attempts, cases as casesTable } from '../../src/db/schema.js';
import { defaultOutcomes } from '../../src/scheduling/settings.js';
import { createUser } from '../../src/users/users.service.js';
import type { TestContext } from './context.js';
import { createClient } from './dispatch.js';
import { seedList } from './seed.js';

export interface LeFixture {
  /** Stadtwerke Muster, Europe/Berlin, with an extra outcome `voicemail` (retry). */
  swm: string;
  /** Energie London, Europe/London: the same instant can be another day than for SWM. */
  evl: string;
  /** A client without any attempt. */
  empty: string;
  anna: { id: string; username: string };
  bernd: { id: string; username: string };
}

interface SeedAttempt {
  at: string;
  outcome: string;
  agent: 'anna' | 'bernd' | null;
  rightParty?: boolean;
  promiseCents?: number;
  /** The case's currency when not EUR. */
  currency?: 'CHF';
}

/**
 * Attempts with known outcomes, right-party flags and promises for the LE report, written
 * straight into `attempts` as the outcomes worker writes them. In November 2026 Berlin is
 * UTC+1 and London UTC+0, so 23:30 UTC is the next day in Berlin but the same day in London.
 */
export const SWM_ATTEMPTS: SeedAttempt[] = [
  { at: '2026-10-31T22:30:00Z', outcome: 'paid', agent: 'anna' }, // 31 Oct 23:30 Berlin: before the period
  { at: '2026-10-31T23:30:00Z', outcome: 'not_reached', agent: 'anna' }, // 1 Nov 00:30 Berlin
  { at: '2026-11-02T09:00:00Z', outcome: 'paid', agent: 'anna', rightParty: true },
  { at: '2026-11-02T10:00:00Z', outcome: 'promise_to_pay', agent: 'bernd', rightParty: true, promiseCents: 12_345 },
  { at: '2026-11-02T23:30:00Z', outcome: 'callback', agent: 'anna', rightParty: false }, // 3 Nov 00:30 Berlin
  { at: '2026-11-03T08:00:00Z', outcome: 'voicemail', agent: 'bernd' },
  { at: '2026-11-03T09:00:00Z', outcome: 'legacy_code', agent: 'bernd' }, // no longer in the settings
  { at: '2026-11-04T12:00:00Z', outcome: 'promise_to_pay', agent: null, rightParty: true, promiseCents: 5_000 },
  { at: '2026-11-30T23:30:00Z', outcome: 'paid', agent: 'anna' }, // 1 Dec 00:30 Berlin: after the period
];

export const EVL_ATTEMPTS: SeedAttempt[] = [
  { at: '2026-10-31T23:30:00Z', outcome: 'paid', agent: 'anna' }, // still 31 Oct in London
  { at: '2026-11-02T23:30:00Z', outcome: 'not_reached', agent: 'bernd' },
  // 30 Nov in London; a case in Swiss francs: its promise never adds to the euros of SWM.
  { at: '2026-11-30T23:30:00Z', outcome: 'promise_to_pay', agent: 'anna', rightParty: true, promiseCents: 20_000, currency: 'CHF' },
];

export async function seedLeFixture(t: TestContext, adminCookie: string): Promise<LeFixture> {
  const swm = await createClient(t, adminCookie, {
    code: 'SWM', name: 'Stadtwerke Muster', timezone: 'Europe/Berlin',
    outcomes: [...defaultOutcomes, { code: 'voicemail', label: 'Mailbox', effect: 'retry' }],
  });
  const evl = await createClient(t, adminCookie, { code: 'EVL', name: 'Energie London', timezone: 'Europe/London' });
  const empty = await createClient(t, adminCookie, { code: 'LEER', name: 'Ohne Anrufe' });
  const agent = (username: string, displayName: string) =>
    createUser(t.db, { username, password: 'correct horse battery', displayName, role: 'agent', clientIds: [swm, evl], languages: ['de'] });
  const anna = await agent('anna', 'Anna Schmidt');
  const bernd = await agent('bernd', 'Bernd Weber');
  const agents = { anna: anna.id, bernd: bernd.id };

  for (const [clientId, list] of [[swm, SWM_ATTEMPTS], [evl, EVL_ATTEMPTS]] as const) {
    // One case per attempt keeps (case, attempt number) unique without bookkeeping.
    const { cases } = await seedList(t, clientId, list.length);
    const inFrancs = cases.filter((_, i) => list[i]!.currency === 'CHF').map((c) => c.id);
    if (inFrancs.length) await t.db.update(casesTable).set({ currency: 'CHF' }).where(inArray(casesTable.id, inFrancs));
    await t.db.insert(attempts).values(
      list.map((a, i) => ({
        caseId: cases[i]!.id,
        clientId,
        attemptNo: 1,
        agentId: a.agent ? agents[a.agent] : null,
        outcome: a.outcome,
        rightParty: a.rightParty ?? null,
        promiseAmountCents: a.promiseCents ?? null,
        promiseDate: a.promiseCents ? '2026-12-15' : null,
        recordedAt: new Date(a.at),
      })),
    );
  }
  return { swm, evl, empty, anna: { id: anna.id, username: anna.username }, bernd: { id: bernd.id, username: bernd.username } };
}
