import type { Db } from '../db/client.js';
import type { SchedulingSettings } from '../scheduling/index.js';
import type { CaseRow } from './case-state.js';

/**
 * The case as the pull read it, carried in the `outcomes` job of an outcome claimed on the kept
 * copy (`handed-out.ts`), so that the outcomes worker need not read it again: it decides on this
 * copy and writes only while the case and client rows are still the versions read
 * (`writeOutcome`); anything else reads again, as a job without it always does. Only the Redis
 * job carries it, not the outbox: a job rebuilt from PostgreSQL reads.
 */

/** The case columns recording an outcome decides on and writes (`decideOutcome`, `writeOutcome`, `enqueueCall`). */
const OUTCOME_CASE_COLUMNS = [
  'id', 'listId', 'clientId', 'status', 'attemptsMade', 'finalOutcome', 'closedAt', 'nextDueAt', 'waitReason', 'lastWindow',
  'preferredWindows', 'callback', 'retryChoice', 'promiseAmountCents', 'promiseDate', 'phones', 'phoneRaw', 'phoneE164',
  'postalCode', 'country', 'language', 'secondLanguage', 'amountCents', 'updatedAt',
] as const satisfies ReadonlyArray<keyof CaseRow>;

export type OutcomeCase = Pick<CaseRow, (typeof OUTCOME_CASE_COLUMNS)[number]>;

type Times = 'closedAt' | 'nextDueAt' | 'updatedAt';

/** As JSON carries it: its times as ISO strings. */
export interface SeenCase {
  case: Omit<OutcomeCase, Times> & { closedAt: string | null; nextDueAt: string | null; updatedAt: string };
  /** The `xmin` of the case and client rows read. */
  caseVersion: string;
  clientVersion: string;
  /** Its recorded attempts, in order: times (ms since the epoch) and outcome codes. */
  attemptTimes: number[];
  attemptOutcomes: string[];
}

/** Of the pull's read, what the outcome's recording needs. */
export function seenCase(c: CaseRow, versions: { caseVersion: string; clientVersion: string }, history: ReadonlyArray<{ at: string; outcome: string }>): SeenCase {
  return {
    case: {
      id: c.id,
      listId: c.listId,
      clientId: c.clientId,
      status: c.status,
      attemptsMade: c.attemptsMade,
      finalOutcome: c.finalOutcome,
      closedAt: c.closedAt?.toISOString() ?? null,
      nextDueAt: c.nextDueAt?.toISOString() ?? null,
      waitReason: c.waitReason,
      lastWindow: c.lastWindow,
      preferredWindows: c.preferredWindows,
      callback: c.callback,
      retryChoice: c.retryChoice,
      promiseAmountCents: c.promiseAmountCents,
      promiseDate: c.promiseDate,
      phones: c.phones,
      phoneRaw: c.phoneRaw,
      phoneE164: c.phoneE164,
      postalCode: c.postalCode,
      country: c.country,
      language: c.language,
      secondLanguage: c.secondLanguage,
      amountCents: c.amountCents,
      updatedAt: c.updatedAt.toISOString(),
    },
    ...versions,
    attemptTimes: history.map((h) => Date.parse(h.at)),
    attemptOutcomes: history.map((h) => h.outcome),
  };
}

/**
 * Whether a carried copy has every column this process decides on and writes. One queued by an
 * API process of another release (a rolling update that added a column) may not: the worker
 * then reads the case instead of writing a column it does not have.
 */
export function carriesEveryColumn(s: SeenCase): boolean {
  return OUTCOME_CASE_COLUMNS.every((column) => column in s.case) && Array.isArray(s.attemptTimes) && Array.isArray(s.attemptOutcomes);
}

/** The carried case with its times as dates again. */
export function caseFromSeen(s: SeenCase['case']): OutcomeCase {
  const date = (iso: string | null) => (iso === null ? null : new Date(iso));
  return { ...s, closedAt: date(s.closedAt), nextDueAt: date(s.nextDueAt), updatedAt: new Date(s.updatedAt) };
}

/**
 * The client rules this process read last, per database and client, with the version (`xmin`)
 * of the row they were read from: a carried case names the version its rules were read at, and
 * is decided on these only when that version matches. Bounded by the number of clients.
 */
const rulesByDb = new WeakMap<Db, Map<string, { version: string; settings: SchedulingSettings }>>();
const MAX_CLIENTS = 10_000;

export function rememberRules(db: Db, clientId: string, version: string, settings: SchedulingSettings): void {
  let rules = rulesByDb.get(db);
  if (!rules) rulesByDb.set(db, (rules = new Map()));
  if (rules.size >= MAX_CLIENTS && !rules.has(clientId)) rules.clear();
  rules.set(clientId, { version, settings });
}

/** The client's rules at `version`, if this process read them at that version. */
export function rulesAt(db: Db, clientId: string, version: string): SchedulingSettings | undefined {
  const known = rulesByDb.get(db)?.get(clientId);
  return known?.version === version ? known.settings : undefined;
}
