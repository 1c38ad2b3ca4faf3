import type { SourceCell, SourceColumn } from '../../src/lists/import/index.js';
import type { ResultAttempt, ResultCase } from '../../src/results/result-rows.js';

/** The bench list's columns: what a utility's billing system exports. */
export const COLUMNS: SourceColumn[] = [
  { header: 'Kundennummer' },
  { header: 'Name' },
  { header: 'Telefon' },
  { header: 'Mahnsumme', numFmt: '#,##0.00' },
  { header: 'Fällig seit', numFmt: 'dd.mm.yyyy' },
  { header: 'Vertragskonto' },
  { header: 'Straße' },
  { header: 'PLZ Ort' },
];

const FIRST = ['Jürgen', 'Anna', 'Zoë', 'Bernd', 'Carla', 'Dora', 'Emil', 'Fatma'];
const LAST = ['Weiß', 'Öztürk', 'Straße', 'Brot', 'Cäsar', 'Müller', 'Ärger', 'Schmidt'];
const BASE = Date.UTC(2026, 10, 25, 8, 0);

/** Case `i` (0-based) of the bench list: deterministic, so the bare writer can write the same cells. */
export function benchCase(i: number): ResultCase {
  const amount = 1000 + ((i * 7919) % 250_000);
  const source: SourceCell[] = [
    `K${100000 + i}`,
    `${FIRST[i % 8]} ${LAST[(i >> 3) % 8]}`,
    `0721 ${String(1_000_000 + i)}`,
    amount / 100,
    { d: `2026-${String(1 + (i % 9)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')}` },
    210_000_000_000 + i,
    `Hauptstraße ${1 + (i % 200)}`,
    `76${String(i % 1000).padStart(3, '0')} Karlsruhe`,
  ];
  const attempts: ResultAttempt[] = [
    { attemptNo: 1, recordedAt: new Date(BASE + i * 1000), phoneE164: `+49721${1_000_000 + i}`, outcome: 'not_reached', rightParty: null, note: null, promiseAmountCents: null, promiseDate: null, callback: null },
  ];
  if (i % 2 === 0) {
    attempts.push({ attemptNo: 2, recordedAt: new Date(BASE + 7_200_000 + i * 1000), phoneE164: `+49721${1_000_000 + i}`, outcome: 'promise_to_pay', rightParty: true, note: 'zahlt zum Monatsende', promiseAmountCents: amount, promiseDate: '2026-12-31', callback: null });
  }
  const last = attempts.at(-1)!;
  return {
    rowNumber: i + 2,
    customerNo: source[0] as string,
    name: source[1] as string,
    phoneRaw: source[2] as string,
    phones: [{ e164: `+49721${1_000_000 + i}`, raw: source[2] as string, kind: 'Telefon', status: 'active' }],
    address: `${source[6]}, ${source[7]}`,
    amountCents: amount,
    currency: 'EUR',
    language: 'de',
    secondLanguage: null,
    extra: {},
    source,
    status: 'closed',
    finalOutcome: i % 2 === 0 ? 'promise_to_pay' : 'max_attempts',
    promiseAmountCents: last.promiseAmountCents,
    promiseDate: last.promiseDate,
    attempts,
  };
}
