import { randomUUID } from 'node:crypto';
import { cases, dunningLists } from '../../src/db/schema.js';
import type { CaseRow } from '../../src/dispatch/case-state.js';
import { enqueueFirstCalls, planFirstCall } from '../../src/dispatch/first-calls.js';
import { loadSettings } from '../../src/clients/clients.service.js';
import type { TestContext } from './context.js';

export interface SeedCase {
  customerNo?: string;
  name?: string;
  phoneE164?: string;
  /** Every number of the case (the first is the current one); default: just `phoneE164`. */
  phones?: string[];
  amountCents?: number;
  language?: string;
  secondLanguage?: string | null;
  postalCode?: string | null;
  country?: string;
}

/**
 * An active list with `n` cases (or the given ones), scheduled exactly as an import schedules
 * them: first call planned by the scheduling core, one call job per case.
 */
export async function seedList(t: TestContext, clientId: string, input: number | SeedCase[]): Promise<{ listId: string; cases: CaseRow[] }> {
  const specs: SeedCase[] = typeof input === 'number' ? Array.from({ length: input }, () => ({})) : input;
  const now = t.clock.now();
  const settings = await loadSettings(t.db, clientId);
  const listId = randomUUID();
  const values = specs.map((s, i) => {
    const country = s.country ?? 'DE';
    const plan = planFirstCall(now, settings, { postalCode: s.postalCode ?? null, country });
    if (plan.at === null) throw new Error(`case ${i} is never callable: ${plan.explanation}`);
    return {
      row: {
        listId,
        clientId,
        rowNumber: i + 2,
        customerNo: s.customerNo ?? `K${String(i + 1).padStart(5, '0')}-${randomUUID().slice(0, 4)}`,
        name: s.name ?? `Kunde ${i + 1}`,
        phoneRaw: s.phones?.[0] ?? s.phoneE164 ?? `+49721${String(1_000_000 + i)}`,
        phoneE164: s.phones?.[0] ?? s.phoneE164 ?? `+49721${String(1_000_000 + i)}`,
        phones: (s.phones ?? [s.phoneE164 ?? `+49721${String(1_000_000 + i)}`]).map((e164, k) => ({ e164, raw: e164, kind: k === 0 ? 'Telefon' : 'Mobil', status: 'active' as const })),
        postalCode: s.postalCode ?? null,
        country,
        language: s.language ?? 'de',
        secondLanguage: s.secondLanguage ?? null,
        amountCents: s.amountCents ?? 10_000 + i,
        nextDueAt: plan.at,
        waitReason: plan.reason,
      },
      plan,
    };
  });
  // The list and its cases in one transaction: `recover`, which the workers run at any moment,
  // must see neither an active list without an open case (a completed one) nor an `importing`
  // one without its file (a failed import, whose cases it deletes).
  const inserted = await t.db.transaction(async (tx) => {
    await tx.insert(dunningLists).values({ id: listId, clientId, name: 'Testliste', status: 'active', activatedAt: now, fileName: 'test.xlsx', fileSha256: randomUUID(), fileBytes: 1 });
    return tx.insert(cases).values(values.map((v) => v.row)).returning();
  });
  const byRow = new Map(values.map((v) => [v.row.rowNumber, v.plan]));
  const d = { db: t.db, calls: t.calls, queues: t.queues, clock: t.clock, config: t.config, log: t.deps.log };
  await enqueueFirstCalls(
    d,
    inserted.map((c) => {
      const plan = byRow.get(c.rowNumber)!;
      return { case: c, windowEnd: plan.at ? plan.windowEnd : null, window: plan.at ? plan.window : null };
    }),
    now,
    settings,
  );
  return { listId, cases: inserted };
}
