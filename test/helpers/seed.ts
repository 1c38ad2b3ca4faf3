import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
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
  const [list] = await t.db
    .insert(dunningLists)
    .values({ clientId, name: 'Testliste', status: 'importing', fileName: 'test.xlsx', fileSha256: randomUUID(), fileBytes: 1 })
    .returning();
  const values = specs.map((s, i) => {
    const country = s.country ?? 'DE';
    const plan = planFirstCall(now, settings, { postalCode: s.postalCode ?? null, country });
    if (plan.at === null) throw new Error(`case ${i} is never callable: ${plan.explanation}`);
    return {
      row: {
        listId: list!.id,
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
  const inserted = await t.db.insert(cases).values(values.map((v) => v.row)).returning();
  // Active only once it has its cases, as an import does: an active list without an open case
  // is a completed one to `recover`, which the workers run at any moment.
  await t.db.update(dunningLists).set({ status: 'active', activatedAt: now }).where(eq(dunningLists.id, list!.id));
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
  return { listId: list!.id, cases: inserted };
}
