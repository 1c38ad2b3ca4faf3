import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { ensureFirstAdmin } from '../src/auth/bootstrap-admin.js';
import { createTestDatabase } from './helpers/db.js';

describe('the first admin', () => {
  it('is created once when two processes start at the same moment: only the one that created it prints a password', async () => {
    const { database, drop } = await createTestDatabase();
    try {
      const results = await Promise.all([ensureFirstAdmin(database.db, 'admin', undefined), ensureFirstAdmin(database.db, 'admin', undefined)]);
      expect(results.filter((r) => r.created)).toHaveLength(1);
    } finally {
      await drop();
    }
  });
});

describe('a failure nothing caught', () => {
  it('is logged without its query parameters and ends the process with 1', () => {
    // A failed top-level await, as a failed start-up is: Node reports it as uncaught.
    const script = [
      "import { createLogger } from './src/log.ts';",
      "import { exitOnUncaught } from './src/shutdown.ts';",
      "exitOnUncaught(createLogger('info'));",
      "await Promise.reject(new Error('Failed query: insert into users values ($1)\\nparams: Kundin zahlt Freitag'));",
    ].join('\n');
    const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: process.cwd(), encoding: 'utf8' });
    expect(child.status).toBe(1);
    expect(child.stdout + child.stderr).toMatch(/"msg":"(uncaught exception|unhandled rejection); stopping"/);
    expect(child.stdout + child.stderr).toContain('database query failed');
    expect(child.stdout + child.stderr).not.toContain('Kundin zahlt Freitag');
  });
});
