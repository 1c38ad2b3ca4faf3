import { createClient } from '../../src/clients/clients.service.js';
import { ClientCreateSchema } from '../../src/clients/clients.schemas.js';
import type { Db } from '../../src/db/client.js';
import { attempts, cases, dunningLists, users } from '../../src/db/schema.js';
import { hashPassword } from '../../src/auth/password.js';
import type { SessionUser } from '../../src/http/context.js';
import { benchCase, COLUMNS } from './data.js';

export const BENCH_USER = { username: 'bench-admin', password: 'bench-password-123' };

/**
 * A completed list of `n` cases with their attempts, written straight into the scratch database,
 * and a second one of a single case (`warmUpListId`): its download loads what a running API has
 * loaded by the time a lead downloads a result list (exceljs, the page queries), as the bare
 * write loads exceljs before its clock starts.
 */
export async function seedBenchList(db: Db, n: number): Promise<{ listId: string; warmUpListId: string }> {
  const [user] = await db
    .insert(users)
    .values({ username: BENCH_USER.username, passwordHash: await hashPassword(BENCH_USER.password), displayName: 'Bench Admin', role: 'admin' })
    .returning({ id: users.id });
  const by: SessionUser = { id: user!.id, username: BENCH_USER.username, displayName: 'Bench Admin', role: 'admin', clientIds: [], callClientIds: [], languages: ['de'] };
  const client = await createClient(db, ClientCreateSchema.parse({ code: 'BENCH', name: 'Stadtwerke Muster (Bench)' }), by);
  const now = new Date();
  const seedList = async (name: string, count: number) => {
    const [list] = await db
      .insert(dunningLists)
      .values({
        clientId: client.id, name, status: 'completed', fileName: 'bench.xlsx', fileSha256: name, fileBytes: 0,
        report: { accepted: count, rejected: [], rejectedRows: 0, rejectedTruncated: false, dataRows: count, headerRow: 1, columns: {}, extraColumns: [], sourceColumns: COLUMNS, countries: { DE: { rows: count, by: { postcode: count } } }, sheet: null },
        activatedAt: now, completedAt: now,
      })
      .returning({ id: dunningLists.id });
    const listId = list!.id;
    const BATCH = 2000;
    for (let from = 0; from < count; from += BATCH) {
      const page = Array.from({ length: Math.min(BATCH, count - from) }, (_, k) => benchCase(from + k));
      const inserted = await db
        .insert(cases)
        .values(page.map((c) => ({
          listId, clientId: client.id, rowNumber: c.rowNumber, customerNo: c.customerNo, name: c.name, phoneRaw: c.phoneRaw,
          phoneE164: c.phones[0]!.e164, phones: c.phones, address: c.address, country: 'DE', amountCents: c.amountCents, source: c.source,
          status: c.status, attemptsMade: c.attempts.length, finalOutcome: c.finalOutcome, promiseAmountCents: c.promiseAmountCents,
          promiseDate: c.promiseDate, closedAt: now,
        })))
        .returning({ id: cases.id, rowNumber: cases.rowNumber });
      const byRow = new Map(inserted.map((r) => [r.rowNumber, r.id]));
      await db.insert(attempts).values(
        page.flatMap((c) =>
          c.attempts.map((a) => ({
            caseId: byRow.get(c.rowNumber)!, clientId: client.id, attemptNo: a.attemptNo, agentId: user!.id, phoneE164: a.phoneE164, outcome: a.outcome, rightParty: a.rightParty,
            note: a.note, promiseAmountCents: a.promiseAmountCents, promiseDate: a.promiseDate, recordedAt: a.recordedAt,
          })),
        ),
      );
    }
    return listId;
  };
  return { listId: await seedList('Mahnlauf Bench', n), warmUpListId: await seedList('Aufwärmen', 1) };
}
