import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliveries } from '../src/db/schema.js';
import { requestDelivery } from '../src/delivery/deliveries.js';
import { deliver, StoppedForShutdown } from '../src/delivery/deliver.js';
import { createMailer } from '../src/delivery/mailer.js';
import { createTestContext, type TestContext } from './helpers/context.js';
import { createClient, fastRules } from './helpers/dispatch.js';
import { completedList } from './helpers/results.js';
import { startSmtp, type TestSmtp } from './helpers/smtp.js';
import { serviceDeps } from './helpers/workbooks.js';

/**
 * A workers process shutting down (a deploy) does not start a send that the kill after its grace
 * period could cut off: that round would be `unknown` for the lead to decide. No worker runs
 * here: `deliver` is called as the delivery worker calls it.
 */
let t: TestContext;
let smtp: TestSmtp;
beforeAll(async () => {
  smtp = await startSmtp();
  t = await createTestContext({ SMTP_URL: smtp.url, MAIL_FROM: 'Mahnanrufe <mahn@callcenter.example>' });
});
afterAll(async () => {
  await t.close();
  await smtp.close();
});

describe('a delivery while the process shuts down', () => {
  it('stops before claiming its round, records no failure and sends nothing; the next try sends it', async () => {
    const admin = (await t.userSession('admin')).cookie;
    const clientId = await createClient(t, admin, { ...fastRules, resultEmail: 'forderung@swm.example' });
    const agentId = (await t.userSession('agent', [clientId])).user.id;
    const listId = await completedList(t, clientId, agentId, 1);
    const { id } = await requestDelivery(serviceDeps(t), listId, agentId, 'shutdown@swm.example');
    const mailer = createMailer(t.config);
    try {
      await expect(deliver({ ...serviceDeps(t), mailer }, id, { finalTry: true, stopping: () => true })).rejects.toBeInstanceOf(StoppedForShutdown);
      // Stopped more often than a round has tries (rolling deploys): none of them counts.
      for (let i = 0; i < 2 * t.config.DELIVERY_ATTEMPTS + 1; i++) {
        await expect(deliver({ ...serviceDeps(t), mailer }, id, { finalTry: true, stopping: () => true })).rejects.toBeInstanceOf(StoppedForShutdown);
      }
      const [round] = await t.db.select().from(deliveries).where(eq(deliveries.id, id));
      expect(round).toMatchObject({ status: 'pending', lastError: null, tries: 0 });
      expect(smtp.mails).toHaveLength(0);
      expect(await deliver({ ...serviceDeps(t), mailer }, id, { finalTry: true, stopping: () => false })).toBe('sent');
    } finally {
      mailer.close();
    }
    expect(smtp.mails).toHaveLength(1);
  });
});
