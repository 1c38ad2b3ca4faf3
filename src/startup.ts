import { createFirstAdmin } from './auth/bootstrap-admin.js';
import { checkAutovacuum } from './db/autovacuum.js';
import { sweepTempFiles } from './lists/temp-file.js';
import { recover } from './recovery/recover.js';
import type { Runtime } from './runtime.js';

/** A first admin this start created; `passwordFile` holds its password when it was generated. */
export interface CreatedAdmin {
  username: string;
  passwordFile: string | null;
}

/**
 * Migrations, the autovacuum check, the first admin, the work a killed process left in the
 * outbox (`recover`) and the customer data a killed process left in this machine's temporary
 * directory (swept hourly from here on); safe to run from every process and replica.
 */
export async function runStartup(rt: Runtime): Promise<{ adminCreated: CreatedAdmin | null }> {
  await rt.database.migrate();
  await sweepTempFiles(rt.log);
  await checkAutovacuum(rt.database, rt.log);
  await recover({ db: rt.database.db, calls: rt.calls, queues: rt.queues, clock: rt.clock, config: rt.config, log: rt.log });
  const admin = await createFirstAdmin(rt.database.db, { username: rt.config.ADMIN_USERNAME, password: rt.config.ADMIN_PASSWORD, dataDir: rt.config.DATA_DIR });
  if (!admin.created) return { adminCreated: null };
  // The path, never the password: the log of a production process is read by many.
  if (admin.passwordFile) {
    rt.log.warn(
      { username: admin.username, passwordFile: admin.passwordFile },
      'first start: created the admin with a generated password, in passwordFile (readable by this user only); delete the file once you have logged in and changed the password',
    );
  } else {
    rt.log.info({ username: admin.username }, 'first start: created the admin with ADMIN_PASSWORD');
  }
  return { adminCreated: { username: admin.username, passwordFile: admin.passwordFile } };
}
