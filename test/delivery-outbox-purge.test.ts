import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { deliveries, dunningLists } from '../src/db/schema.js';
import { deliver, type DeliveryOutcome } from '../src/delivery/deliver.js';
import { createMailer, type Mailer } from '../src/delivery/mailer.js';
import { purgeList } from '../src/retention/purge.js';
import { createTestContext, type TestContext } from './helpers/context.js';
import { createClient, fastRules } from './helpers/dispatch.js';
import { eventually } from './helpers/eventually.js';
import { completedList } from './helpers/results.js';
import { serviceDeps } from './helpers/workbooks.js';
import { waitingForALock } from './helpers/db.js';

/**
 * Without SMTP_URL the mail is an `.eml` in DATA_DIR/outbox, holding the result list. A purge
 * of the list while the delivery is between its "not purged" check and the outbox's write must
 * not leave that copy for ever. No workers here: each test runs `deliver` itself and places the
 * purge's steps around the write (inside its mailer's send, or the delivery inside the purge).
 */
let t: TestContext;
let clientId: string;
let agentId: string;
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'mahn-outbox-purge-'));
const outbox = path.join(dataDir, 'outbox');

beforeAll(async () => {
  t = await createTestContext({ DATA_DIR: dataDir });
  const admin = (await t.userSession('admin')).cookie;
  clientId = await createClient(t, admin, { ...fastRules, code: 'SWM', name: 'Stadtwerke Muster', resultEmail: 'forderung@swm.example' });
  agentId = (await t.userSession('agent', [clientId])).user.id;
});
afterAll(async () => {
  await t.close();
  rmSync(dataDir, { recursive: true, force: true });
});

/** A completed list with its round to send, and the outbox mailer whose `send` runs `before` first. */
async function roundToSend(before: (listId: string) => Promise<void>) {
  const listId = await completedList(t, clientId, agentId, 1);
  const [round] = await t.db.insert(deliveries).values({ listId, round: 1, recipient: 'forderung@swm.example' }).returning();
  const mailer = createMailer(t.config);
  const send = mailer.send.bind(mailer);
  const spied: Mailer = {
    send: async (mail) => {
      await before(listId);
      return send(mail);
    },
    close: () => mailer.close(),
  };
  return { listId, roundId: round!.id, mailer: spied };
}

const copiesOf = (roundId: string) => readdirSync(outbox).filter((f) => f.includes(`_${roundId}_`));

describe('the outbox copy of a list purged while its mail was written', () => {
  it('is deleted when the purge ran between the check and the write', async () => {
    const { roundId, mailer } = await roundToSend((listId) => purgeList(serviceDeps(t), listId, t.clock.now()));
    expect(await deliver({ ...serviceDeps(t), mailer }, roundId, { finalTry: false })).toBe('failed');
    mailer.close();
    expect(copiesOf(roundId)).toEqual([]);
    const [row] = await t.db.select().from(deliveries).where(eq(deliveries.id, roundId));
    expect(row).toMatchObject({ status: 'failed', lastError: expect.stringMatching(/deleted \(retention\) while its mail was written/) });
  });

  it('is deleted when the purge marked the list before the write and commits after it', async () => {
    // The purge's transaction as far as marking the list (its row locked), held open while the
    // copy is written; its own deletion of the copies ran before the write and found none.
    let commit!: () => void;
    const committed = new Promise<void>((resolve) => (commit = resolve));
    let purge: Promise<void> | undefined;
    const { roundId, mailer } = await roundToSend(
      (listId) =>
        new Promise<void>((marked) => {
          purge = t.db.transaction(async (tx) => {
            await tx.update(dunningLists).set({ purgedAt: t.clock.now() }).where(eq(dunningLists.id, listId));
            marked();
            await committed;
          });
        }),
    );
    const delivering = deliver({ ...serviceDeps(t), mailer }, roundId, { finalTry: false });
    try {
      // The copy is written, and the delivery waits for the purge to commit before it reads the list.
      await eventually(async () => copiesOf(roundId).length === 1, 10_000, 'the outbox copy');
      await eventually(() => waitingForALock(t.db, '%for share%'), 10_000, 'the delivery waiting for the purge');
    } finally {
      commit();
    }
    await purge;
    expect(await delivering).toBe('failed');
    mailer.close();
    expect(copiesOf(roundId)).toEqual([]);
  });

  it('is deleted by the purge when the delivery wrote it and read the list before the purge marked it', async () => {
    const { listId, roundId, mailer } = await roundToSend(async () => {});
    // The purge's reading of failed outcome jobs stands for any moment of the purge before it
    // marks the list: the delivery runs whole there, its copy written and the list not yet purged.
    const outcomes = t.queues.get('outcomes');
    const getFailed = outcomes.getFailed.bind(outcomes);
    let delivered: DeliveryOutcome | undefined;
    const spy = vi.spyOn(outcomes, 'getFailed').mockImplementationOnce(async (...args: Parameters<typeof getFailed>) => {
      delivered = await deliver({ ...serviceDeps(t), mailer }, roundId, { finalTry: false });
      expect(copiesOf(roundId)).toHaveLength(1);
      return getFailed(...args);
    });
    try {
      await purgeList(serviceDeps(t), listId, t.clock.now());
    } finally {
      spy.mockRestore();
      mailer.close();
    }
    expect(delivered).toBe('sent');
    expect(copiesOf(roundId)).toEqual([]);
  });
});
