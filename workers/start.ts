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
  rt.log.info('workers started');
  return {
    close: async () => {
      await Promise.allSettled([outcomes.close(), imports.close(), maintenance.close(), locks.close(), delivery.close()]);
      mailer.close();
      await connection.quit().catch(() => connection.disconnect());
    },
  };
}
