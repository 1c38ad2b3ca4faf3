import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import type { StoredPhone } from '../db/schema.js';
import type { PreferredWindow, RetryChoice } from '../scheduling/index.js';
import type { CaseContext } from './load-case.js';
import type { AssignmentRow } from './load-case.js';

/** The case as the agent sees it (DESIGN.md section 10, `POST /api/agent/next`). */
export interface CaseView {
  id: string;
  listId: string;
  clientId: string;
  clientName: string;
  customerNo: string;
  name: string;
  phone: string;
  phoneE164: string;
  /** The current number as dialled by hand from anywhere (`+41 79 555 12 34`). */
  phoneInternational: string;
  ctiLink: string;
  phones: Array<StoredPhone & { international: string; ctiLink: string }>;
  address: string;
  amountCents: number;
  currency: string;
  language: string;
  /** The other language of a bilingual postcode, if any. */
  secondLanguage: string | null;
  /** „Kunde spricht vermutlich Französisch“ when the agent speaks none of the case's languages. */
  languageNote: string | null;
  /** Whether the phone button dials through the phone system (`POST …/dial`) instead of the link. */
  dial: boolean;
  /** Until when the customer may be called (`callableUntil`, ISO): past it the screen stops dialling. */
  callableUntil: string | null;
  attemptNo: number;
  maxAttempts: number;
  preferredWindows: PreferredWindow[];
  extra: Record<string, string>;
  outcomes: Array<{ code: string; label: string; effect: string }>;
  windows: Record<string, [string, string]>;
  /** The client's zone: callback times are entered and meant in it. */
  timezone: string;
  /** Why this retry was placed in its window (learned strategy), or null. */
  retryChoice: RetryChoice | null;
}

/**
 * A number in its international form, grouped as its country writes it (`+41 79 555 12 34`):
 * an agent dialling by hand from a German desk phone must not ring a German number with a Swiss
 * mobile's national digits. What libphonenumber cannot read stays as it is.
 */
export const internationalOf = (e164: string) => parsePhoneNumberFromString(e164)?.formatInternational() ?? e164;

export function caseView(ctx: CaseContext, ctiTemplate: string, extras: Pick<CaseView, 'languageNote' | 'dial' | 'callableUntil'>): CaseView {
  const c = ctx.case;
  // The main number is one of `phones` too: formatted once (libphonenumber was 4 % of the API's
  // CPU profile under `bench:dispatch`, every hand-out formatting it twice).
  const formatted = new Map<string, string>();
  const international = (e164: string) => formatted.get(e164) ?? formatted.set(e164, internationalOf(e164)).get(e164)!;
  return {
    id: c.id,
    listId: c.listId,
    clientId: c.clientId,
    clientName: ctx.clientName,
    customerNo: c.customerNo,
    name: c.name,
    phone: c.phoneRaw,
    phoneE164: c.phoneE164,
    phoneInternational: international(c.phoneE164),
    // E.164 is '+' and digits only, which tel: and sip: URIs carry as they are (RFC 3966).
    ctiLink: ctiTemplate.replaceAll('{e164}', c.phoneE164),
    phones: c.phones.map((p) => ({ ...p, international: international(p.e164), ctiLink: ctiTemplate.replaceAll('{e164}', p.e164) })),
    address: c.address,
    amountCents: c.amountCents,
    currency: c.currency,
    language: c.language,
    secondLanguage: c.secondLanguage,
    ...extras,
    attemptNo: c.attemptsMade + 1,
    maxAttempts: ctx.settings.maxAttempts,
    preferredWindows: c.preferredWindows ?? [],
    extra: c.extra,
    outcomes: ctx.settings.outcomes,
    windows: ctx.settings.windows,
    timezone: ctx.settings.timezone,
    retryChoice: c.retryChoice ?? null,
  };
}

export const assignmentView = (a: AssignmentRow) => ({ id: a.id, expiresAt: a.expiresAt.toISOString() });
