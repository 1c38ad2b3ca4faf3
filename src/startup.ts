import { ensureFirstAdmin } from './auth/bootstrap-admin.js';
import { checkAutovacuum } from './db/autovacuum.js';
import { recover } from './recovery/recover.js';
import type { Runtime } from './runtime.js';

/**
 * Migrations, the autovacuum check, the first admin, and the work a killed process left in the
 * outbox (`recover`); safe to run from every process and replica.
 */
export async function runStartup(rt: Runtime): Promise<{ adminCreated: { username: string; generatedPassword: string | null } | null }> {
  await rt.database.migrate();
  await checkAutovacuum(rt.database, rt.log);
  await recover({ db: rt.database.db, calls: rt.calls, queues: rt.queues, clock: rt.clock, config: rt.config, log: rt.log });
  const admin = await ensureFirstAdmin(rt.database.db, rt.config.ADMIN_USERNAME, rt.config.ADMIN_PASSWORD);
  if (!admin.created) return { adminCreated: null };
  if (admin.generatedPassword) {
    // Printed once to the console (not the JSON log) so it can be copied; it is not stored anywhere.
    console.log(`\nFirst start: created admin "${admin.username}" with password: ${admin.generatedPassword}\n`);
  }
  return { adminCreated: { username: admin.username, generatedPassword: admin.generatedPassword } };
}
