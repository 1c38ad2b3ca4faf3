import type { Runtime } from '../src/runtime.js';
import { createRedis } from '../src/redis/connection.js';
import { createMailer } from '../src/delivery/mailer.js';
import { startCallLockWatch } from './call-locks.js';
import { startDeliveryWorker } from './delivery.js';
import { startImportsWorker } from './imports.js';
import { startMaintenance } from './maintenance.js';
import { startOutcomesWorker } from './outcomes.js';

/**
 * Starts every background worker of this process; returns their orderly close.
 * Each worker is a thin shell over a function in `src/<feature>/`.
 */
export async function startWorkers(rt: Runtime): Promise<{ close: () => Promise<void> }> {
  // Workers wait out a Redis restart instead of failing (offline queue on, no retry limit).
  const connection = createRedis(rt.config.redis, 'worker', rt.log);
  const outcomes = startOutcomesWorker(rt, connection);
  const imports = startImportsWorker(rt, connection);
  const locks = startCallLockWatch(rt, connection);
  const mailer = createMailer(rt.config);
  const delivery = startDeliveryWorker(rt, connection, mailer);
  const maintenance = await startMaintenance(rt, connection);
  // Without SMTP_URL a delivered result list is an .eml file on this machine's DATA_DIR: a
  // production workers process must say so, or the lead reads „sent“ for a mail nobody got.
  if (!rt.config.SMTP_URL) rt.log.warn({ outbox: `${rt.config.DATA_DIR}/outbox` }, 'SMTP_URL not set: result lists are written as .eml files to the outbox, not mailed');
  rt.log.info('workers started');
  return {
    close: async () => {
      await Promise.allSettled([outcomes.close(), imports.close(), maintenance.close(), locks.close(), delivery.close()]);
      mailer.close();
      await connection.quit().catch(() => connection.disconnect());
    },
  };
}
