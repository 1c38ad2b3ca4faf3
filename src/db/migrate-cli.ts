/** `npm run db:migrate`: applies the committed migrations to DATABASE_URL (or the embedded PGlite). */
import { configOrExit } from '../entry.js';
import { safeError } from '../safe-error.js';
import { openDatabase } from './client.js';

const config = configOrExit();
const database = openDatabase({ url: config.DATABASE_URL, dataDir: config.DATA_DIR });
try {
  await database.migrate();
  console.log(`migrations applied (${database.kind})`);
} catch (err) {
  // One line, as the processes say what stops them (a newer schema, a lock not granted, PostgreSQL away).
  console.error(`Migrations not applied: ${safeError(err).message}`);
  process.exitCode = 1;
} finally {
  await database.close();
}
