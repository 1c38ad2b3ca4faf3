import type { StoredPhone } from '../db/schema.js';

/**
 * A case's numbers (pure): which one is dialled now and what "Falsche Nummer" or the
 * do-not-call list make of them. The case's `phoneE164`/`phoneRaw` always hold the current one.
 */

/** The number to dial: the first still active, or null when none is left. */
export function currentPhone(phones: StoredPhone[]): StoredPhone | null {
  return phones.find((p) => p.status === 'active') ?? null;
}

/** The numbers with `e164` (if active) marked `status`. */
export function markPhones(phones: StoredPhone[], e164s: Iterable<string>, status: StoredPhone['status']): StoredPhone[] {
  const marked = new Set(e164s);
  return phones.map((p) => (p.status === 'active' && marked.has(p.e164) ? { ...p, status } : p));
}

/** The case columns that follow from its numbers: the list and the current one. */
export function phoneColumns(phones: StoredPhone[]): { phones: StoredPhone[]; phoneE164?: string; phoneRaw?: string } {
  const current = currentPhone(phones);
  return current ? { phones, phoneE164: current.e164, phoneRaw: current.raw } : { phones };
}
