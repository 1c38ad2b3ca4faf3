import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { deliveries } from '../src/db/schema.js';
import { queueDueDeliveries } from '../src/delivery/deliveries.js';
import { purgeList } from '../src/retention/purge.js';
import { createTestContext, type TestContext } from './helpers/context.js';
import { createClient, fastRules } from './helpers/dispatch.js';
import { eventually } from './helpers/eventually.js';
import { completedList, readXlsx } from './helpers/results.js';
import { serviceDeps } from './helpers/workbooks.js';

/** Without SMTP_URL (a newcomer's first run) result lists land as .eml files in DATA_DIR/outbox. */
let t: TestContext;
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'mahn-outbox-'));

beforeAll(async () => {
  t = await createTestContext({ DATA_DIR: dataDir });
  await t.runWorkers();
});
afterAll(async () => {
  await t.close();
  rmSync(dataDir, { recursive: true, force: true });
});

it('writes the result-list mail as an .eml file that a mail program opens, and retention deletes it', async () => {
  const admin = (await t.userSession('admin')).cookie;
  const clientId = await createClient(t, admin, { ...fastRules, code: 'SWM', name: 'Stadtwerke Muster', resultEmail: 'forderung@swm.example' });
  const agentId = (await t.userSession('agent', [clientId])).user.id;
  const listId = await completedList(t, clientId, agentId, 2);
  // An outbox as an earlier version left it: readable by everyone on the machine.
  const outbox = path.join(dataDir, 'outbox');
  mkdirSync(outbox, { mode: 0o755 });
  chmodSync(outbox, 0o755);
  await queueDueDeliveries(serviceDeps(t));
  const [file] = await eventually(async () => {
    const files = readdirSync(outbox, { withFileTypes: true }).filter((f) => f.name.endsWith('.eml')).map((f) => f.name);
    return files.length ? files : null;
  }, 20_000, 'an .eml in the outbox');
  const mail = await simpleParser(readFileSync(path.join(outbox, file!)));
  expect(mail.to && !Array.isArray(mail.to) ? mail.to.text : '').toBe('forderung@swm.example');
  expect(mail.attachments[0]!.filename).toMatch(/^Ergebnisliste_SWM_Testliste_\d{4}-\d{2}-\d{2}\.xlsx$/);
  expect((await readXlsx(mail.attachments[0]!.content)).get('Ergebnisliste')).toHaveLength(3);
  expect(readdirSync(outbox).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  // Customer data: readable by the service's own user only.
  expect(statSync(path.join(outbox, file!)).mode & 0o777).toBe(0o600);
  expect(statSync(outbox).mode & 0o777).toBe(0o700);

  // Retention deletes the outbox's copy with the list's data (it holds the result list), found by
  // the delivery's id — also for a round whose message id was never recorded.
  const [round] = await t.db.select().from(deliveries).where(eq(deliveries.listId, listId));
  expect(file).toContain(`_${round!.id}_`);
  await t.db.update(deliveries).set({ messageId: null, status: 'unknown' }).where(eq(deliveries.id, round!.id));
  writeFileSync(path.join(outbox, 'another-list.eml'), 'not this list');
  await purgeList(serviceDeps(t), listId, t.clock.now());
  expect(readdirSync(outbox)).toEqual(['another-list.eml']);
});
