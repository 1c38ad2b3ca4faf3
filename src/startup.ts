import { ensureFirstAdmin } from './auth/bootstrap-admin.js';
import type { Runtime } from './runtime.js';

/** Migrations and the first admin; safe to run from every process and replica. */
export async function runStartup(rt: Runtime): Promise<{ adminCreated: { username: string; generatedPassword: string | null } | null }> {
  await rt.database.migrate();
  const admin = await ensureFirstAdmin(rt.database.db, rt.config.ADMIN_USERNAME, rt.config.ADMIN_PASSWORD);
  if (!admin.created) return { adminCreated: null };
  if (admin.generatedPassword) {
    // Printed once to the console (not the JSON log) so it can be copied; it is not stored anywhere.
    console.log(`\nFirst start: created admin "${admin.username}" with password: ${admin.generatedPassword}\n`);
  }
  return { adminCreated: { username: admin.username, generatedPassword: admin.generatedPassword } };
}
